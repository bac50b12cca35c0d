import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { platform } from 'node:os';
import pkg from '../../package.json' with { type: 'json' };
import type { ServerMessage } from '../../shared/contract/contract';
import { errorInfo, parseOperation } from '../../shared/contract/contract';
import type { AppInfo } from '../../shared/contract/studio';
import type { AnvilErrorInfo } from '../../shared/domain';
import { AnvilError } from '../../shared/domain';
import { seedDemo } from '../store/seed';
import type { Workspace } from '../store/workspace';
import { openWorkspace, workspaceFile } from '../store/workspace';
import { dispatch } from './dispatch';
import type { DispatchContext } from './dispatch';
import { DocRelay } from './relay';
import { AwarenessHub } from './awareness';
import type { SecretStore, StudioSync, VersionSyncApi } from '../sync/types';
import { localOnlySync } from '../sync/local-only';
import { createSyncEngine } from '../sync/engine';
import type { SyncTiming } from '../sync/engine';
import { memorySecretStore } from '../sync/memory-secrets';
import { createPendingTracker } from '../sync/pending';
import { createVersionSync } from '../sync/versions-sync';
import { recordDemoProjects } from '../sync/scope';
import type { StudioClient, StudioHost } from './types';
import { createStudioRegistry } from '../registry/service';
import { createStudioUsage } from '../usage/service';
import { createStudioExperiments } from '../experiments/service';

export interface StudioHostOptions {
  /** The data directory (created if absent); the workspace database is `workspace.db` in it. */
  dataDir: string;
  mode: 'desktop' | 'web';
  /** Who local changes are recorded as. */
  actor: string;
  /** A better-sqlite3 addon built for Electron's ABI (the desktop app); see `openDatabase`. */
  nativeBinding?: string;
  /** Fill a new workspace with the demo projects (default true). */
  seed?: boolean;
  /** Longest an edit waits for its group commit (tests shorten it). */
  maxDelayMs?: number;
  /**
   * Where the sync server's token is kept. Without one, an in-memory store (the token is forgotten at exit):
   * the launcher and the Electron main pass the real ones (`main/sync/secrets.ts`, safeStorage).
   */
  secrets?: SecretStore;
  /**
   * Versions saved here and the team's, made once the workspace is open; default `createVersionSync`
   * (`main/sync/versions-sync.ts`). Unused when `sync` is false.
   */
  versions?: (ws: Workspace) => VersionSyncApi & { close?(): void };
  /** `false`: no sync engine at all (local only); else its timing (tests shorten the backoff). */
  sync?: false | Partial<SyncTiming>;
  /** How often the author's review requests are looked at while sync is on (`main/registry/`; default 15 s). */
  registryPollMs?: number;
}

/** Settings key remembering that the demo was seeded once, so deleting everything does not bring it back. */
export const SEEDED_KEY = 'studio.demoSeeded';

/**
 * The main process's studio: one workspace, served to any number of renderers (windows, browser tabs) through
 * a transport. Every message is untrusted: it is validated (`parseOperation`), dispatched and answered with a
 * reply; what cannot be answered (not an object, no numeric id) is dropped. Nothing a renderer sends can
 * throw out of `receive`.
 */
