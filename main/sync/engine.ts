import { HocuspocusProviderWebsocket, WebSocketStatus } from '@hocuspocus/provider';
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { ORIGIN, docKind, meta, migrateDoc, setIndex } from '../../shared/doc';
import { AnvilError } from '../../shared/domain';
import type { RemoteProject } from '../../shared/sync/api';
import { PROTOCOL_PARAM, SYNC_PROTOCOL_VERSION } from '../../shared/sync/protocol';
import type { SyncNotice, SyncStatus, SyncTestResult } from '../../shared/sync/status';
import type { AwarenessHub } from '../studio/awareness';
import type { CommittedDoc } from '../store/docs/types';
import type { Workspace } from '../store/workspace';
import type { BridgeEvents } from './bridge';
import { DocBridge } from './bridge';
import { GuardedWebSocket } from './guarded-websocket';
import type { SyncHttp } from './http';
import { createSyncHttp } from './http';
import type { PendingTracker } from './pending';
import { demoProjectIds } from './scope';
import { parseServerUrl } from './server-url';
import type { ServerUrls } from './server-url';
import { indexLocalSets, localSetsByProject, projectOfSet, resolveNameClashes } from './set-index';
import type { SecretStore, StudioSync, SyncConfigureArgs, SyncTestArgs, VersionSyncApi } from './types';

/** Settings keys (workspace settings) and the secret's name. The token is never in settings or logs. */
export const SYNC_KEYS = {
  url: 'sync.url',
  enabled: 'sync.enabled',
  includeDemo: 'sync.includeDemo',
  token: 'sync.token',
} as const;

export interface SyncTiming {
  /** Local changes go on the wire at most this often (ms). */
  batchMs: number;
  /** Reconnection backoff (the provider's own): first delay, growth factor, cap, jitter floor. */
  delay: number;
  factor: number;
  maxDelay: number;
  minDelay: number;
  /** The server's project list and the versions are refreshed this often while connected. */
  refreshMs: number;
  /** A document is pinged this often, so an idle connection still hears from the server. */
  keepaliveMs: number;
  /** The provider closes a connection that heard nothing for this long. */
  messageReconnectTimeout: number;
  httpTimeoutMs: number;
  /** Status events at most this often. */
  statusMs: number;
}

export const DEFAULT_TIMING: SyncTiming = {
  batchMs: 30,
  delay: 1000,
  factor: 2,
  maxDelay: 30_000,
  minDelay: 500,
  refreshMs: 15_000,
  keepaliveMs: 10_000,
  messageReconnectTimeout: 30_000,
  httpTimeoutMs: 10_000,
  statusMs: 100,
};

export interface SyncEngineOptions {
  ws: Workspace;
  awareness: AwarenessHub;
  secrets: SecretStore;
  /** Its projector must be among the workspace's (`openWorkspace({ projectors })`). */
  pending: PendingTracker;
  versions?: VersionSyncApi;
  timing?: Partial<SyncTiming>;
  /** The protocol version named on the WebSocket URL (tests of a mismatch only). */
  protocol?: number;
  /** Failures nobody awaits (a remote update that could not be stored). */
  onError?: (err: AnvilError) => void;
}

/** The engine as the host sees it, plus what tests look at. */
export interface SyncEngine extends StudioSync {
  /** Synced documents (bridges), for tests. */
  readonly documents: ReadonlyMap<string, DocBridge>;
  /** Resolves when the status says `state` (or rejects after `ms`). For tests and tools. */
  waitFor(state: SyncStatus['state'], ms?: number): Promise<SyncStatus>;
  /** This studio's sync id (the `createdBy` of its sets in the project index). */
  readonly studioId: string;
}

