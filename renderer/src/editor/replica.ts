import * as Y from 'yjs';
import type { AnvilApi } from '../../../shared/contract';
import { decodeUpdate, encodeUpdate } from '../../../shared/contract';
import { ORIGIN } from '../../../shared/doc/schema';
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
      return replica;
    } catch (err) {
      replica.stopListening();
      replica.closed = true;
      replica.batcher.close();
      replica.doc.destroy();
      throw err;
    }
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
    try {
      await Promise.race([this.batcher.flush(), new Promise((r) => setTimeout(r, 2000))]);
    } finally {
      this.batcher.close();
      await this.api.invoke('docs:close', { docId: this.docId }).catch(() => undefined);
      this.doc.destroy();
    }
  }
}
