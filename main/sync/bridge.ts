import { HocuspocusProvider } from '@hocuspocus/provider';
import type { HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { mergeMany } from '../../shared/doc/merge-many';

/** What a bridge tells the engine. */
export interface BridgeEvents {
  /** Something the status depends on changed (synced, acknowledgements). */
  changed(bridge: DocBridge): void;
  /** The server has every change of this document (all acknowledged, nothing queued). */
  level(bridge: DocBridge): void;
  /** A change from the server, to apply to the local document (durably); undefined when there is none yet. */
  remote(bridge: DocBridge, update: Uint8Array): void;
  /** The server refused this document (`unauthorized: …`, `protocol-mismatch: …`, …). */
  refused(bridge: DocBridge, reason: string): void;
  stateless(bridge: DocBridge, payload: string): void;
}

export interface BridgeOptions {
  docId: string;
  /** The server's name of the document: `<projectId>/<docId>`. */
  name: string;
  socket: HocuspocusProviderWebsocket;
  token: string;
  /** Local updates are merged and put on the wire at most this often (ms). */
  batchMs: number;
  events: BridgeEvents;
}

/**
 * One synced document: a stock `HocuspocusProvider` on its own "wire" Y.Doc, bridged to the DocStore's live
 * document. The live document stays the only one the studio edits and persists; the wire document is what
 * the provider syncs, so the provider never sees the store's transactions and the store never sees the
 * provider's. Local changes (whatever their origin, except the bridge's own remote applications) are merged
 * and put on the wire at most every `batchMs`, like an editor sending once per frame: a fast typist or a
 * replayed trace costs one server write per batch, not per keystroke. Changes from the wire go to the engine,
 * which applies them to the store (durably, origin `remote`; the relay passes them on to the renderers).
 *
 * A document the server has and this studio does not yet ("remote only") starts without a live document; the
 * engine creates the local one once the wire holds real content, never an empty one.
 */
export class DocBridge {
  readonly docId: string;
  readonly name: string;
  readonly wire = new Y.Doc();
  readonly provider: HocuspocusProvider;
  live: Y.Doc | null = null;
  refusedReason: string | null = null;
  private readonly origin = { bridge: true };
  private queue: Uint8Array[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private applyingRemote = false;
  private awareness: Awareness | null = null;
  private destroyed = false;
  private readonly offLive: (() => void)[] = [];

  constructor(private readonly o: BridgeOptions) {
    this.docId = o.docId;
    this.name = o.name;
    this.wire.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this.origin || this.destroyed) return;
      o.events.remote(this, update);
    });
    this.provider = new HocuspocusProvider({
      websocketProvider: o.socket,
      name: o.name,
      document: this.wire,
      // Presence is attached separately (`setAwareness`): the hub's awareness outlives this provider.
      awareness: null,
      token: o.token,
      onSynced: () => this.changedSoon(),
      onUnsyncedChanges: () => this.changedSoon(),
      onAuthenticationFailed: ({ reason }) => {
        this.refusedReason = reason;
        o.events.refused(this, reason);
      },
      onAuthenticated: () => {
        this.refusedReason = null;
      },
      onStateless: ({ payload }) => o.events.stateless(this, payload),
    });
  }

  /** Start (after `setLive` for a local document). */
  attach(): void {
    this.provider.attach();
  }

  /** Bridge to the store's live document: its state goes on the wire first, then every later change. */
  setLive(live: Y.Doc): void {
    if (this.live) return;
    this.live = live;
    Y.applyUpdate(this.wire, Y.encodeStateAsUpdate(live), this.origin);
    const onUpdate = (update: Uint8Array) => {
      if (this.applyingRemote || this.destroyed) return;
      this.queue.push(update);
      this.timer ??= setTimeout(() => this.flush(), this.o.batchMs);
    };
    live.on('update', onUpdate);
    this.offLive.push(() => live.off('update', onUpdate));
  }

  /**
   * Presence: the hub's awareness of this document goes to the server and colleagues' comes back. Attached by
   * hand (not through the provider's constructor) because the provider destroys the awareness it was given.
   */
  setAwareness(awareness: Awareness): void {
    if (this.awareness || this.destroyed) return;
    this.awareness = awareness;
    this.provider.configuration.awareness = awareness;
    awareness.on('update', this.provider.boundAwarenessUpdateHandler);
  }

  /** Apply a change from the server to the live document without echoing it back onto the wire. */
  applyingFromWire<T>(fn: () => T): T {
    this.applyingRemote = true;
    try {
      return fn();
    } finally {
      this.applyingRemote = false;
    }
  }

  /** Put the queued local changes on the wire now (one merged update). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.queue.length === 0 || this.destroyed) return;
    // One animation frame of typing is a handful of updates; a long offline stretch is thousands.
    const merged = mergeMany(this.queue);
    this.queue = [];
    Y.applyUpdate(this.wire, merged, this.origin);
  }

  get synced(): boolean {
    return this.provider.isSynced && this.refusedReason === null;
  }

  /** The server has acknowledged every change of the live document. */
  get level(): boolean {
    if (!this.live || !this.synced || this.queue.length > 0 || this.provider.unsyncedChanges > 0) return false;
    return sameStateVector(this.live, this.wire);
  }

  /** Send a sync step 1: a keep-alive the server answers (only when nothing is in flight: see README). */
  ping(): void {
    if (this.provider.isSynced && this.provider.unsyncedChanges === 0 && this.queue.length === 0)
      this.provider.forceSync();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.flush();
    this.destroyed = true;
    for (const off of this.offLive) off();
    if (this.awareness) {
      this.awareness.off('update', this.provider.boundAwarenessUpdateHandler);
      this.provider.configuration.awareness = null;
    }
    this.provider.destroy();
    this.wire.destroy();
  }

  private changedSoon(): void {
    if (this.destroyed) return;
    this.o.events.changed(this);
    if (this.level) this.o.events.level(this);
  }
}

function sameStateVector(a: Y.Doc, b: Y.Doc): boolean {
  const va = Y.decodeStateVector(Y.encodeStateVector(a));
  const vb = Y.decodeStateVector(Y.encodeStateVector(b));
  if (va.size !== vb.size) return false;
  for (const [client, clock] of va) if (vb.get(client) !== clock) return false;
  return true;
}