interface Session {
  urls: ServerUrls;
  token: string;
  http: SyncHttp;
  /** Whether the server has the HTTP API (`/api/whoami`); a server without it syncs local projects only. */
  api: boolean;
  phase: 'connecting' | 'offline' | 'online' | 'error';
  error: { code: string; reason: string } | null;
  reason: string | null;
  account: string | null;
  socket: HocuspocusProviderWebsocket | null;
  bridges: Map<string, DocBridge>;
  remote: Map<string, RemoteProject>;
  /** Projects the server will not let this account sync, with why. */
  refused: Map<string, string>;
  failures: number;
  nextAttemptAt: number | null;
  everConnected: boolean;
  timers: ReturnType<typeof setTimeout>[];
  intervals: ReturnType<typeof setInterval>[];
  stopped: boolean;
  versionsRunning: boolean;
  versionsAgain: boolean;
  writeRefused: Set<string>;
  checkingToken: boolean;
}

const STUDIO_ID_KEY = 'studioId';
const LAST_SYNCED_KEY = 'lastSyncedAt';

/**
 * The studio's sync with a server (see `main/sync/README.md`): every document of the synced projects is
 * bridged to a stock Hocuspocus provider on one shared WebSocket; edits are stored locally first and reach the
 * server when it can be reached; the status says where things stand.
 */
export async function createSyncEngine(options: SyncEngineOptions): Promise<SyncEngine> {
  const engine = new Engine(options);
  await engine.init();
  return engine;
}

class Engine implements SyncEngine {
  private readonly ws: Workspace;
  private readonly t: SyncTiming;
  private readonly statusListeners = new Set<(s: SyncStatus) => void>();
  private readonly noticeListeners = new Set<(n: SyncNotice) => void>();
  private readonly offs: (() => void)[] = [];
  private url: string | null = null;
  private enabled = false;
  private includeDemo = false;
  private token: string | null = null;
  private demo = new Set<string>();
  private session: Session | null = null;
  private lastSyncedAt: number | null = null;
  private lastEmitted = '';
  private lastEmitAt = 0;
  private emitTimer: ReturnType<typeof setTimeout> | null = null;
  private scopeTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly clashChecks = new Set<string>();
  private clashTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  studioId = '';

  constructor(private readonly o: SyncEngineOptions) {
    this.ws = o.ws;
    this.t = { ...DEFAULT_TIMING, ...o.timing };
  }

  get documents(): ReadonlyMap<string, DocBridge> {
    return this.session?.bridges ?? new Map();
  }

  async init(): Promise<void> {
    const db = this.ws.internals.db;
    const get = db.prepare<[string], string>('SELECT value FROM sync_state WHERE key = ?').pluck();
    this.studioId = get.get(STUDIO_ID_KEY) ?? randomUUID();
    db.prepare('INSERT OR IGNORE INTO sync_state (key, value) VALUES (?, ?)').run(STUDIO_ID_KEY, this.studioId);
    const last = Number(get.get(LAST_SYNCED_KEY));
    this.lastSyncedAt = Number.isFinite(last) && last > 0 ? last : null;
    this.o.pending.load(db);
    this.o.pending.setCounter((d) => this.counts(d));
    this.offs.push(this.o.pending.onChange(() => this.changed()));
    this.offs.push(this.ws.internals.docs.onCommitted((docs) => this.committed(docs)));
    if (this.o.versions) {
      this.offs.push(this.o.versions.onNotice((n) => this.notify(n)));
      this.offs.push(this.o.versions.onChange(() => this.session && void this.runVersions(this.session)));
    }
    await this.readSettings();
    this.demo = await demoProjectIds(this.ws);
    // Listeners learn of changes; the status at start is what `sync:status` answers.
    this.lastEmitted = statusKey(this.status());
    this.startSession();
  }

  // ── StudioSync ────────────────────────────────────────────────────────────────────────────────────────

