import { join } from 'node:path';
import { AnvilError } from '../../../shared/domain/result';
import { USAGE_LIMITS } from '../../../shared/usage/types';
import type { FetchLike } from '../registry-client';
import type { ResolvedUsageOptions, UsageStats } from './options';
import { createPreparer } from './prepare';
import type { PreparedEvent } from './prepare';
import type { UsageRecord } from './records';
import type { Ring } from './ring';
import { createSender } from './sender';
import { openSpool } from './spool';
import type { Spool } from './spool';

export interface BatcherOptions {
  options: ResolvedUsageOptions;
  endpoint: string;
  token: string | null;
  fetch: FetchLike;
  /** The spool goes to `<cacheDir>/usage/`; null: no spool (events wait in memory, bounded). */
  cacheDir: string | null;
  warn: (e: AnvilError, once?: string) => void;
}

export interface Batcher {
  /** Prepares what the ring holds and sends full batches (`partial`: everything, also a last partial batch). */
  pump(partial: boolean): Promise<void>;
  /** Whether anything waits in memory. */
  hasPending(): boolean;
  stats(recorded: number): UsageStats;
  /** Stops the timers (the owner pumps once more before). */
  stop(): void;
}

/**
 * Preparing (token counting above all) runs in slices of about this long, each in its own turn of the event
 * loop: never in the middle of a render's promise chain, and never holding the loop for long.
 */
const SLICE_MS = 1;
const SLICE_RECORDS = 16;
/** Slack under the server's body limit for the batch's envelope. */
const ENVELOPE_BYTES = 4 * 1024;

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Everything after the render path: prepares records (tokens, cost, JSON) a chunk at a time, sends batches one
 * request at a time (by count, and by time from the timer), and while the server is unreachable keeps batches
 * in the disk spool and retries with exponential backoff, oldest batch first. Each step runs after the
 * previous one (a promise chain), so batches never race and a spooled batch is never sent twice by this process.
 */
