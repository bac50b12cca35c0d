import { StringDecoder } from 'node:string_decoder';
import { readBundle } from '../../shared/registry/bundle';
import { REGISTRY_PATHS } from '../../shared/registry/api';
import { BUNDLE_LIMITS } from '../../shared/registry/types';
import type { Bundle, FeedEvent, PackageMetadata } from '../../shared/registry/types';
import { AnvilError } from '../../shared/domain/result';
import { AnvilSdkError } from './errors';

/** The part of `fetch` the SDK uses (the global `fetch` by default). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Options of {@link createRegistryClient}. */
export interface RegistryClientOptions {
  /** The server's base URL (`http(s)://host:port`, or the `ws(s)://` address the studio uses). */
  registry: string;
  /** An access token, sent as `Authorization: Bearer`. */
  token?: string | null;
  /** A `fetch` to use instead of the global one. */
  fetch?: FetchLike;
  /** One attempt's limit, answer body included (default 5 s). */
  timeoutMs?: number;
  /** Attempts after the first on a network error, a timeout, 429 or 5xx (default 2). */
  retries?: number;
  /** First backoff; doubled each retry (default 100 ms). */
  backoffMs?: number;
  /** How to wait between retries (tests pass one that does not wait). */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Stops every request when aborted (Ctrl-C in `anvil pull`): the request in flight is cancelled and rejects
   * with an `interrupted` error, never retried.
   */
  signal?: AbortSignal;
}

/** A metadata request's answer: unchanged since `etag`, or the metadata with its ETag. */
export type MetadataAnswer =
  { notModified: true; etag: string } | { notModified: false; metadata: PackageMetadata; etag: string | null };

/** The registry's HTTP API as the SDK uses it (see {@link createRegistryClient}). */
export interface RegistryClient {
  /** The base URL requests go to (`ws(s)://` turned into `http(s)://`, no trailing slash). */
  readonly base: string;
  /** The package's metadata; with `etag`, a conditional GET answered `notModified` when it did not change. */
  metadata(name: string, etag?: string | null): Promise<MetadataAnswer>;
  /** A bundle's bytes, verified against `integrity` (and its name and version) before they are returned. */
  bundle(name: string, version: string, integrity: string): Promise<Bundle>;
  /** Feed events after `after` (the polled route). */
  events(query: { after: number; name?: string; limit?: number }): Promise<{ events: FeedEvent[]; next: number }>;
  /**
   * Follows the SSE feed from `after` until `signal` aborts or the stream ends (resolves) or fails (rejects).
   * `onOpen` is called once the server accepted the stream.
   */
  follow(after: number, handlers: { onEvent(e: FeedEvent): void; onOpen?(): void }, signal: AbortSignal): Promise<void>;
}

const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);

/** A body that ended before its content-length: retried like a network error, reported as `truncated`. */
class TruncatedBody extends Error {
  constructor(
    readonly received: number,
    readonly expected: number,
    readonly reason: unknown,
  ) {
    super(`truncated after ${received} of ${expected} bytes`);
  }
}

/** The whole body, counting what arrived: a connection dropped mid-body is a {@link TruncatedBody}. */
async function readBody(res: Response): Promise<Uint8Array> {
  const expected = Number(res.headers.get('content-length') ?? 'NaN');
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.length;
      }
    }
  } catch (err) {
    const aborted = err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');
    if (!aborted && Number.isFinite(expected) && received < expected) throw new TruncatedBody(received, expected, err);
    throw err;
  }
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}

