import { Server } from '@hocuspocus/server';
import type { Extension, onAuthenticatePayload } from '@hocuspocus/server';
import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { DocumentStorage } from '../storage/types';
import { openSqliteStorage } from '../storage/sqlite';
import { AnvilError } from '../../shared/domain';
import { DurableWriter } from './durable-writer';
import { UpdateChecker } from './update-checker';
import type { HelloMessage, WriteRefusedMessage } from './protocol';
import { PROTOCOL_PARAM, SYNC_PROTOCOL_VERSION, protocolMismatchReason } from './protocol';
import type { ClosableApiHandler } from '../api/http';
import { createApiHandler } from '../api/http';
import type { SyncApiBackend } from '../api/backend';
import type { Registry } from '../registry/types';
import type { FeedOptions } from '../registry/feed';
import type { UsageService } from '../usage/service';
import type { RateLimit } from './rate-limit';
import { TokenBucket, checkRateLimit } from './rate-limit';
import { type BeforeAuthLimits, WaitingForAuth } from './before-auth';
import { awarenessProblem } from './awareness-check';
import { observeSyncServer, recordDocumentLoad } from '../telemetry';

/** Who a token belongs to, for one document; null refuses the connection. */
export interface AuthResult {
  accountId: string;
  /** Display name for the audit (defaults to accountId). */
  name?: string;
  readOnly: boolean;
}

/** One update a connection applied to a document (for the edit audit). */
export interface EditEvent {
  documentName: string;
  accountId: string;
  name: string;
  bytes: number;
}

/** Injected by the host (helper G's accounts, or an embedding app's own login). Must not throw for a bad token. */
export type Authenticate = (token: string, documentName: string) => AuthResult | null | Promise<AuthResult | null>;

export interface SyncServerOptions {
  /** Data folder of the default SQLite store; ignored when `storage` is given. */
  dataDir?: string;
  /** A store of the caller's; the caller closes it. */
  storage?: DocumentStorage;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  authenticate: Authenticate;
  /** Largest WebSocket message accepted; a larger one closes that connection (code 1009). Default 4 MiB. */
  maxMessageBytes?: number;
  /**
   * Messages a socket may send for one document before that document is authenticated (default 64). Counted per
   * document: the studio multiplexes its whole workspace on one socket, and each document's auth, sync step and
   * presence arrive before its authentication returns.
   */
  maxMessagesBeforeAuth?: number;
  /** Documents one socket may have waiting for authentication at once (default 50,000). */
  maxDocumentsBeforeAuth?: number;
  /** Bytes one socket may have queued for documents still waiting for authentication (default 64 MiB). */
  maxBytesBeforeAuth?: number;
  /** A socket that has not authenticated a document within this time is closed (default 15 s). */
  authTimeoutMs?: number;
  /**
   * Decode every incoming Yjs update in a worker with a watchdog before applying it (default true), so a crafted
   * update that makes the decoder loop closes its connection instead of stopping the server.
   */
  checkUpdates?: boolean;
  /**
   * The HTTP API's backend (`shared/sync/api.ts`: whoami, projects, team versions). Without one only `/healthz`
   * answers and `/api/*` is 404. `anvil serve` builds it from its accounts (`createAccountsApiBackend`).
   */
  api?: SyncApiBackend;
  /**
   * The team registry (`createRegistry`, sync-server/registry/): its HTTP routes and update feed are served beside
   * the API (needs `api` for tokens). The caller opens and closes it; closing the server ends the feed's streams.
   */
  registry?: Registry;
  /** The registry feed's heartbeat (default 15 s), slow-reader buffer (1 MiB) and streams per account (20). */
  feed?: FeedOptions;
  /**
   * Usage analytics (`createUsage`, sync-server/usage/): `POST /api/usage/events`, `GET /api/usage/series` and
   * `GET /api/usage/breakdown` beside the API (needs `api` for tokens). The caller opens and closes it.
   */
  usage?: UsageService;
  /** HTTP API limits: body size (default 5 MiB) and requests per token / per client address (429 past them). */
  apiLimits?: {
    maxBodyBytes?: number;
    perToken?: RateLimit;
    perAddress?: RateLimit;
    /** How long a verified token is trusted for reads of published packages (default 1,000 ms; 0: never). */
    readAuthCacheMs?: number;
    /** Usage batches per token, a bucket of their own (default 100/s, bursts of 1,000). */
    usagePerToken?: RateLimit;
  };
  /**
   * Messages per second one WebSocket may send, all its documents together (default 1,000/s, bursts of 50,000);
   * past it the socket is closed with 1008 `rate-limit: …`. A fast typist sends tens per second; a reconnect sends
   * three or four per document of the workspace at once, hence the large burst.
   */
  messageRateLimit?: RateLimit;
  /** Bytes per second one WebSocket may send (default 16 MiB/s, bursts of 128 MiB); past it 1008 `rate-limit: …`. */
  byteRateLimit?: RateLimit;
  /** Largest awareness (cursor/presence) message, default 64 KiB; larger closes that socket (1009). */
  maxAwarenessBytes?: number;
  /** Called for every update a client applied (inside the Yjs transaction: keep it quick; errors are logged). */
  onEdit?: (edit: EditEvent) => void;
  /** Server-side log lines (refusals, storage retries); never contains a token. Default: none. */
  log?: (line: string) => void;
}

