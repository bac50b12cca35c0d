import { mergeMany } from '../../../shared/doc/merge-many';

/** What the editor shows next to the set's name: nothing pending, sending, durable, or failing. */
export type SaveStatus =
  | { state: 'saved' }
  | { state: 'pending' }
  | { state: 'saving' }
  | { state: 'error'; message: string; retryInMs: number };

export interface BatcherOptions {
  /** Sends one merged update; resolves once the main process has made it durable. */
  send(update: Uint8Array): Promise<void>;
  onStatus?(status: SaveStatus): void;
  /** How long to gather keystrokes before sending (one `docs:apply` per burst, not per key). */
  delayMs?: number;
  /** First retry delay after a failed send; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  /** Injected for tests. */
  setTimer?(fn: () => void, ms: number): unknown;
  clearTimer?(handle: unknown): void;
}

/**
 * Batches the replica's local Yjs updates into one `docs:apply` per ~40 ms with `mergeMany`, one send
 * in flight at a time (so the main process sees them in order). A failed send keeps its update at the front
 * of the queue and retries with backoff: nothing typed is dropped while the main process is unreachable.
 */
export class UpdateBatcher {
  private queue: Uint8Array[] = [];
  private inFlight = false;
  private timer: unknown = null;
  private failures = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly delayMs: number;
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  status: SaveStatus = { state: 'saved' };

  constructor(private readonly options: BatcherOptions) {
    this.delayMs = options.delayMs ?? 40;
    this.retryMs = options.retryMs ?? 500;
    this.maxRetryMs = options.maxRetryMs ?? 10_000;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  push(update: Uint8Array): void {
    if (this.closed) return;
    this.queue.push(update);
    if (this.status.state === 'saved') this.setStatus({ state: 'pending' });
    if (!this.inFlight && this.timer === null && this.failures === 0) this.schedule(this.delayMs);
  }

  /** Sends whatever is queued now (before closing, or when the user saves a version). */
  flush(): Promise<void> {
    if (this.timer !== null) {
      this.clearTimer(this.timer);
      this.timer = null;
    }
    if (!this.inFlight) void this.sendNow();
    return this.idle();
  }

  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && !this.inFlight) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops timers; queued updates are dropped (call `flush` first to keep them). */
  close(): void {
    this.closed = true;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  get pendingCount(): number {
    return this.queue.length;
  }

  private schedule(ms: number): void {
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.sendNow();
    }, ms);
  }

  private async sendNow(): Promise<void> {
    if (this.closed || this.inFlight || this.queue.length === 0) {
      this.settle();
      return;
    }
    const batch = mergeMany(this.queue);
    const count = this.queue.length;
    this.inFlight = true;
    this.setStatus({ state: 'saving' });
    try {
      await this.options.send(batch);
      this.queue.splice(0, count);
      this.failures = 0;
    } catch (err) {
      // Keep the merged update in place of its parts: the retry sends the same bytes plus anything newer.
      this.queue.splice(0, count, batch);
      this.failures++;
      const retryInMs = Math.min(this.retryMs * 2 ** (this.failures - 1), this.maxRetryMs);
      this.inFlight = false;
      this.setStatus({ state: 'error', message: err instanceof Error ? err.message : String(err), retryInMs });
      if (!this.closed) this.schedule(retryInMs);
      return;
    }
    this.inFlight = false;
    if (this.queue.length > 0) {
      this.setStatus({ state: 'pending' });
      this.schedule(this.delayMs);
    } else {
      this.setStatus({ state: 'saved' });
      this.settle();
    }
  }

  private settle(): void {
    if (this.queue.length === 0 && !this.inFlight) for (const w of this.idleWaiters.splice(0)) w();
  }

  private setStatus(status: SaveStatus): void {
    this.status = status;
    this.options.onStatus?.(status);
  }
}