  status(): SyncStatus {
    const totals = this.o.pending.totals();
    const s = this.session;
    const base: SyncStatus = {
      state: 'off',
      reason: null,
      errorCode: null,
      enabled: this.enabled,
      url: this.url,
      hasToken: this.token !== null,
      account: s?.account ?? null,
      includeDemo: this.includeDemo,
      pendingChanges: totals.changes,
      pendingDocs: totals.docs,
      pendingVersions: this.o.versions?.pending() ?? 0,
      documents: s?.bridges.size ?? 0,
      lastSyncedAt: this.lastSyncedAt,
      nextAttemptAt: null,
      secretStorage: this.o.secrets.kind,
    };
    if (!this.enabled || !this.url || !s) return base;
    if (s.error) return { ...base, state: 'error', reason: s.error.reason, errorCode: s.error.code };
    const offline = (): SyncStatus => ({
      ...base,
      state: 'offline',
      reason:
        s.reason ?? `The sync server at ${s.urls.http} cannot be reached; changes are kept and sent when it returns.`,
      nextAttemptAt: s.nextAttemptAt,
    });
    if (s.phase === 'offline') return offline();
    if (s.phase === 'connecting' || !s.socket) return { ...base, state: 'connecting' };
    if (s.socket.status !== WebSocketStatus.Connected) {
      return s.failures > 0 || s.everConnected ? offline() : { ...base, state: 'connecting' };
    }
    const refused = [...s.refused.values()];
    const reason = refused.length > 0 ? `Not synced: ${refused.join('; ')}` : null;
    const bridges = [...s.bridges.values()].filter((b) => b.refusedReason === null);
    const synced =
      totals.changes === 0 &&
      bridges.every((b) => b.synced && b.provider.unsyncedChanges === 0 && (!b.live || b.level));
    return { ...base, state: synced ? 'synced' : 'syncing', reason };
  }

  async configure(args: SyncConfigureArgs): Promise<SyncStatus> {
    if (args.url !== undefined && args.url !== null && args.url !== '') parseServerUrl(args.url);
    const settings = this.ws.settings;
    if (args.url !== undefined) {
      const url = args.url === null || args.url === '' ? null : args.url.trim();
      await settings.set({ key: SYNC_KEYS.url, value: url });
      // A server configured for the first time is synced unless the caller says otherwise.
      if (url && args.enabled === undefined && (await settings.get({ key: SYNC_KEYS.enabled })) === null)
        await settings.set({ key: SYNC_KEYS.enabled, value: true });
    }
    if (args.token !== undefined) {
      if (args.token === null || args.token === '') await this.o.secrets.delete(SYNC_KEYS.token);
      else await this.o.secrets.set(SYNC_KEYS.token, args.token);
    }
    if (args.enabled !== undefined) await settings.set({ key: SYNC_KEYS.enabled, value: args.enabled });
    if (args.includeDemo !== undefined) await settings.set({ key: SYNC_KEYS.includeDemo, value: args.includeDemo });
    await this.readSettings();
    this.startSession();
    return this.status();
  }

  async test(args: SyncTestArgs): Promise<SyncTestResult> {
    const urls = parseServerUrl(args.url);
    const token = args.token ? args.token : this.token;
    if (!token) throw noToken();
    const http = createSyncHttp({ urls, token, timeoutMs: this.t.httpTimeoutMs });
    const started = performance.now();
    const who = await http.whoami();
    const latencyMs = Math.round(performance.now() - started);
    const projects = await http.projects();
    return {
      account: who.name,
      serverAdmin: who.serverAdmin,
      protocol: who.protocol,
      projects: projects.length,
      latencyMs,
    };
  }

  retry(): SyncStatus {
    const s = this.session;
    if (!s || s.error || s.phase !== 'online' || !s.socket) this.startSession();
    else {
      s.failures = 0;
      s.nextAttemptAt = null;
      void s.socket.connect().catch(() => undefined);
    }
    this.changed();
    return this.status();
  }

