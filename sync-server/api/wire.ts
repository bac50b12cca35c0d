import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './backend';

/**
 * The HTTP API's wire helpers, shared by the sync routes (`api/http.ts`) and the registry's
 * (`registry/http.ts`): one JSON answer shape, one body reader with its size cap, one way to refuse.
 */

export function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

export function methodNotAllowed(method: string, path: string, allow: string): ApiError {
  const error = new ApiError(405, 'method_not_allowed', `${method} is not allowed on ${path}; use ${allow}.`);
  error.headers = { allow };
  return error;
}

/** One percent-encoded path segment; `what` names it in the 400. */
export function decodeSegment(segment: string, what = 'project id'): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError(400, 'invalid_path', `The ${what} in the path is not valid percent-encoding.`);
  }
}

export function wholeNumber(raw: string | null, name: string, min: number, max: number, fallback: number): number {
  if (raw === null || raw === '') return fallback;
  const n = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new ApiError(400, 'invalid_query', `${name} must be a whole number ≥ ${min} (got "${raw.slice(0, 40)}").`);
  return n;
}

/** The request's query string parameters (the path was split off already). */
export function queryOf(request: IncomingMessage): URLSearchParams {
  const url = request.url ?? '';
  const q = url.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
}

/** The request's JSON body: 413 past `max` bytes (said at once when Content-Length already says so), 400 if not JSON. */
export async function readJson(request: IncomingMessage, max: number): Promise<unknown> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    discard(request);
    throw tooLarge(declared, max);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > max) {
      discard(request);
      throw tooLarge(size, max);
    }
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'invalid_json', 'The request body is not JSON.');
  }
}

/** A JSON object body (not an array, not null), or 400 saying what was expected. */
export function objectBody(body: unknown, expected: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError(400, 'invalid_body', `The request body must be a JSON object ${expected}.`);
  return body as Record<string, unknown>;
}

function tooLarge(size: number, max: number): ApiError {
  const error = new ApiError(413, 'too_large', `The request body is ${size}+ bytes; at most ${max} are accepted.`);
  // The rest of the body is not read: the connection is not reused.
  error.headers = { connection: 'close' };
  return error;
}

/** Lets the refused body drain a little (so the client reads the 413), then drops the connection. */
function discard(request: IncomingMessage): void {
  let drained = 0;
  request.on('data', (c: Buffer) => {
    drained += c.length;
    if (drained > 1024 * 1024) request.socket.destroy();
  });
  request.resume();
}

/**
 * Whether an `If-None-Match` header matches `etag` (quoted). GET compares weakly (RFC 9110 13.1.2): `W/"x"`
 * matches `"x"`; `*` matches anything.
 */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header === etag) return true;
  for (const part of header.split(',')) {
    const tag = part.trim();
    if (tag === '*' || tag === etag || (tag.startsWith('W/') && tag.slice(2) === etag)) return true;
  }
  return false;
}
