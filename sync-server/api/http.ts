import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AnvilError } from '../../shared/domain';
import type { ApiErrorBody, RegisterProject, WhoAmI } from '../../shared/sync/api';
import { SYNC_PROTOCOL_VERSION } from '../../shared/sync/protocol';
import type { RateLimit } from '../server/rate-limit';
import { KeyedRateLimiter, checkRateLimit } from '../server/rate-limit';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from '../versions/store';
import { parseProposedVersion } from '../versions/validate';
import type { ApiCaller, SyncApiBackend } from './backend';
import { ApiError, statusOfCode } from './backend';

export interface ApiHandlerOptions {
  /** Without one, only `/healthz` answers; `/api/*` is 404 JSON. */
  backend?: SyncApiBackend;
  /** Largest JSON body accepted (default 5 MiB: a version's 4 MiB content plus its fields); larger is 413. */
  maxBodyBytes?: number;
  /** Requests per bearer token (default 50/s, bursts of 500). */
  tokenRateLimit?: RateLimit;
  /** Requests per client address, all tokens together (default 100/s, bursts of 1,000). */
  addressRateLimit?: RateLimit;
  log?: (line: string) => void;
  /** ms since epoch; tests pass a fake one. */
  clock?: () => number;
}

/** Answers one HTTP request; `path` is relative to the server's base (`/healthz`, `/api/…`). Never rejects. */
export type ApiHandler = (request: IncomingMessage, response: ServerResponse, path: string) => Promise<void>;

export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
export const DEFAULT_TOKEN_RATE_LIMIT: RateLimit = { perSecond: 50, burst: 500 };
export const DEFAULT_ADDRESS_RATE_LIMIT: RateLimit = { perSecond: 100, burst: 1000 };

const VERSIONS_ROUTE = /^\/api\/projects\/([^/]+)\/versions$/;

/**
 * The sync server's HTTP API (`shared/sync/api.ts`) over an injected backend: routing, bearer tokens, JSON
 * bodies with a size cap, rate limits per token and per address (429 with Retry-After), and one error shape
 * `{ error: { code, message, details? } }` for every failure. Served by `createSyncServer` at the root and by
 * `mountSyncServer` under its path.
 */
export function createApiHandler(options: ApiHandlerOptions = {}): ApiHandler {
  const { backend } = options;
  const log = options.log ?? (() => undefined);
  const clock = options.clock ?? Date.now;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const byToken = new KeyedRateLimiter(
    checkRateLimit(options.tokenRateLimit ?? DEFAULT_TOKEN_RATE_LIMIT, 'tokenRateLimit'),
  );
  const byAddress = new KeyedRateLimiter(
    checkRateLimit(options.addressRateLimit ?? DEFAULT_ADDRESS_RATE_LIMIT, 'addressRateLimit'),
  );

  const route = async (request: IncomingMessage, response: ServerResponse, path: string): Promise<void> => {
    const method = request.method ?? 'GET';
    if (path === '/healthz') {
      if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, path, 'GET');
      return send(response, 200, { ok: true, protocol: SYNC_PROTOCOL_VERSION });
    }
    if (!backend || !(path === '/api' || path.startsWith('/api/')))
      throw new ApiError(
        404,
        'not_found',
        backend || !path.startsWith('/api')
          ? `No route ${path.slice(0, 200)}; WebSocket clients connect to the server's base path.`
          : 'This sync server has no HTTP API (only /healthz).',
      );

    const now = clock();
    const address = request.socket.remoteAddress ?? 'unknown';
    if (!byAddress.take(address, now)) throw tooMany(byAddress.waitSeconds(address, now), 'this address');
    const token = bearerOf(request);
    if (token === null)
      throw new ApiError(401, 'unauthorized', 'No token: send "Authorization: Bearer <token>" (anvil token create).');
    // Keyed by the token's hash: the limiter never holds a token, and a flood of made-up ones is still bounded.
    const tokenKey = createHash('sha256').update(token).digest('base64url');
    if (!byToken.take(tokenKey, now)) throw tooMany(byToken.waitSeconds(tokenKey, now), 'this token');
    let caller: ApiCaller | null;
    try {
      caller = await backend.authenticate(token);
    } catch (err) {
      log(`api: authenticate failed: ${(err as Error).message}`);
      caller = null;
    }
    if (!caller) throw new ApiError(401, 'unauthorized', 'Unknown, expired or revoked token.');

    if (path === '/api/whoami') {
      if (method !== 'GET') throw methodNotAllowed(method, path, 'GET');
      const who: WhoAmI = {
        accountId: caller.accountId,
        name: caller.name,
        serverAdmin: caller.serverAdmin,
        protocol: SYNC_PROTOCOL_VERSION,
      };
      return send(response, 200, who);
    }
    if (path === '/api/projects') {
      if (method === 'GET') return send(response, 200, { projects: await backend.listProjects(caller) });
      if (method !== 'POST') throw methodNotAllowed(method, path, 'GET, POST');
      const body = await readJson(request, maxBody);
      const project = registerBody(body);
      const result = await backend.registerProject(caller, project);
      return send(response, result.created ? 201 : 200, result.project);
    }
    const match = VERSIONS_ROUTE.exec(path);
    if (match) {
      const projectId = decodeSegment(match[1] as string);
      if (method === 'GET') {
        const query = new URL(request.url ?? '/', 'http://x').searchParams;
        const after = wholeNumber(query.get('after'), 'after', 0, Number.MAX_SAFE_INTEGER, 0);
        const limit = Math.min(
          MAX_LIST_LIMIT,
          wholeNumber(query.get('limit'), 'limit', 1, Number.MAX_SAFE_INTEGER, DEFAULT_LIST_LIMIT),
        );
        return send(response, 200, await backend.listVersions(caller, projectId, after, limit));
      }
      if (method !== 'POST') throw methodNotAllowed(method, path, 'GET, POST');
      const proposed = parseProposedVersion(await readJson(request, maxBody));
      const result = await backend.proposeVersion(caller, projectId, proposed);
      return send(response, result.created ? 201 : 200, result.version);
    }
    throw new ApiError(404, 'not_found', `No route ${path.slice(0, 200)}.`);
  };

  return async (request, response, path) => {
    try {
      await route(request, response, path);
    } catch (err) {
      answerError(response, err, log, request, path);
    }
  };
}

