import * as Y from 'yjs';
import type { AnvilApi } from '../../../shared/contract';
import { decodeUpdate, encodeUpdate } from '../../../shared/contract';
import { ORIGIN } from '../../../shared/doc/schema';
import { ReplicaAwareness } from './replica-awareness';
import type { SaveStatus } from './update-batcher';
import { UpdateBatcher } from './update-batcher';

/** The subset of the contract a replica needs (tests pass a fake). */
export type ReplicaApi = Pick<AnvilApi, 'invoke' | 'on'>;

/**
 * The renderer's copy of one set document. Typing edits it directly (y-monaco on its Y.Text), so input never
 * waits for the main process; local updates go to the main process in batches (`docs:apply`), and updates made
 * elsewhere (operations, restores, later sync) arrive as `docs:update` events and are applied with the remote
 * origin, which is what keeps them from being sent back.
 */
export class Replica {
  readonly doc = new Y.Doc();
  /** Who else is in this document and where their cursors are (and ours, for them). */
  readonly presence: ReplicaAwareness;
  private readonly batcher: UpdateBatcher;
  private readonly stopListening: () => void;
  private closed = false;
  /** Events that arrive before the initial state are applied after it (Yjs would buffer them anyway). */
  private opened = false;

  private constructor(
    private readonly api: ReplicaApi,
    readonly docId: string,
    onStatus: (status: SaveStatus) => void,
    delayMs?: number,
  ) {
    this.batcher = new UpdateBatcher({
      send: async (update) => {
        await this.api.invoke('docs:apply', { docId, update: encodeUpdate(update) });
      },
      onStatus,
      ...(delayMs === undefined ? {} : { delayMs }),
    });
    this.presence = new ReplicaAwareness(api, docId, this.doc);
    this.stopListening = api.on('docs:update', ({ docId: id, update }) => {
      if (id !== this.docId || this.closed) return;
      Y.applyUpdate(this.doc, decodeUpdate(update), ORIGIN.remote);
    });
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (!this.opened || origin === ORIGIN.remote || origin === ORIGIN.load) return;
      this.batcher.push(update);
    });
  }

  /** Opens the document in the main process and loads its full state. */
  static async open(
    api: ReplicaApi,
    docId: string,
    onStatus: (status: SaveStatus) => void = () => {},
    options: { delayMs?: number } = {},
  ): Promise<Replica> {
    const replica = new Replica(api, docId, onStatus, options.delayMs);
    try {
      const state = await api.invoke('docs:open', { docId });
      Y.applyUpdate(replica.doc, decodeUpdate(state.update), ORIGIN.load);
      replica.opened = true;
      replica.presence.start();
      return replica;
    } catch (err) {
      void replica.presence.close();
      replica.stopListening();
      replica.closed = true;
      replica.batcher.close();
      replica.doc.destroy();
      throw err;
    }
  }

  get awareness(): ReplicaAwareness['awareness'] {
    return this.presence.awareness;
  }

  get status(): SaveStatus {
    return this.batcher.status;
  }

  /** Sends pending edits now and waits until they are durable (before saving a version). */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /** Flushes, stops listening and tells the main process this client no longer needs the document. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopListening();
    // Leave first, so the others see us go before the document closes here.
    await this.presence.close();
    try {
      await Promise.race([this.batcher.flush(), new Promise((r) => setTimeout(r, 2000))]);
    } finally {
      this.batcher.close();
      await this.api.invoke('docs:close', { docId: this.docId }).catch(() => undefined);
      this.doc.destroy();
    }
  }
}