export interface SyncServer {
  /** WebSocket URL clients connect to, e.g. ws://127.0.0.1:4321 */
  url: string;
  /** HTTP base URL (`/healthz`). */
  httpUrl: string;
  port: number;
  storage: DocumentStorage;
  /** Updates whose storing failed and are waiting for a retry. */
  pendingWrites(): number;
  /** Closes every connection, stores what is pending, stops listening; closes the store if it opened it. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MESSAGE_RATE_LIMIT: RateLimit = { perSecond: 1000, burst: 50_000 };
export const DEFAULT_BYTE_RATE_LIMIT: RateLimit = { perSecond: 16 * 1024 * 1024, burst: 128 * 1024 * 1024 };
export const DEFAULT_MAX_MESSAGES_BEFORE_AUTH = 64;
export const DEFAULT_MAX_DOCUMENTS_BEFORE_AUTH = 50_000;
export const DEFAULT_MAX_BYTES_BEFORE_AUTH = 64 * 1024 * 1024;
export const DEFAULT_MAX_AWARENESS_BYTES = 64 * 1024;

/** What Hocuspocus hands back to a refused client as the reason (the provider's `authenticationFailed`). */
class Refusal {
  constructor(readonly reason: string) {}
}

/**
 * A Yjs sync server on Hocuspocus: the stock `@hocuspocus/provider` connects to it unchanged. What Anvil adds is
 * small hooks: token authentication through `authenticate`, read-only connections, a protocol version check,
 * durable storage of every applied update before it is acknowledged (SQLite), `/healthz`, and limits on message
 * size and on what an unauthenticated socket may send.
 */
export async function createSyncServer(options: SyncServerOptions): Promise<SyncServer> {
  const core = buildCore(options);
  const { server, storage } = core;
  try {
    await server.listen();
  } catch (err) {
    await core.close();
    throw err;
  }
  const port = server.address.port;
  const host = options.host ?? '127.0.0.1';
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  return {
    url: `ws://${hostInUrl}:${port}`,
    httpUrl: `http://${hostInUrl}:${port}`,
    port,
    storage,
    pendingWrites: core.pendingWrites,
    close: core.close,
  };
}

export interface MountOptions extends Omit<SyncServerOptions, 'port' | 'host'> {
  /** WebSocket upgrades whose path is this one (or below it) are the sync server's; default `/anvil`. */
  path?: string;
}

export interface SyncMount {
  storage: DocumentStorage;
  pendingWrites(): number;
  /**
   * Answers `<path>/healthz` and the HTTP API under `<path>/api/` (with the `api` backend given; 404 JSON
   * without; the registry's routes too with a `registry`), returning true; false leaves the request to the host.
   * The answer may come after it returns.
   */
  handleRequest(request: IncomingMessage, response: ServerResponse): boolean;
  /** Detaches from the host server and closes the sync connections (the host server keeps running). */
  close(): Promise<void>;
}

/**
 * Mounts the sync server into a host's own HTTP server under `path`: the host keeps its routes and its login;
 * `authenticate` is the host's function deciding who a token is and whether it may write.
 */
export function mountSyncServer(host: HttpServer, options: MountOptions): SyncMount {
  const base = (options.path ?? '/anvil').replace(/\/+$/, '');
  const core = buildCore(options);
  const { server } = core;
  const within = (url: string | undefined) => {
    const path = (url ?? '/').split('?')[0] ?? '/';
    return path === base || path.startsWith(`${base}/`) || (base === '' && path.startsWith('/'));
  };
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!within(request.url)) return; // someone else's WebSocket
    server.webSocketServer.handleUpgrade(request, socket, head, (ws) => {
      server.webSocketServer.emit('connection', ws, request);
    });
  };
  host.on('upgrade', onUpgrade);
  return {
    storage: core.storage,
    pendingWrites: core.pendingWrites,
    handleRequest(request, response) {
      const path = (request.url ?? '').split('?')[0] ?? '';
      if (!path.startsWith(`${base}/`)) return false;
      const rest = path.slice(base.length);
      if (rest !== '/healthz' && rest !== '/api' && !rest.startsWith('/api/')) return false;
      void core.api(request, response, rest);
      return true;
    },
    close: async () => {
      host.off('upgrade', onUpgrade);
      await core.close();
    },
  };
}

