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
import { decodeSegment, methodNotAllowed, queryOf, readJson, send, wholeNumber } from './wire';
import type { Registry } from '../registry/types';
import type { FeedOptions } from '../registry/feed';
import { createRegistryHttp } from '../registry/http';
import { openApiDocument } from '../registry/openapi';
import type { UsageService } from '../usage/service';
import { createUsageHttp } from '../usage/http';
import { USAGE_PATHS } from '../../shared/usage/types';
import { instrumentApiHandler } from '../telemetry/http';

export interface ApiHandlerOptions {
  /** Without one, only `/healthz` answers; `/api/*` is 404 JSON. */
  backend?: SyncApiBackend;
  /** Largest JSON body accepted (default 5 MiB: a version's 4 MiB content plus its fields); larger is 413. */
  maxBodyBytes?: number;
  /** Requests per bearer token (default 50/s, bursts of 500). */
  tokenRateLimit?: RateLimit;
  /** Requests per client address, all tokens together (default 100/s, bursts of 1,000). */
  addressRateLimit?: RateLimit;
  /**
   * The team registry (`shared/registry/api.ts`): its routes are served with the same tokens, rate limits and
   * error shape. Its owner opens and closes it; the handler's `close()` ends the feed's streams.
   */
  registry?: Registry;
  /** The registry feed's heartbeat, buffer and stream limits. */
  feed?: FeedOptions;
  /**
   * How long a verified token is trusted for reads of published packages (metadata, bundles), ms; default 1,000,
   * 0 verifies every request. Downloads are the hot path and a token check is a database read; every other
   * route, and every write, verifies each time, so a revoked token may still download for at most this long.
   */
  readAuthCacheMs?: number;
  /**
   * Usage analytics (`shared/usage/types.ts`): ingestion and the series/breakdown queries, with the same tokens,
   * limits and error shape. Its owner opens and closes it.
   */
  usage?: UsageService;
  /**
   * Usage batches per bearer token (default 100/s, bursts of 1,000), a bucket of their own: requests are
   * counted, not events (a batch holds up to 1,000), and an application's reporting never eats into the
   * requests its SDK needs for pulling.
   */
  usageTokenRateLimit?: RateLimit;
  log?: (line: string) => void;
  /** ms since epoch; tests pass a fake one. */
  clock?: () => number;
}

/** Answers one HTTP request; `path` is relative to the server's base (`/healthz`, `/api/…`). Never rejects. */
export type ApiHandler = (request: IncomingMessage, response: ServerResponse, path: string) => Promise<void>;

/** The handler with what it keeps open: the registry feed's streams, ended by `close()`. */
export type ClosableApiHandler = ApiHandler & { close(): void };

export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
export const DEFAULT_TOKEN_RATE_LIMIT: RateLimit = { perSecond: 50, burst: 500 };
export const DEFAULT_ADDRESS_RATE_LIMIT: RateLimit = { perSecond: 100, burst: 1000 };
export const DEFAULT_READ_AUTH_CACHE_MS = 1_000;
export const DEFAULT_USAGE_TOKEN_RATE_LIMIT: RateLimit = { perSecond: 100, burst: 1000 };
/** Tokens remembered at once by the read cache (by hash: never the token itself). */
const AUTH_CACHE_ENTRIES = 10_000;
const PACKAGES_PREFIX = '/api/registry/packages/';

const VERSIONS_ROUTE = /^\/api\/projects\/([^/]+)\/versions$/;

/**
 * The sync server's HTTP API (`shared/sync/api.ts`) over an injected backend: routing, bearer tokens, JSON
 * bodies with a size cap, rate limits per token and per address (429 with Retry-After), and one error shape
 * `{ error: { code, message, details? } }` for every failure. Served by `createSyncServer` at the root and by
 * `mountSyncServer` under its path.
 */
export function createApiHandler(options: ApiHandlerOptions = {}): ClosableApiHandler {
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
  const registry =
    backend && options.registry
      ? createRegistryHttp({
          registry: options.registry,
          maxBodyBytes: maxBody,
          ...(options.feed ? { feed: options.feed } : {}),
          readCacheMs: options.readAuthCacheMs ?? DEFAULT_READ_AUTH_CACHE_MS,
        })
      : undefined;
  const usage = backend && options.usage ? createUsageHttp(options.usage) : undefined;
  const usageByToken = new KeyedRateLimiter(
    checkRateLimit(options.usageTokenRateLimit ?? DEFAULT_USAGE_TOKEN_RATE_LIMIT, 'usageTokenRateLimit'),
  );
  const authCacheMs = registry ? (options.readAuthCacheMs ?? DEFAULT_READ_AUTH_CACHE_MS) : 0;
  const authCache = new Map<string, { caller: ApiCaller; until: number }>();
  // Serialised once: the document never changes while the server runs.
  let openApi: Buffer | undefined;

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
    if (path === '/api/openapi.json') {
      // No token: a client in another language reads it before it has one.
      if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, path, 'GET');
      openApi ??= Buffer.from(
        JSON.stringify(openApiDocument({ registry: registry !== undefined, usage: usage !== undefined })),
      );
      response.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': openApi.byteLength,
        'cache-control': 'no-cache',
      });
      response.end(openApi);
      return;
    }
    const token = bearerOf(request);
    if (token === null)
      throw new ApiError(401, 'unauthorized', 'No token: send "Authorization: Bearer <token>" (anvil token create).');
    // Keyed by the token's hash: the limiter never holds a token, and a flood of made-up ones is still bounded.
    const tokenKey = createHash('sha256').update(token).digest('base64url');
    const limiter = usage && path === USAGE_PATHS.events ? usageByToken : byToken;
    if (!limiter.take(tokenKey, now)) throw tooMany(limiter.waitSeconds(tokenKey, now), 'this token');
    const cacheable = authCacheMs > 0 && (method === 'GET' || method === 'HEAD') && path.startsWith(PACKAGES_PREFIX);
    const remembered = cacheable ? authCache.get(tokenKey) : undefined;
    let caller: ApiCaller | null;
    if (remembered && remembered.until > now) caller = remembered.caller;
    else {
      try {
        caller = await backend.authenticate(token);
      } catch (err) {
        log(`api: authenticate failed: ${(err as Error).message}`);
        caller = null;
      }
      if (remembered) authCache.delete(tokenKey);
      if (caller && cacheable) {
        if (authCache.size >= AUTH_CACHE_ENTRIES) authCache.delete(authCache.keys().next().value as string);
        authCache.set(tokenKey, { caller, until: now + authCacheMs });
      }
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
        const query = queryOf(request);
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
    if (registry && (await registry.handle(request, response, path, caller))) return;
    if (usage && path.startsWith('/api/usage/') && (await usage(request, response, path, caller))) return;
    throw new ApiError(404, 'not_found', `No route ${path.slice(0, 200)}.`);
  };

  const handler = async (request: IncomingMessage, response: ServerResponse, path: string): Promise<void> => {
    try {
      await route(request, response, path);
    } catch (err) {
      answerError(response, err, log, request, path);
    }
  };
  return Object.assign(instrumentApiHandler(handler), { close: () => registry?.close() });
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
