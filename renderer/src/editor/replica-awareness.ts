import type * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import type { AnvilApi } from '../../../shared/contract';
import { decodeUpdate, encodeUpdate } from '../../../shared/contract';

type AwarenessApi = Pick<AnvilApi, 'invoke' | 'on'>;

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

/** Origin of states applied from `docs:awareness` events: never sent back. */
const REMOTE = 'anvil:remote-awareness';

/** At most one awareness message per this many ms while a cursor moves (the last position always goes). */
export const AWARENESS_THROTTLE_MS = 40;

/**
 * The replica's presence: a y-protocols `Awareness` on the replica's document. Its own state (name, colour,
 * prompt, cursor) goes to the main process as `docs:awareness`, throttled, and the others' states arrive as
 * `docs:awareness` events. The main process relays them to this studio's other windows and, when syncing, to
 * the server. Until someone sets a local state this client is invisible (the state starts null).
 */
export class ReplicaAwareness {
  readonly awareness: Awareness;
  private readonly stopListening: () => void;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastSent = 0;
  private closed = false;
  /** Sending starts once the document is open in the main process (the relay refuses awareness before). */
  private ready = false;
  private dirty = false;

  constructor(
    private readonly api: AwarenessApi,
    private readonly docId: string,
    doc: Y.Doc,
    private readonly throttleMs = AWARENESS_THROTTLE_MS,
  ) {
    this.awareness = new Awareness(doc);
    this.awareness.setLocalState(null);
    this.stopListening = api.on('docs:awareness', ({ docId, update }) => {
      if (docId !== this.docId || this.closed) return;
      try {
        applyAwarenessUpdate(this.awareness, decodeUpdate(update), REMOTE);
      } catch {
        // A garbled state from elsewhere is dropped: presence is best effort, the document is unaffected.
      }
    });
    // 'update' (not 'change') also fires when the awareness renews our state every 15 s, which keeps us from
    // being timed out by the others.
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      if (origin === REMOTE) return;
      const own = this.awareness.clientID;
      if (added.includes(own) || updated.includes(own) || removed.includes(own)) this.schedule();
    });
  }

  /** The document is open in the main process: what was set before goes out now. */
  start(): void {
    this.ready = true;
    if (this.dirty) this.schedule();
  }

  /** Leaves (local state null, sent at once) and stops; the awareness's timers are stopped too. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const wasVisible = this.awareness.getLocalState() !== null;
    this.closed = true;
    this.stopListening();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.awareness.setLocalState(null);
    const sent = wasVisible && this.ready ? this.send() : Promise.resolve();
    this.awareness.destroy();
    return sent;
  }

  private schedule(): void {
    this.dirty = true;
    if (!this.ready || this.closed || this.timer) return;
    const wait = Math.max(0, this.lastSent + this.throttleMs - Date.now());
    if (wait === 0) {
      void this.send();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.closed) void this.send();
    }, wait);
  }

  private send(): Promise<void> {
    this.dirty = false;
    this.lastSent = Date.now();
    const update = encodeAwarenessUpdate(this.awareness, [this.awareness.clientID]);
    // Best effort: a lost presence message is repaired by the next cursor move or the 15 s renewal.
    return this.api
      .invoke('docs:awareness', { docId: this.docId, update: encodeUpdate(update) })
      .then(() => undefined)
      .catch(() => undefined);
  }
}