interface Core {
  server: Server;
  /** Answers an HTTP request for a path relative to the server's base. */
  api: ClosableApiHandler;
  storage: DocumentStorage;
  pendingWrites(): number;
  close(): Promise<void>;
}

/** Hocuspocus with Anvil's hooks and limits, not yet listening. */
function buildCore(options: SyncServerOptions): Core {
  const log = options.log ?? (() => undefined);
  const ownStorage = !options.storage;
  const storage = options.storage ?? openStorage(options.dataDir);
  const writer = new DurableWriter(storage, { log });
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const beforeAuthLimits: BeforeAuthLimits = {
    messagesPerDocument: options.maxMessagesBeforeAuth ?? DEFAULT_MAX_MESSAGES_BEFORE_AUTH,
    documents: options.maxDocumentsBeforeAuth ?? DEFAULT_MAX_DOCUMENTS_BEFORE_AUTH,
    bytes: options.maxBytesBeforeAuth ?? DEFAULT_MAX_BYTES_BEFORE_AUTH,
  };
  const authTimeoutMs = options.authTimeoutMs ?? 15_000;
  // Documents each socket (keyed by its upgrade request) has authenticated: Hocuspocus multiplexes documents.
  const authenticated = new WeakMap<IncomingMessage, Set<string>>();
  // What each socket sent for documents still waiting for authentication (Hocuspocus queues it until then).
  const waiting = new WeakMap<IncomingMessage, WaitingForAuth>();
  const checker = options.checkUpdates === false ? undefined : new UpdateChecker();
  const messageRate = checkRateLimit(options.messageRateLimit ?? DEFAULT_MESSAGE_RATE_LIMIT, 'messageRateLimit');
  const byteRate = checkRateLimit(options.byteRateLimit ?? DEFAULT_BYTE_RATE_LIMIT, 'byteRateLimit');
  const maxAwarenessBytes = options.maxAwarenessBytes ?? DEFAULT_MAX_AWARENESS_BYTES;
  // Sockets closed for their rate or a bad presence message: what Hocuspocus still has queued from them is dropped.
  const refusedSockets = new WeakSet<object>();
  const api = createApiHandler({
    ...(options.api ? { backend: options.api } : {}),
    ...(options.apiLimits?.maxBodyBytes !== undefined ? { maxBodyBytes: options.apiLimits.maxBodyBytes } : {}),
    ...(options.apiLimits?.perToken ? { tokenRateLimit: options.apiLimits.perToken } : {}),
    ...(options.apiLimits?.perAddress ? { addressRateLimit: options.apiLimits.perAddress } : {}),
    ...(options.apiLimits?.readAuthCacheMs !== undefined ? { readAuthCacheMs: options.apiLimits.readAuthCacheMs } : {}),
    ...(options.registry ? { registry: options.registry } : {}),
    ...(options.feed ? { feed: options.feed } : {}),
    ...(options.usage ? { usage: options.usage } : {}),
    ...(options.apiLimits?.usagePerToken ? { usageTokenRateLimit: options.apiLimits.usagePerToken } : {}),
    log,
  });

  const anvil: Extension = {
    extensionName: 'anvil',

    async onAuthenticate(data: onAuthenticatePayload) {
      const { documentName, requestParameters, token, connectionConfig } = data;
      const clientProtocol = requestParameters.get(PROTOCOL_PARAM);
      if (clientProtocol !== null && clientProtocol !== String(SYNC_PROTOCOL_VERSION)) {
        log(`refused ${documentName}: protocol ${clientProtocol}`);
        throw new Refusal(protocolMismatchReason(clientProtocol));
      }
      if (!token) {
        log(`refused ${documentName}: no token`);
        throw new Refusal('unauthorized: no token was given');
      }
      let result: AuthResult | null;
      try {
        result = await options.authenticate(token, documentName);
      } catch (err) {
        log(`refused ${documentName}: authenticate failed: ${(err as Error).message}`);
        throw new Refusal('unauthorized: the token could not be checked');
      }
      if (!result) {
        log(`refused ${documentName}: unknown token`);
        throw new Refusal('unauthorized: unknown, expired or revoked token, or no access to this document');
      }
      connectionConfig.readOnly = result.readOnly;
      const docs = authenticated.get(data.request) ?? new Set<string>();
      docs.add(documentName);
      authenticated.set(data.request, docs);
      waiting.get(data.request)?.release(documentName);
      return { accountId: result.accountId, name: result.name ?? result.accountId, readOnly: result.readOnly };
    },

    async connected({ connection, context }) {
      const ctx = context as Partial<AuthResult>;
      const hello: HelloMessage = {
        type: 'anvil:hello',
        protocol: SYNC_PROTOCOL_VERSION,
        accountId: ctx.accountId ?? '',
        readOnly: connection.readOnly,
      };
      connection.sendStateless(JSON.stringify(hello));
    },

    async onLoadDocument({ document, documentName }) {
      let state: Uint8Array | null;
      try {
        state = await storage.load(documentName);
        if (state) Y.applyUpdate(document, state);
      } catch (err) {
        log(`document ${documentName} failed to load: ${(err as Error).message}`);
        recordDocumentLoad(false);
        throw new Refusal(`document-unavailable: ${documentName} could not be loaded`);
      }
      recordDocumentLoad(true);
      // Registered after the stored state went in, so only new edits are appended. This listener runs inside
      // the Yjs transaction that applied a client's update, before Hocuspocus acknowledges it: with SQLite the
      // update is on disk before the client hears it was synced.
      document.on('update', (update: Uint8Array, origin: unknown) => {
        writer.write(documentName, update);
        const who = editorOf(origin);
        if (!options.onEdit || !who) return;
        try {
          options.onEdit({ documentName, accountId: who.accountId, name: who.name, bytes: update.length });
        } catch (err) {
          log(`onEdit failed for ${documentName}: ${(err as Error).message}`);
        }
      });
    },

    async beforeHandleMessage({ update: message, documentName, connection }) {
      // A socket already being closed: what it still has queued is never applied. Never settling (rather than
      // throwing) spares the log a line per queued message; nothing holds the promise, so it is collected.
      if (refusedSockets.has(connection.webSocket)) return new Promise<never>(() => undefined);
      const awareness = awarenessOf(message);
      if (awareness) {
        const problem =
          message.length > maxAwarenessBytes
            ? `awareness-too-large: ${message.length} bytes, at most ${maxAwarenessBytes}`
            : awarenessProblem(awareness);
        if (!problem) return;
        log(`closed a socket on ${documentName}: ${problem}`);
        // The whole socket: a crafted presence message says nothing good about its other documents.
        connection.webSocket.close(problem.startsWith('awareness-too-large') ? 1009 : 1008, problem.slice(0, 120));
        throw { code: 4400, reason: problem };
      }
      const update = checker && syncUpdateOf(message);
      if (!update) return;
      try {
        await checker.check(update);
      } catch (err) {
        log(`closed a connection to ${documentName}: ${(err as Error).message}`);
        // Hocuspocus closes this document connection with this code and reason.
        throw { code: 4400, reason: `invalid-update: ${(err as Error).message}` };
      }
    },

    async beforeSync({ connection, type }) {
      // y-protocols: 2 is an update; Hocuspocus drops it on a read-only connection, we also say why.
      if (connection.readOnly && type === 2) {
        const refused: WriteRefusedMessage = {
          type: 'anvil:write-refused',
          reason: 'read-only: this connection may read the document but not change it',
        };
        connection.sendStateless(JSON.stringify(refused));
      }
    },
  };

  const server = new Server(
    {
      name: 'anvil-sync',
      port: options.port ?? 0,
      address: options.host ?? '127.0.0.1',
      quiet: true,
      stopOnSignals: false,
      extensions: [anvil],
    },
    { maxPayload: maxMessageBytes },
  );

  // OpenTelemetry gauges (a no-op without an SDK): sockets and documents in memory, read when collected.
  const unobserve = observeSyncServer({
    sockets: () => server.webSocketServer.clients.size,
    documents: () => server.hocuspocus.getDocumentsCount(),
  });

  // HTTP requests go straight to the API: Hocuspocus's onRequest hook chain adds promises and a thrown null to
  // every request, a measurable share of a bundle download (bench/registry.bench.ts).
  server.httpServer.removeAllListeners('request');
  server.httpServer.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '/';
    const q = url.indexOf('?');
    void api(request, response, q < 0 ? url : url.slice(0, q));
  });

  // Bound what a socket can do before it proves who it is: Hocuspocus queues those messages unboundedly.
  server.webSocketServer.on('connection', (ws, request: IncomingMessage) => {
    const bucket = new TokenBucket(messageRate, Date.now());
    const bytes = new TokenBucket(byteRate, Date.now());
    const beforeAuth = new WaitingForAuth(beforeAuthLimits);
    waiting.set(request, beforeAuth);
    ws.on('message', (data: Buffer) => {
      if (refusedSockets.has(ws)) {
        // Still sending after being told to stop: no more waiting for its close handshake.
        ws.terminate();
        return;
      }
      const now = Date.now();
      if (!bytes.take(now, data.length)) {
        refusedSockets.add(ws);
        log(`closed a socket over its byte rate (${byteRate.perSecond} B/s, bursts of ${byteRate.burst})`);
        ws.close(1008, `rate-limit: more than ${byteRate.perSecond} bytes per second`);
        return;
      }
      if (bucket.take(now)) {
        // Presence is small: a big one is refused before it is queued or decoded.
        if (data.length > maxAwarenessBytes && awarenessOf(data)) {
          log(`closed a socket: awareness message of ${data.length} bytes`);
          ws.close(1009, `awareness-too-large: ${data.length} bytes, at most ${maxAwarenessBytes}`);
          refusedSockets.add(ws);
        }
        return;
      }
      refusedSockets.add(ws);
      log(`closed a socket over its message rate (${messageRate.perSecond}/s, bursts of ${messageRate.burst})`);
      ws.close(1008, `rate-limit: more than ${messageRate.perSecond} messages per second`);
    });
    const deadline = setTimeout(() => {
      if (!authenticated.has(request)) ws.close(1008, 'authentication timeout');
    }, authTimeoutMs);
    deadline.unref();
    ws.on('close', () => clearTimeout(deadline));
    ws.on('message', (data: Buffer) => {
      const name = documentNameOf(data);
      if (name !== undefined && authenticated.get(request)?.has(name)) return;
      const refusal = beforeAuth.add(name ?? '', data.length);
      if (refusal) ws.close(1008, refusal);
    });
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // Feed streams end cleanly first (clients resume by event id), before every connection is cut.
      unobserve();
      api.close();
      for (const ws of server.webSocketServer.clients) ws.terminate();
      server.httpServer.closeAllConnections();
      await withTimeout(server.destroy(), 5_000);
      const unstored = await writer.flush();
      if (unstored > 0) log(`${unstored} update(s) could not be stored before closing`);
      await checker?.close();
      if (ownStorage) await storage.close();
    })());

  return { server, api, storage, pendingWrites: () => writer.pendingCount, close };
}