function answerError(
  response: ServerResponse,
  err: unknown,
  log: (line: string) => void,
  request: IncomingMessage,
  path: string,
): void {
  let status: number;
  let body: ApiErrorBody;
  if (err instanceof ApiError) {
    status = err.status;
    body = {
      error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) },
    };
    if (err.headers) for (const [k, v] of Object.entries(err.headers)) response.setHeader(k, v);
  } else if (err instanceof AnvilError) {
    status = statusOfCode(err.code);
    body = {
      error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) },
    };
  } else {
    status = 500;
    log(`api: ${request.method} ${path.slice(0, 200)} failed: ${(err as Error)?.stack ?? String(err)}`);
    body = { error: { code: 'internal_error', message: 'The server failed to answer this request; it was logged.' } };
  }
  if (response.headersSent) {
    response.destroy();
    return;
  }
  send(response, status, body);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

function bearerOf(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return m ? (m[1] as string) : null;
}

function tooMany(waitSeconds: number, who: string): ApiError {
  const retry = Math.max(1, waitSeconds);
  const error = new ApiError(429, 'rate_limited', `Too many requests from ${who}; try again in ${retry} s.`, {
    retryAfterSeconds: retry,
  });
  error.headers = { 'retry-after': String(retry) };
  return error;
}

function methodNotAllowed(method: string, path: string, allow: string): ApiError {
  const error = new ApiError(405, 'method_not_allowed', `${method} is not allowed on ${path}; use ${allow}.`);
  error.headers = { allow };
  return error;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError(400, 'invalid_path', 'The project id in the path is not valid percent-encoding.');
  }
}

function wholeNumber(raw: string | null, name: string, min: number, max: number, fallback: number): number {
  if (raw === null || raw === '') return fallback;
  const n = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new ApiError(400, 'invalid_query', `${name} must be a whole number ≥ ${min} (got "${raw.slice(0, 40)}").`);
  return n;
}

function registerBody(body: unknown): RegisterProject {
  const b = body as Partial<Record<keyof RegisterProject, unknown>> | null;
  if (typeof b !== 'object' || b === null || Array.isArray(b) || typeof b.id !== 'string' || typeof b.name !== 'string')
    throw new ApiError(
      400,
      'invalid_project',
      'Register a project with a JSON object { "id": string, "name": string }.',
    );
  return { id: b.id, name: b.name };
}

/** The request's JSON body: 413 past `max` bytes (said at once when Content-Length already says so), 400 if not JSON. */
async function readJson(request: IncomingMessage, max: number): Promise<unknown> {
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
