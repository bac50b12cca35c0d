import type { AnvilError } from '../../../shared/domain';
import type { PendingDoc } from './queue';
import { Group, PendingQueue } from './queue';

export interface CommitterOptions {
  /** Longest the first update of a group waits for its commit (ms). */
  maxDelayMs: number;
  /** Commit at the next turn of the event loop once this many bytes are queued. */
  maxPendingBytes: number;
  /**
   * Write the taken updates in one transaction; throwing rolls it back and keeps them queued. Returns what
   * to run once the group's waiters are released (listeners, compaction), outside the commit.
   */
  write(taken: PendingDoc[]): () => void;
  /** Turn a write failure into what the group's waiters see. */
  failure(err: unknown): AnvilError;
  onError(err: AnvilError): void;
}

const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 30_000;

/**
 * Group commit. The first update queued opens a group and arms a timer of `maxDelayMs`; every update and
 * every caller until the commit joins that group and shares its promise, which resolves only after the
 * write returned (and therefore after SQLite synced it). A failed write rejects the group, puts its updates
 * back in the queue for the next group, and arms a retry with back-off in case nobody edits again.
 */
export class GroupCommitter {
  private readonly queue = new PendingQueue();
  private group: Group | undefined;
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Immediate | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay = RETRY_FIRST_MS;
  private committing = false;
  private stopped = false;

  constructor(private readonly o: CommitterOptions) {}

  /** Nothing queued and nobody waiting. */
  get idle(): boolean {
    return this.queue.size === 0 && !this.group;
  }

  has(docId: string): boolean {
    return this.queue.has(docId);
  }

  enqueue(docId: string, update: Uint8Array, origin: unknown): void {
    this.queue.push(docId, update, origin);
    this.open();
    if (this.queue.bytes >= this.o.maxPendingBytes && !this.soon) this.soon = setImmediate(() => this.commit());
  }

  /** The promise of the group in progress; a change that queued nothing and meets no group has none to wait for. */
  ack(): Promise<void> {
    return this.idle ? Promise.resolve() : this.open().promise;
  }

  flush(): Promise<void> {
    if (this.idle) return Promise.resolve();
    const group = this.open();
    // Called from a projector or listener: a commit cannot nest in the running one; the timer commits it.
    if (!this.committing) this.commit();
    return group.promise;
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
  }

  private open(): Group {
    if (!this.group) {
      this.group = new Group();
      this.timer = setTimeout(() => this.commit(), this.o.maxDelayMs);
    }
    return this.group;
  }

  /** Synchronous: better-sqlite3 writes and syncs within this call, so no update slips in half-way. */
  private commit(): void {
    if (this.committing) return;
    this.clearTimers();
    const group = this.group;
    this.group = undefined;
    const taken = this.queue.take();
    if (taken.length === 0) return group?.resolve();
    this.committing = true;
    let after: () => void;
    try {
      after = this.o.write(taken);
    } catch (err) {
      this.queue.restore(taken);
      const error = this.o.failure(err);
      group?.reject(error);
      this.o.onError(error);
      this.scheduleRetry();
      return;
    } finally {
      this.committing = false;
    }
    this.retryDelay = RETRY_FIRST_MS;
    group?.resolve();
    after();
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.queue.size > 0) this.commit();
    }, this.retryDelay).unref();
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
  }

  private clearTimers(): void {
    clearTimeout(this.timer);
    clearTimeout(this.retryTimer);
    if (this.soon) clearImmediate(this.soon);
    this.timer = this.retryTimer = this.soon = undefined;
  }
}