export function createBatcher(ring: Ring<UsageRecord>, o: BatcherOptions): Batcher {
  const opts = o.options;
  const preparer = createPreparer({ includeParams: opts.includeParams });
  const send = createSender({ endpoint: o.endpoint, token: o.token, fetch: o.fetch, timeoutMs: opts.timeoutMs });
  const queue: PreparedEvent[] = [];
  let spool: Spool | null = null;
  let spoolOpened = !opts.spool || o.cacheDir === null;
  let seenOverwritten = 0;
  let dropped = 0;
  let droppedUnreported = 0;
  let sent = 0;
  let rejected = 0;
  let batches = 0;
  let lastError: string | null = null;
  let backoff = 0;
  let retryAt = 0;
  let retryTimer: NodeJS.Timeout | null = null;
  let stopped = false;

  const drop = (n: number): void => {
    dropped += n;
    droppedUnreported += n;
  };

  async function openSpoolOnce(): Promise<void> {
    if (spoolOpened) return;
    spoolOpened = true;
    try {
      spool = await openSpool(join(o.cacheDir as string, 'usage'), opts.spoolBytes);
      droppedUnreported += spool.carriedDropped;
    } catch (err) {
      o.warn(spoolError('could not open the usage spool', err), 'usage spool');
    }
  }

  /** Up to a batch of events from the head of the queue, under the server's count and size limits. */
  function takeBatch(): PreparedEvent[] {
    let bytes = ENVELOPE_BYTES;
    let n = 0;
    while (n < queue.length && n < opts.batchSize) {
      bytes += Buffer.byteLength(queue[n] as string) + 1;
      if (bytes > USAGE_LIMITS.maxBatchBytes && n > 0) break;
      n++;
    }
    return queue.splice(0, n);
  }

  const online = (): boolean => Date.now() >= retryAt;

  function scheduleRetry(): void {
    if (retryTimer || stopped) return;
    retryTimer = setTimeout(
      () => {
        retryTimer = null;
        void pump(true);
      },
      Math.max(0, retryAt - Date.now()),
    );
    retryTimer.unref();
  }

  /** One request; afterwards the counters say what happened. `retry`: the caller keeps the batch. */
  async function deliver(batch: readonly PreparedEvent[]): Promise<'done' | 'retry'> {
    const reported = droppedUnreported;
    const r = await send(batch, reported);
    if (r.kind === 'retry') {
      lastError = r.reason;
      backoff = backoff === 0 ? opts.retryMinMs : Math.min(opts.retryMaxMs, backoff * 2);
      // Jitter, so many processes that lost the same server do not come back at the same instant.
      retryAt = Date.now() + Math.round(backoff * (0.8 + Math.random() * 0.4));
      scheduleRetry();
      return 'retry';
    }
    backoff = 0;
    retryAt = 0;
    if (r.kind === 'refused') {
      lastError = r.reason;
      rejected += batch.length;
      o.warn(
        new AnvilError({
          code: 'usage_refused',
          message: `the server at ${o.endpoint} refused ${batch.length} usage events (${r.reason}); they are not sent again`,
          details: { status: r.status },
        }),
        `usage refused ${r.status}`,
      );
      return 'done';
    }
    lastError = null;
    droppedUnreported -= reported;
    sent += r.accepted + r.duplicates;
    rejected += r.rejected;
    batches++;
    if (spool) await spool.saveDropped(droppedUnreported).catch(() => {});
    return 'done';
  }

  async function toSpool(batch: PreparedEvent[]): Promise<void> {
    if (spool) {
      try {
        drop(await spool.write(batch));
        await spool.saveDropped(droppedUnreported);
        return;
      } catch (err) {
        o.warn(spoolError('could not write the usage spool; events wait in memory', err), 'usage spool');
        spool = null;
      }
    }
    queue.unshift(...batch);
  }

  function accept(events: PreparedEvent[], unmatched: number): void {
    for (const e of events) queue.push(e);
    if (unmatched === 0) return;
    rejected += unmatched;
    o.warn(
      new AnvilError({
        code: 'usage_unknown_render',
        message: `anvil.outcome() named a render this process does not remember (${unmatched}); pass the rendered prompt instead of its renderId to be sure`,
      }),
      'usage unknown render',
    );
  }

  async function step(partial: boolean): Promise<void> {
    await openSpoolOnce();
    while (ring.size > 0) {
      await nextTurn();
      // Behind (the ring over half full: renders come faster than the slices keep up): catch up to a quarter
      // in one go rather than drop events.
      const behind = ring.size > ring.capacity / 2;
      const sliceEnd = performance.now() + SLICE_MS;
      do {
        const records = ring.take(SLICE_RECORDS);
        if (!preparer.ready(records)) await preparer.load(records);
        const { events, unaddressed, unmatched } = preparer.prepare(records);
        rejected += unaddressed;
        accept(events, unmatched);
      } while (ring.size > 0 && (behind ? ring.size > ring.capacity / 4 : performance.now() < sliceEnd));
    }
    const overwritten = ring.overwritten - seenOverwritten;
    seenOverwritten += overwritten;
    drop(overwritten);
    const ready = (): boolean => queue.length >= opts.batchSize || (partial && queue.length > 0);

    if (online() && spool) {
      for (let seg = await spool.oldest(); seg !== null && online(); seg = await spool.oldest()) {
        if ((await deliver(seg.events)) === 'retry') break;
        await spool.remove(seg.file);
      }
    }
    while (online() && ready()) {
      const batch = takeBatch();
      if ((await deliver(batch)) === 'retry') await toSpool(batch);
    }
    if (!online()) while (spool && ready()) await toSpool(takeBatch());
    // No spool (or it failed): memory stays bounded, the oldest go first.
    const over = queue.length - opts.bufferSize;
    if (over > 0) {
      queue.splice(0, over);
      drop(over);
    }
  }

  let chain: Promise<void> = Promise.resolve();
  let queued = false;
  let partialWanted = false;
  function pump(partial: boolean): Promise<void> {
    if (partial) partialWanted = true;
    if (queued) return chain;
    queued = true;
    chain = chain
      .then(() => {
        queued = false;
        const p = partialWanted;
        partialWanted = false;
        return step(p);
      })
      .catch((err: unknown) => {
        o.warn(spoolError('usage events could not be processed', err), 'usage step');
      });
    return chain;
  }

  const timer = setInterval(() => void pump(true), opts.flushMs);
  timer.unref();

  return {
    pump,
    hasPending: () => ring.size > 0 || queue.length > 0,
    stats: (recorded) => {
      const live = ring.overwritten - seenOverwritten;
      return {
        enabled: true,
        recorded,
        sent,
        pending: ring.size + queue.length,
        spooled: spool?.events ?? 0,
        spoolBytes: spool?.bytes ?? 0,
        dropped: dropped + live,
        droppedUnreported: droppedUnreported + live,
        rejected,
        batches,
        lastError,
      };
    },
    stop() {
      stopped = true;
      clearInterval(timer);
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
    },
  };
}

function spoolError(what: string, err: unknown): AnvilError {
  return new AnvilError({
    code: 'usage_error',
    message: `${what}: ${err instanceof Error ? err.message : String(err)}`,
  });
}