export async function createStudioHost(options: StudioHostOptions): Promise<StudioHost> {
  mkdirSync(options.dataDir, { recursive: true });
  const clients = new Map<string, ClientState>();
  const broadcast = (message: ServerMessage): void => {
    for (const c of clients.values()) c.send(message);
  };
  // Counts local changes the server has not acknowledged, inside each commit (the sync engine says which).
  const pending = createPendingTracker();
  const ws: Workspace = await openWorkspace({
    file: workspaceFile(options.dataDir),
    projectors: [pending.projector],
    actor: options.actor,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
    onError: (err) => broadcast({ type: 'event', event: 'app:error', payload: err.toJSON() }),
  });
  try {
    if (options.seed !== false && (await ws.settings.get({ key: SEEDED_KEY })) !== true) {
      await seedDemo(ws);
      // The demo is local content: sync leaves these projects alone unless the user chooses otherwise.
      await recordDemoProjects(ws);
      await ws.settings.set({ key: SEEDED_KEY, value: true });
    }
  } catch (err) {
    await ws.close().catch(() => undefined);
    throw err;
  }
  const stopCommitted = ws.internals.docs.onCommitted((docs) =>
    broadcast({ type: 'event', event: 'store:changed', payload: { docIds: docs.map((d) => d.docId) } }),
  );
  const awareness = new AwarenessHub();
  const relay = new DocRelay(ws.internals.docs, awareness);
  // Versions saved here and the team's: their sync rows change outside any document commit, so the page is
  // told through the same `store:changed` event, naming the sets.
  const versions = options.sync === false ? null : (options.versions ?? ((w) => createVersionSync({ ws: w })))(ws);
  const stopVersionEvents = versions?.onChange((change) =>
    broadcast({ type: 'event', event: 'store:changed', payload: { docIds: change.setIds } }),
  );
  // One store for the engine and the registry client: both talk to the server with the same token.
  const secrets = options.secrets ?? memorySecretStore();
  let sync: StudioSync;
  try {
    sync =
      options.sync === false
        ? localOnlySync()
        : await createSyncEngine({
            ws,
            awareness,
            secrets,
            pending,
            ...(versions ? { versions } : {}),
            ...(options.sync ? { timing: options.sync } : {}),
            onError: (err) => broadcast({ type: 'event', event: 'app:error', payload: err.toJSON() }),
          });
  } catch (err) {
    stopCommitted();
    stopVersionEvents?.();
    versions?.close?.();
    awareness.close();
    await ws.close().catch(() => undefined);
    throw err;
  }
  const info: AppInfo = {
    name: 'Anvil',
    version: pkg.version,
    mode: options.mode,
    dataDir: options.dataDir,
    actor: options.actor,
    platform: platform(),
  };
  const stopSyncEvents = [
    sync.onStatus((payload) => broadcast({ type: 'event', event: 'sync:status', payload })),
    sync.onNotice((payload) => broadcast({ type: 'event', event: 'sync:notice', payload })),
  ];
  const registry = createStudioRegistry({
    ws,
    sync,
    secrets,
    ...(options.registryPollMs !== undefined ? { pollMs: options.registryPollMs } : {}),
  });
  stopSyncEvents.push(
    registry.onNotice((payload) => broadcast({ type: 'event', event: 'registry:notice', payload })),
    registry.onChanged((payload) => broadcast({ type: 'event', event: 'registry:changed', payload })),
  );
  const usage = createStudioUsage({ ws, secrets });
  const experiments = createStudioExperiments({ ws, secrets });
  // Experiments are part of the package's metadata: the registry's views reload as after a publish.
  stopSyncEvents.push(
    experiments.onChanged((payload) => {
      usage.invalidate();
      broadcast({ type: 'event', event: 'registry:changed', payload });
    }),
  );
  const ctx: DispatchContext = { ws, relay, info, sync, registry, usage, experiments };
  let closing: Promise<void> | undefined;

  return {
    connect(send) {
      const client = new ClientState(
        send,
        ctx,
        () => closing !== undefined,
        (c) => clients.delete(c.id),
      );
      clients.set(client.id, client);
      return client;
    },
    close() {
      closing ??= (async () => {
        for (const c of [...clients.values()]) c.disconnect();
        stopCommitted();
        for (const stop of stopSyncEvents) stop();
        registry.close();
        stopVersionEvents?.();
        await sync.close();
        versions?.close?.();
        relay.stop();
        awareness.close();
        await ws.close();
      })();
      return closing;
    },
  };
}

class ClientState implements StudioClient {
  readonly id = randomUUID();
  private connected = true;

  constructor(
    private readonly sendRaw: (message: ServerMessage) => void,
    private readonly ctx: DispatchContext,
    private readonly hostClosed: () => boolean,
    private readonly onGone: (client: ClientState) => void,
  ) {}

  /** Deliver to the renderer unless it is gone; a transport that throws (a closed socket) drops the message. */
  send(message: ServerMessage): boolean {
    if (!this.connected) return false;
    try {
      this.sendRaw(message);
      return true;
    } catch {
      // The transport is going away (its close disconnects this client), or the message would not serialise.
      return false;
    }
  }

  receive(message: unknown): void {
    if (!this.connected) return;
    if (typeof message !== 'object' || message === null) return;
    const { type, id, op, args } = message as Record<string, unknown>;
    if (type !== 'invoke' || typeof id !== 'number' || !Number.isSafeInteger(id)) return;
    // Error details are made plain JSON first: whatever an error carries must not stop its reply from crossing.
    const fail = (err: unknown) => this.send({ type: 'reply', id, reply: { ok: false, error: plainError(err) } });
    const succeed = (value: unknown) => {
      if (this.send({ type: 'reply', id, reply: { ok: true, value: value === undefined ? null : value } })) return;
      fail(new AnvilError({ code: 'internal', message: 'The result of the operation could not be sent.' }));
    };
    if (this.hostClosed()) {
      fail(new AnvilError({ code: 'closed', message: 'The studio is shutting down.' }));
      return;
    }
    let call: ReturnType<typeof parseOperation>;
    try {
      call = parseOperation(op, args);
    } catch (err) {
      fail(err);
      return;
    }
    dispatch(call.op, call.args, this, this.ctx).then(succeed, fail);
  }

  disconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    this.ctx.relay.disconnect(this);
    this.onGone(this);
  }
}

/** An error as plain JSON; details that do not serialise (cycles, BigInt) are dropped rather than the reply. */
function plainError(err: unknown): AnvilErrorInfo {
  const info = errorInfo(err);
  try {
    return JSON.parse(JSON.stringify(info)) as AnvilErrorInfo;
  } catch {
    const { details: _details, ...rest } = info;
    return rest;
  }
}
