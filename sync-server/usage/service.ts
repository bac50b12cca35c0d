import { join } from 'node:path';
import type {
  UsageBatchResult,
  UsageBreakdown,
  UsageDimension,
  UsageFilter,
  UsageSeries,
} from '../../shared/usage/types';
import type { ApiCaller } from '../api/backend';
import type { UsageAccess } from './access';
import { createIngest } from './ingest';
import { createUsageQueries } from './query';
import { DAY_MS } from './rollup';
import { registerRollupFunctions } from './rollup';
import { USAGE_FILE, openUsageDb } from './schema';

export interface UsageOptions {
  /** The server's data folder (`usage.db` in it), or `file` for another place. */
  dataDir?: string;
  file?: string;
  /** Which package is whose, and who sees what (`createUsageAccess(registry, accounts)`). */
  access: UsageAccess;
  /** How long raw events are kept, ms (default 30 days); rollups (hourly and daily) are kept for good. */
  retentionMs?: number;
  /** How often old raw events are pruned, ms (default 10 minutes; 0: only when `prune()` is called). */
  pruneEveryMs?: number;
  /** Raw events deleted per transaction when pruning (default 2,000): ingestion waits for one at most. */
  pruneBatch?: number;
  /** ms since epoch; tests pass a fake one. */
  clock?: () => number;
  log?: (line: string) => void;
}

/**
 * Usage analytics on the server (`shared/usage/types.ts`): ingestion of SDK batches into raw events and hourly
 * and daily rollups, and the series and breakdown queries over the rollups. Refusals are `AnvilError`s whose codes
 * `statusOfCode` maps (`invalid_request` 400, `too_large` 413, `unknown_project`/`unknown_package` 404,
 * `forbidden` 403).
 */
export interface UsageService {
  /** A `UsageBatch` (unchecked JSON): each event accepted, a duplicate, or rejected with its reason. */
  ingest(caller: ApiCaller, batch: unknown): UsageBatchResult;
  series(caller: ApiCaller, filter: UsageFilter, bucket: 'hour' | 'day'): UsageSeries;
  breakdown(caller: ApiCaller, filter: UsageFilter, by: UsageDimension, limit?: number): UsageBreakdown;
  /**
   * Deletes raw events older than the retention, a batch per transaction, yielding between; how many. Rollups
   * are never pruned (were they ever, a day's daily rows could go only with the last of its hours).
   */
  prune(): Promise<number>;
  close(): void;
}

export const DEFAULT_RETENTION_MS = 30 * DAY_MS;
const DEFAULT_PRUNE_EVERY_MS = 10 * 60_000;

export function createUsage(options: UsageOptions): UsageService {
  const clock = options.clock ?? Date.now;
  const log = options.log ?? (() => undefined);
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  const pruneBatch = options.pruneBatch ?? 2_000;
  const file = options.file ?? join(options.dataDir ?? '.', USAGE_FILE);
  const db = openUsageDb(file);
  registerRollupFunctions(db);
  const ingest = createIngest({ db, access: options.access, clock, retentionMs, log });
  const queries = createUsageQueries(db, options.access);
  const pruneStep = db.prepare(
    'DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE at < ? ORDER BY at LIMIT ?)',
  );
  let closed = false;
  let pruning: Promise<number> | undefined;

  const pruneAll = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      if (closed) break;
      const { changes } = pruneStep.run(clock() - retentionMs, pruneBatch);
      total += changes;
      if (changes < pruneBatch) break;
      // Between small deletes, batches being ingested get their turn.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (total > 0) log(`usage: pruned ${total} raw event(s) older than the retention`);
    return total;
  };
  /** One pruning at a time: a call during one shares it. */
  const prune = (): Promise<number> => {
    if (!pruning) {
      const run = pruneAll();
      pruning = run;
      const clear = () => {
        if (pruning === run) pruning = undefined;
      };
      run.then(clear, clear);
    }
    return pruning;
  };

  const everyMs = options.pruneEveryMs ?? DEFAULT_PRUNE_EVERY_MS;
  const timer =
    everyMs > 0
      ? setInterval(() => {
          prune().catch((err: unknown) => log(`usage: pruning failed: ${(err as Error).message}`));
        }, everyMs)
      : undefined;
  timer?.unref();

  return {
    ingest,
    series: queries.series,
    breakdown: queries.breakdown,
    prune,
    close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      db.close();
    },
  };
}