  onStatus(listener: (status: SyncStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onNotice(listener: (notice: SyncNotice) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopSession();
    for (const off of this.offs.splice(0)) off();
    for (const timer of [this.emitTimer, this.scopeTimer, this.clashTimer]) if (timer) clearTimeout(timer);
    this.o.pending.flush();
    this.saveLastSynced();
    // The pending counter stays: what the workspace commits while closing is still unsent.
  }

  waitFor(state: SyncStatus['state'], ms = 10_000): Promise<SyncStatus> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const s = this.status();
        if (s.state !== state) return false;
        clearTimeout(timer);
        clearInterval(poll);
        off();
        resolve(s);
        return true;
      };
      const timer = setTimeout(() => {
        clearInterval(poll);
        off();
        const s = this.status();
        reject(new Error(`sync did not reach "${state}" within ${ms} ms (it is "${s.state}": ${s.reason ?? ''})`));
      }, ms);
      const poll = setInterval(check, 25);
      const off = this.onStatus(() => void check());
      check();
    });
  }

  // ── sessions ──────────────────────────────────────────────────────────────────────────────────────────

  private async readSettings(): Promise<void> {
    const get = (key: string) => this.ws.settings.get({ key });
    const url = await get(SYNC_KEYS.url);
    this.url = typeof url === 'string' && url ? url : null;
    this.enabled = (await get(SYNC_KEYS.enabled)) === true;
    this.includeDemo = (await get(SYNC_KEYS.includeDemo)) === true;
    this.token = await this.o.secrets.get(SYNC_KEYS.token);
  }

  private startSession(): void {
    this.stopSession();
    if (this.closed || !this.enabled || !this.url) return this.changed();
    let urls: ServerUrls;
    try {
      urls = parseServerUrl(this.url);
    } catch (err) {
      return this.failSession(this.newSession({ http: '', ws: '' }, ''), err);
    }
    const s = this.newSession(urls, this.token ?? '');
    if (!this.token) return this.failSession(s, noToken());
    void this.run(s);
  }

  private newSession(urls: ServerUrls, token: string): Session {
    const s: Session = {
      urls,
      token,
      http: createSyncHttp({ urls, token, timeoutMs: this.t.httpTimeoutMs }),
      api: true,
      phase: 'connecting',
      error: null,
      reason: null,
      account: null,
      socket: null,
      bridges: new Map(),
      remote: new Map(),
      refused: new Map(),
      failures: 0,
      nextAttemptAt: null,
      everConnected: false,
      timers: [],
      intervals: [],
      stopped: false,
      versionsRunning: false,
      versionsAgain: false,
      writeRefused: new Set(),
      checkingToken: false,
    };
    this.session = s;
    this.changed();
    return s;
  }

  private stopSession(): void {
    const s = this.session;
    if (!s) return;
    this.session = null;
    this.teardown(s);
  }

  private teardown(s: Session): void {
    s.stopped = true;
    for (const t of s.timers.splice(0)) clearTimeout(t);
    for (const i of s.intervals.splice(0)) clearInterval(i);
    for (const b of s.bridges.values()) {
      b.flush();
      this.resetIfLevel(b);
      b.destroy();
    }
    s.bridges.clear();
    s.socket?.destroy();
    s.socket = null;
  }

  private failSession(s: Session, err: unknown): void {
    const e = err instanceof AnvilError ? err : null;
    s.phase = 'error';
    s.error = {
      code: e?.code ?? 'sync_error',
      reason: e?.message ?? (err instanceof Error ? err.message : String(err)),
    };
    this.teardown(s);
    this.changed();
  }

  /** HTTP first (who, which projects, register ours), then the WebSocket. Unreachable: retry with backoff. */
  private async run(s: Session): Promise<void> {
    s.phase = s.failures > 0 ? 'offline' : 'connecting';
    this.changed();
    try {
      await this.prepare(s);
    } catch (err) {
      if (s.stopped) return;
      const code = err instanceof AnvilError ? err.code : '';
      if (code === 'sync_unreachable' || code === 'sync_server_error') {
        s.failures++;
        s.phase = 'offline';
        s.reason = err instanceof Error ? `${err.message} Changes are kept and sent when it returns.` : null;
        const wait = this.backoff(s.failures);
        s.nextAttemptAt = Date.now() + wait;
        s.timers.push(setTimeout(() => void this.run(s), wait));
        this.changed();
        return;
      }
      return this.failSession(s, err);
    }
    if (s.stopped) return;
    s.reason = null;
    s.failures = 0;
    s.nextAttemptAt = null;
    s.phase = 'online';
    this.connect(s);
  }

  private async prepare(s: Session): Promise<void> {
    try {
      const who = await s.http.whoami();
      s.account = who.name;
      s.api = true;
    } catch (err) {
      // A server without the HTTP API (an embedding host that mounts only the sync): WebSocket only.
      if (!(err instanceof AnvilError && err.code === 'sync_not_a_server')) throw err;
      s.api = false;
    }
    if (s.api) await this.refreshProjects(s);
  }

  /** The server's projects for this account; local ones it lacks are registered before they connect. */
  private async refreshProjects(s: Session): Promise<void> {
    const remote = await s.http.projects();
    if (s.stopped) return;
    s.remote = new Map(remote.map((p) => [p.id, p]));
    for (const projectId of this.localProjects()) {
      if (s.remote.has(projectId) || s.refused.has(projectId)) continue;
      const doc = this.ws.internals.docs.get(projectId);
      const name = String(doc ? (meta(doc).get('name') ?? '') : '');
      try {
        const registered = await s.http.registerProject({ id: projectId, name });
        s.remote.set(projectId, registered);
      } catch (err) {
        if (err instanceof AnvilError && err.code === 'sync_forbidden')
          s.refused.set(projectId, `project "${name}": ${err.message}`);
        else throw err;
      }
    }
  }

  private connect(s: Session): void {
    const url = `${s.urls.ws}${s.urls.ws.includes('?') ? '&' : '?'}${PROTOCOL_PARAM}=${this.o.protocol ?? SYNC_PROTOCOL_VERSION}`;
    const socket = new HocuspocusProviderWebsocket({
      url,
      WebSocketPolyfill: GuardedWebSocket,
      delay: this.t.delay,
      factor: this.t.factor,
      maxDelay: this.t.maxDelay,
      minDelay: this.t.minDelay,
      jitter: true,
      messageReconnectTimeout: this.t.messageReconnectTimeout,
      onStatus: ({ status }) => {
        if (s.stopped) return;
        if (status === WebSocketStatus.Connected) {
          s.failures = 0;
          s.nextAttemptAt = null;
        }
        this.changed();
      },
      onConnect: () => {
        if (s.stopped) return;
        const again = s.everConnected;
        s.everConnected = true;
        // Back after a disconnection: the server's projects (and versions) may have changed meanwhile.
        if (again) void this.refresh(s);
        else void this.runVersions(s);
        this.changed();
      },
      onDisconnect: () => {
        if (s.stopped) return;
        s.failures++;
        s.nextAttemptAt = Date.now() + this.backoff(s.failures);
        this.changed();
      },
    });
    s.socket = socket;
    void this.syncScope(s);
    s.intervals.push(setInterval(() => void this.refresh(s), this.t.refreshMs));
    let next = 0;
    s.intervals.push(
      setInterval(() => {
        if (socket.status !== WebSocketStatus.Connected) return;
        const all = [...s.bridges.values()];
        if (all.length > 0) all[next++ % all.length]?.ping();
      }, this.t.keepaliveMs),
    );
  }

  /** Connected: the server's projects again, new local projects registered and connected, then versions. */
  private async refresh(s: Session): Promise<void> {
    if (s.stopped || s.socket?.status !== WebSocketStatus.Connected) return;
    if (s.api)
      try {
        await this.refreshProjects(s);
      } catch {
        // Unreachable for a moment: the socket's own state says so; the next refresh tries again.
        return;
      }
    await this.syncScope(s);
    await this.runVersions(s);
  }

  private async runVersions(s: Session): Promise<void> {
    const versions = this.o.versions;
    if (!versions || !s.api || s.stopped || s.socket?.status !== WebSocketStatus.Connected) return;
    if (s.versionsRunning) {
      s.versionsAgain = true;
      return;
    }
    s.versionsRunning = true;
    try {
      do {
        s.versionsAgain = false;
        const ids = this.localProjects().filter((id) => s.remote.has(id));
        await versions.run(s.http, ids);
      } while (s.versionsAgain && !s.stopped);
    } catch (err) {
      this.o.onError?.(
        err instanceof AnvilError ? err : new AnvilError({ code: 'sync_versions', message: String(err) }),
      );
    } finally {
      s.versionsRunning = false;
      this.changed();
    }
  }

  // ── which documents ───────────────────────────────────────────────────────────────────────────────────

  private inScope(projectId: string): boolean {
    return this.includeDemo || !this.demo.has(projectId);
  }

  /** Local projects that are synced (trashed ones too: the trash state is part of the document). */
  private localProjects(): string[] {
    return this.ws.internals.docs.list('project').filter((id) => this.inScope(id));
  }

  /** Whether a committed local change counts as pending (the pending projector asks, inside the commit). */
  private counts(d: CommittedDoc): boolean {
    if (!this.enabled || !this.url) return false;
    const projectId = d.kind === 'project' ? d.docId : projectOfSet(d.doc);
    if (!projectId || !this.inScope(projectId)) return false;
    if (this.session?.refused.has(projectId)) return false;
    const bridge = this.session?.bridges.get(d.docId);
    return !bridge?.level;
  }

  /** Make a bridge for every document that should be synced and has none (idempotent). */
  private async syncScope(s: Session): Promise<void> {
    if (s.stopped || !s.socket) return;
    const docs = this.ws.internals.docs;
    const setsByProject = localSetsByProject(this.ws);
    const projects = this.localProjects();
    if (s.api && projects.some((id) => !s.remote.has(id) && !s.refused.has(id))) {
      // A project made here since the last look: registered before its documents connect.
      try {
        await this.refreshProjects(s);
      } catch {
        return;
      }
      if (s.stopped) return;
    }
    const localSets = new Set(docs.list('set'));
    for (const projectId of projects) {
      if (s.refused.has(projectId) || (s.api && !s.remote.has(projectId))) continue;
      const live = safeGet(this.ws, projectId);
      if (!live) continue;
      this.bridge(s, projectId, projectId, live);
      const sets = setsByProject.get(projectId) ?? [];
      for (const setId of sets) {
        const setDoc = safeGet(this.ws, setId);
        if (setDoc) this.bridge(s, setId, projectId, setDoc);
      }
      for (const setId of setIndex(live).keys()) if (!localSets.has(setId)) this.bridge(s, setId, projectId, null);
      try {
        await indexLocalSets(this.ws, projectId, sets, this.studioId);
      } catch (err) {
        this.o.onError?.(
          err instanceof AnvilError ? err : new AnvilError({ code: 'sync_index', message: String(err) }),
        );
      }
      if (s.stopped) return;
      this.clashCheckSoon(projectId);
    }
    // The server's projects this studio does not have yet: their project documents first.
    for (const projectId of s.remote.keys())
      if (!s.refused.has(projectId) && !docs.get(projectId)) this.bridge(s, projectId, projectId, null);
    this.changed();
  }

  private bridge(s: Session, docId: string, projectId: string, live: Y.Doc | null): void {
    if (s.bridges.has(docId) || !s.socket) return;
    const b = new DocBridge({
      docId,
      name: `${projectId}/${docId}`,
      socket: s.socket,
      token: s.token,
      batchMs: this.t.batchMs,
      events: this.bridgeEvents(s, projectId),
    });
    s.bridges.set(docId, b);
    if (live) {
      b.setLive(live);
      b.setAwareness(this.o.awareness.get(docId, live));
    }
    b.attach();
  }

  private bridgeEvents(s: Session, projectId: string): BridgeEvents {
    return {
      changed: () => this.changed(),
      level: (b) => this.resetIfLevel(b),
      remote: (b, update) => {
        if (b.live) {
          const docId = b.docId;
          b.applyingFromWire(() => this.ws.internals.docs.applyUpdate(docId, update, ORIGIN.remote)).catch(
            (err: unknown) => this.reportError(err, `A change from the server to ${docId} could not be stored`),
          );
        } else this.materialize(s, b, projectId);
      },
      refused: (b, reason) => this.refused(s, b, projectId, reason),
      stateless: (b, payload) => this.stateless(s, b, payload),
    };
  }

  /**
   * A document the server has and this studio does not: created locally once the wire holds a real document
   * of the expected kind (never an empty one), then bridged like any other.
   */
  private materialize(s: Session, b: DocBridge, projectId: string): void {
    if (s.stopped || b.live) return;
    const kind = docKind(b.wire);
    const m = meta(b.wire);
    const fits =
      (kind === 'project' && b.docId === projectId && m.get('id') === projectId) ||
      (kind === 'set' && b.docId !== projectId && m.get('projectId') === projectId);
    if (!kind || !fits) return;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(b.wire), ORIGIN.remote);
    try {
      migrateDoc(doc);
    } catch (err) {
      doc.destroy();
      return this.reportError(err, `${b.docId} from the server cannot be read`);
    }
    const docs = this.ws.internals.docs;
    if (docs.get(b.docId)) return;
    // create() attaches the document synchronously; the bridge follows it from the same tick on.
    const created = docs.create(b.docId, kind, doc, ORIGIN.remote);
    b.setLive(doc);
    b.setAwareness(this.o.awareness.get(b.docId, doc));
    created.then(
      () => {
        if (kind === 'project') void this.syncScope(s);
        else this.clashCheckSoon(projectId);
        this.changed();
      },
      (err: unknown) => this.reportError(err, `${b.docId} from the server could not be stored`),
    );
  }

  private refused(s: Session, b: DocBridge, projectId: string, reason: string): void {
    if (s.stopped) return;
    if (reason.startsWith('protocol-mismatch')) {
      const detail = reason.replace(/^protocol-mismatch:\s*/, '');
      return this.failSession(
        s,
        new AnvilError({
          code: 'sync_protocol_mismatch',
          message: `The sync server refused this studio's protocol (${detail}): update the older one.`,
        }),
      );
    }
    if (reason.startsWith('unauthorized')) {
      const tokenRefused = new AnvilError({
        code: 'sync_unauthorized',
        message: 'The sync server refused the token (unknown, expired or revoked): create a new one and save it.',
      });
      if (!s.api) return this.failSession(s, tokenRefused);
      // The token may be fine and only this project closed to it: ask the server who the token is.
      if (s.checkingToken) return;
      s.checkingToken = true;
      void s.http.whoami().then(
        () => {
          s.checkingToken = false;
          if (s.stopped) return;
          s.refused.set(projectId, `project ${projectId}: this account has no access to it on the server`);
          for (const [docId, other] of s.bridges)
            if (other.name.startsWith(`${projectId}/`)) {
              other.destroy();
              s.bridges.delete(docId);
            }
          this.changed();
        },
        (err: unknown) => {
          s.checkingToken = false;
          if (s.stopped) return;
          if (err instanceof AnvilError && err.code === 'sync_unauthorized') this.failSession(s, tokenRefused);
        },
      );
      return;
    }
    this.changed();
    void b;
  }

  private stateless(s: Session, b: DocBridge, payload: string): void {
    let message: { type?: unknown; reason?: unknown; accountId?: unknown };
    try {
      message = JSON.parse(payload) as typeof message;
    } catch {
      return;
    }
    if (message.type === 'anvil:hello' && typeof message.accountId === 'string' && !s.account)
      s.account = message.accountId;
    if (message.type === 'anvil:write-refused' && !s.writeRefused.has(b.docId)) {
      s.writeRefused.add(b.docId);
      this.notify({ kind: 'write-refused', docId: b.docId, reason: String(message.reason ?? 'read-only') });
    }
  }

  private resetIfLevel(b: DocBridge): void {
    if (b.level) this.o.pending.reset(b.docId);
  }

  // ── the store's commits ───────────────────────────────────────────────────────────────────────────────

  private committed(docs: readonly CommittedDoc[]): void {
    const s = this.session;
    if (!s || s.stopped || !s.socket) return;
    let rescan = false;
    for (const d of docs) {
      const projectId = d.kind === 'project' ? d.docId : projectOfSet(d.doc);
      if (!projectId || !this.inScope(projectId)) continue;
      // A document made here since the scan (a new project or set), or a colleague's new set in an index.
      if (!s.bridges.has(d.docId)) rescan = true;
      if (d.kind === 'project' && d.origins.has(ORIGIN.remote)) {
        for (const setId of setIndex(d.doc).keys()) if (!s.bridges.has(setId)) rescan = true;
      }
      if (d.origins.has(ORIGIN.remote)) this.clashCheckSoon(projectId);
      const b = s.bridges.get(d.docId);
      if (b) this.resetIfLevel(b);
    }
    if (rescan) this.scopeSoon(s);
    this.changed();
  }

  private scopeSoon(s: Session): void {
    if (this.scopeTimer) return;
    this.scopeTimer = setTimeout(() => {
      this.scopeTimer = null;
      if (this.session === s) void this.syncScope(s);
    }, 20);
  }

  private clashCheckSoon(projectId: string): void {
    this.clashChecks.add(projectId);
    this.clashTimer ??= setTimeout(() => {
      this.clashTimer = null;
      const ids = [...this.clashChecks];
      this.clashChecks.clear();
      void (async () => {
        for (const id of ids) {
          if (this.closed) return;
          try {
            for (const n of await resolveNameClashes(this.ws, id, this.studioId)) this.notify(n);
          } catch (err) {
            this.reportError(err, `Sets of ${id} with the same name could not be renamed`);
          }
        }
      })();
    }, 50);
  }

  // ── status ────────────────────────────────────────────────────────────────────────────────────────────

  /** Emit the status (at most every `statusMs`, the last one always). */
  private changed(): void {
    if (this.emitTimer || this.closed) return;
    const wait = Math.max(0, this.lastEmitAt + this.t.statusMs - Date.now());
    this.emitTimer = setTimeout(() => {
      this.emitTimer = null;
      this.lastEmitAt = Date.now();
      let status = this.status();
      if (status.state === 'synced') {
        const first = this.lastSyncedAt === null;
        this.lastSyncedAt = Date.now();
        status = { ...status, lastSyncedAt: this.lastSyncedAt };
        if (first || !this.lastEmitted.includes('"state":"synced"')) this.saveLastSynced();
      }
      const json = statusKey(status);
      if (json === this.lastEmitted) return;
      this.lastEmitted = json;
      for (const l of this.statusListeners) l(status);
    }, wait);
  }

  private saveLastSynced(): void {
    if (this.lastSyncedAt === null) return;
    try {
      this.ws.internals.db
        .prepare(
          'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        )
        .run(LAST_SYNCED_KEY, String(this.lastSyncedAt));
    } catch {
      // The workspace is closing: the time is only informative.
    }
  }

  private notify(notice: SyncNotice): void {
    for (const l of this.noticeListeners) l(notice);
  }

  private reportError(err: unknown, what: string): void {
    const message = err instanceof Error ? err.message : String(err);
    this.o.onError?.(
      err instanceof AnvilError ? err : new AnvilError({ code: 'sync_error', message: `${what}: ${message}` }),
    );
  }

  /** The longest the provider waits before attempt `n` (it draws a random delay up to this: jitter). */
  private backoff(n: number): number {
    return Math.min(this.t.maxDelay, this.t.delay * this.t.factor ** Math.max(0, n - 1));
  }
}

/** Two statuses that differ only in the time of being synced are the same news. */
function statusKey(status: SyncStatus): string {
  return JSON.stringify({ ...status, lastSyncedAt: status.state === 'synced' ? 0 : status.lastSyncedAt });
}

function noToken(): AnvilError {
  return new AnvilError({
    code: 'sync_no_token',
    message: 'No token is saved for the sync server: create one (anvil token create) and save it in Settings.',
  });
}

function safeGet(ws: Workspace, docId: string): Y.Doc | undefined {
  try {
    return ws.internals.docs.get(docId);
  } catch {
    // A document that fails to load is reported where it is opened; it is not synced meanwhile.
    return undefined;
  }
}