/** The account behind an update's origin: Hocuspocus passes the client's Connection, whose context we filled. */
function editorOf(origin: unknown): { accountId: string; name: string } | undefined {
  if (typeof origin !== 'object' || origin === null || !('context' in origin)) return undefined;
  const ctx = (origin as { context: unknown }).context as Partial<AuthResult> | undefined;
  if (!ctx || typeof ctx.accountId !== 'string') return undefined;
  return { accountId: ctx.accountId, name: ctx.name ?? ctx.accountId };
}

/** The document a Hocuspocus message is for, or undefined when even that does not decode. */
function documentNameOf(message: Uint8Array): string | undefined {
  try {
    return decoding.readVarString(decoding.createDecoder(message));
  } catch {
    return undefined;
  }
}

/** The awareness update inside a Hocuspocus awareness message (type 1), or undefined for any other message. */
function awarenessOf(message: Uint8Array): Uint8Array | undefined {
  try {
    const d = decoding.createDecoder(message);
    decoding.readVarString(d);
    if (decoding.readVarUint(d) !== 1) return undefined;
    return decoding.hasContent(d) ? message.subarray(d.pos) : new Uint8Array();
  } catch {
    return undefined;
  }
}

/**
 * The Yjs update inside a Hocuspocus sync message (sync step 2 or update), or undefined for any other message.
 * Malformed framing returns undefined too: Hocuspocus's own decoding then refuses it.
 */
function syncUpdateOf(message: Uint8Array): Uint8Array | undefined {
  try {
    const d = decoding.createDecoder(message);
    decoding.readVarString(d);
    const type = decoding.readVarUint(d);
    if (type !== 0 && type !== 4) return undefined; // Sync, SyncReply
    const syncType = decoding.readVarUint(d);
    if (syncType !== 1 && syncType !== 2) return undefined; // step 2, update
    return decoding.readVarUint8Array(d);
  } catch {
    return undefined;
  }
}

function openStorage(dataDir: string | undefined): DocumentStorage {
  if (!dataDir) {
    throw new AnvilError({ code: 'invalid_options', message: 'createSyncServer needs a dataDir or a storage.' });
  }
  return openSqliteStorage(dataDir);
}

async function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([p, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