export function baseUrl(registry: string): string {
  return registry.replace(/^ws(s?):\/\//, 'http$1://').replace(/\/+$/, '');
}

/**
 * The registry's HTTP API as the SDK needs it: metadata (conditional GET), bundles (verified), the feed.
 * Each attempt has a timeout covering the body; network errors, timeouts, 429 and 5xx are retried with
 * exponential backoff, so a registry that is down answers a typed `registry_unreachable` within
 * `(retries + 1) × timeoutMs + backoff` at worst, and at once when the connection is refused.
 */
export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  const base = baseUrl(options.registry);
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 5_000;
  const retries = options.retries ?? 2;
  const backoffMs = options.backoffMs ?? 100;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...extra,
  });

  /** One request with retries; `read` consumes the body within the same attempt's timeout. */
  async function request<T>(
    path: string,
    what: string,
    extra: Record<string, string>,
    read: (res: Response) => Promise<T>,
  ): Promise<T> {
    let last: AnvilSdkError | null = null;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(backoffMs * 2 ** (attempt - 1));
      if (options.signal?.aborted) throw interrupted(what, options.signal.reason);
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      let res: Response;
      try {
        res = await doFetch(`${base}${path}`, { headers: headers(extra), signal });
      } catch (err) {
        if (options.signal?.aborted) throw interrupted(what, err);
        last = unreachable(what, base, err, timeoutMs);
        continue;
      }
      if (res.status >= 400) {
        const error = await httpError(res, what);
        if (!RETRYABLE.has(res.status)) throw error;
        last = error;
        continue;
      }
      try {
        return await read(res);
      } catch (err) {
        if (options.signal?.aborted) throw interrupted(what, err);
        if (err instanceof AnvilSdkError) throw err;
        if (err instanceof AnvilError) throw new AnvilSdkError({ ...err.toJSON(), cause: err });
        if (err instanceof TruncatedBody)
          last = new AnvilSdkError({
            code: 'truncated',
            message: `could not fetch ${what}: the download was truncated (the connection closed after ${err.received} of ${err.expected} bytes)`,
            cause: err.reason,
          });
        else last = unreachable(what, base, err, timeoutMs);
      }
    }
    throw last as AnvilSdkError;
  }

  return {
    base,
    metadata(name, etag) {
      return request(
        REGISTRY_PATHS.metadata(name),
        `the metadata of ${name}`,
        etag ? { 'if-none-match': etag } : {},
        async (res): Promise<MetadataAnswer> => {
          const tag = res.headers.get('etag');
          if (res.status === 304) {
            await res.body?.cancel();
            return { notModified: true, etag: tag ?? (etag as string) };
          }
          const metadata = (await res.json()) as PackageMetadata;
          if (!metadata || typeof metadata !== 'object' || metadata.name !== name || !metadata.versions)
            throw new AnvilSdkError({
              code: 'invalid_response',
              message: `the registry at ${base} answered something that is not the metadata of ${name}`,
            });
          return { notModified: false, metadata, etag: tag };
        },
      );
    },
    bundle(name, version, integrity) {
      return request(REGISTRY_PATHS.bundle(name, version), `bundle ${name}@${version}`, {}, async (res) => {
        const length = Number(res.headers.get('content-length') ?? '0');
        if (length > BUNDLE_LIMITS.maxBundleBytes)
          throw new AnvilSdkError({
            code: 'too_large',
            message: `bundle ${name}@${version} is ${length} bytes; a bundle holds at most ${BUNDLE_LIMITS.maxBundleBytes}`,
          });
        const bytes = await readBody(res);
        // Verified before anyone sees it: a truncated or altered download is refused, never cached.
        return readBundle(bytes, { integrity, name, version });
      });
    },
    events(query) {
      const q = new URLSearchParams({ after: String(query.after) });
      if (query.name) q.set('name', query.name);
      if (query.limit) q.set('limit', String(query.limit));
      return request(`${REGISTRY_PATHS.events}?${q}`, 'the registry events', {}, async (res) => {
        return (await res.json()) as { events: FeedEvent[]; next: number };
      });
    },
    async follow(after, handlers, signal) {
      const res = await doFetch(`${base}${REGISTRY_PATHS.feed}?after=${after}`, {
        headers: headers({ accept: 'text/event-stream', 'last-event-id': String(after) }),
        signal,
      });
      if (res.status >= 400) throw await httpError(res, 'the registry feed');
      if (!(res.headers.get('content-type') ?? '').startsWith('text/event-stream') || !res.body)
        throw new AnvilSdkError({ code: 'invalid_response', message: `${base} does not serve an update feed` });
      handlers.onOpen?.();
      const reader = res.body.getReader();
      const decoder = new StringDecoder('utf8');
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.write(Buffer.from(value)).replace(/\r\n?/g, '\n');
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let data = '';
          for (const line of block.split('\n'))
            if (line.startsWith('data:')) data += (data ? '\n' : '') + line.slice(5).trimStart();
          if (!data) continue;
          try {
            handlers.onEvent(JSON.parse(data) as FeedEvent);
          } catch {
            // A line we cannot read is skipped; the next metadata refresh catches up anyway.
          }
        }
      }
    },
  };
}

function interrupted(what: string, cause: unknown): AnvilSdkError {
  return new AnvilSdkError({ code: 'interrupted', message: `interrupted while fetching ${what}`, cause });
}

function unreachable(what: string, base: string, err: unknown, timeoutMs: number): AnvilSdkError {
  const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
  const reason = timedOut
    ? `no answer within ${timeoutMs} ms`
    : (((err as { cause?: { code?: string; message?: string } }).cause?.code ??
        (err as { cause?: { message?: string } }).cause?.message ??
        (err instanceof Error ? err.message : String(err))) as string);
  return new AnvilSdkError({
    code: 'registry_unreachable',
    message: `could not fetch ${what}: the registry at ${base} is unreachable (${reason})`,
    cause: err,
  });
}

async function httpError(res: Response, what: string): Promise<AnvilSdkError> {
  let code = res.status >= 500 ? 'registry_error' : 'registry_refused';
  let message = `the registry answered ${res.status}`;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.message) message = body.error.message;
    if (body.error?.code) code = body.error.code;
  } catch {
    // Not our error shape (a proxy's page): the status says enough.
  }
  if (res.status === 401) code = 'unauthorized';
  if (res.status === 403 && code === 'registry_refused') code = 'forbidden';
  if (res.status >= 500) code = 'registry_error';
  return new AnvilSdkError({ code, message: `could not fetch ${what}: ${message}`, status: res.status });
}
