import type { DocumentStorage } from '../storage/types';

export interface DurableWriterOptions {
  /** First retry delay after a failed append; doubles up to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
  log?: (line: string) => void;
}

/**
 * Hands every applied update to the store. A failed append (disk full, a store that is down) is kept in memory
 * and retried with backoff instead of being lost; Yjs updates commute, so a retried update may land after
 * later ones without changing the merged content.
 */
export class DurableWriter {
  private readonly failed: { name: string; update: Uint8Array }[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private delay: number;
  private readonly minDelay: number;
  private readonly maxDelay: number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly storage: DocumentStorage,
    options: DurableWriterOptions = {},
  ) {
    this.minDelay = options.minDelayMs ?? 100;
    this.maxDelay = options.maxDelayMs ?? 5_000;
    this.delay = this.minDelay;
    this.log = options.log ?? (() => undefined);
  }

  /** Updates waiting for a retry. */
  get pendingCount(): number {
    return this.failed.length;
  }

  write(name: string, update: Uint8Array): void {
    this.track(
      this.storage.append(name, update).catch((err: unknown) => {
        this.log(`storing an update of "${name}" failed, will retry: ${(err as Error).message}`);
        this.failed.push({ name, update });
        this.schedule();
      }),
    );
  }

  /** Waits for appends under way and tries the failed ones once more; resolves with how many are still unstored. */
  async flush(): Promise<number> {
    await Promise.all([...this.inFlight]);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.retry(false);
    return this.failed.length;
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.retry(true);
    }, this.delay);
    this.timer.unref();
    this.delay = Math.min(this.delay * 2, this.maxDelay);
  }

  private async retry(again: boolean): Promise<void> {
    const batch = this.failed.splice(0);
    for (const [i, item] of batch.entries()) {
      try {
        await this.storage.append(item.name, item.update);
      } catch {
        // Still failing: keep this one and the rest, in order, for the next round.
        this.failed.unshift(...batch.slice(i));
        if (again) this.schedule();
        return;
      }
    }
    this.delay = this.minDelay;
  }
}
