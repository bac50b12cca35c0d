import { randomBytes } from 'node:crypto';
import { USAGE_LIMITS } from '../../../shared/usage/types';
import { AnvilSdkError } from '../errors';
import type { GetResult, Rendered } from '../result';
import { createBatcher } from './batcher';
import type { Batcher, BatcherOptions } from './batcher';
import type { UsageStats } from './options';
import type { OutcomeInput, UsageRecord } from './records';
import { Ring } from './ring';

/** The SDK's usage recorder: `render` is on `get`'s path and does O(1) work; everything else is the batcher's. */
export interface UsageRecorder {
  /** Called by `get` once it has its result: one small record into a bounded ring, the render id on the value. */
  render(address: string, params: Record<string, unknown>, result: GetResult, ms: number): void;
  outcome(target: string | Rendered, outcome: OutcomeInput): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  stats(): UsageStats;
}

export const DISABLED_STATS: UsageStats = Object.freeze({
  enabled: false,
  recorded: 0,
  sent: 0,
  pending: 0,
  spooled: 0,
  spoolBytes: 0,
  dropped: 0,
  droppedUnreported: 0,
  rejected: 0,
  batches: 0,
  lastError: null,
});

/** Recorders with events in memory, flushed when the process runs out of work (an app that never called close). */
const live = new Set<{ batcher: Batcher; tries: number }>();
let exitHook = false;
function onBeforeExit(): void {
  for (const r of live)
    // A few tries at most: a server that stays down must not keep the process from ending.
    if (r.batcher.hasPending() && r.tries++ < 3) void r.batcher.pump(true);
}

export function createUsageRecorder(o: BatcherOptions & { clock: () => number }): UsageRecorder {
  const opts = o.options;
  const ring = new Ring<UsageRecord>(opts.bufferSize);
  const batcher = createBatcher(ring, o);
  const clock = o.clock;
  const includeParams = opts.includeParams;
  // Ids: a random prefix per process and client, then a counter: unique, and cheap to make on the hot path.
  const prefix = `${randomBytes(9).toString('base64url')}-`;
  let seq = 0;
  let recorded = 0;
  let closed = false;
  // Prepare in chunks as they fill, so a burst does not wait for the timer and memory stays small.
  const drainAt = Math.max(1, Math.min(opts.batchSize, 256, Math.floor(opts.bufferSize / 2)));
  let drainScheduled = false;
  const drain = (): void => {
    drainScheduled = false;
    void batcher.pump(false);
  };
  const entry = { batcher, tries: 0 };
  live.add(entry);
  if (!exitHook) {
    exitHook = true;
    process.on('beforeExit', onBeforeExit);
  }

  const push = (r: UsageRecord): void => {
    recorded++;
    if (ring.push(r) >= drainAt && !drainScheduled) {
      drainScheduled = true;
      setImmediate(drain).unref();
    }
  };

  return {
    render(address, params, result, ms) {
      if (closed) return;
      const id = prefix + (++seq).toString(36);
      if (result.ok) (result.value as { renderId: string | null }).renderId = id;
      push({
        kind: 'render',
        id,
        at: clock(),
        ms,
        address,
        result,
        params: includeParams ? { ...params } : undefined,
      });
    },
    outcome(target, outcome) {
      if (closed) return;
      const rendered = typeof target === 'string' ? null : target;
      const renderId = typeof target === 'string' ? target : target?.renderId;
      if (typeof renderId !== 'string' || renderId === '')
        throw invalid('anvil.outcome() needs a renderId (`result.value.renderId`) or the rendered prompt');
      checkOutcome(outcome);
      push({
        kind: 'outcome',
        id: prefix + (++seq).toString(36),
        at: clock(),
        renderId,
        rendered,
        outcome: { ...outcome, metrics: { ...outcome.metrics } },
      });
    },
    flush: () => batcher.pump(true),
    async close() {
      if (closed) return;
      closed = true;
      await batcher.pump(true);
      batcher.stop();
      live.delete(entry);
    },
    stats: () => batcher.stats(recorded),
  };
}

const invalid = (message: string): AnvilSdkError => new AnvilSdkError({ code: 'invalid_outcome', message });

function checkOutcome(o: OutcomeInput): void {
  if (o === null || typeof o !== 'object')
    throw invalid('anvil.outcome() takes { outputTokens, modelLatencyMs, costUsd, metrics }');
  for (const key of ['outputTokens', 'modelLatencyMs', 'costUsd'] as const) {
    const v = o[key];
    if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isFinite(v) || v < 0))
      throw invalid(`anvil.outcome(): ${key} must be a number ≥ 0, got ${JSON.stringify(v)}`);
  }
  if (o.metrics === undefined) return;
  if (o.metrics === null || typeof o.metrics !== 'object')
    throw invalid('anvil.outcome(): metrics must be an object of numbers');
  const keys = Object.keys(o.metrics);
  if (keys.length > USAGE_LIMITS.maxMetrics)
    throw invalid(`anvil.outcome(): at most ${USAGE_LIMITS.maxMetrics} metrics, got ${keys.length}`);
  for (const k of keys) {
    const v = o.metrics[k];
    if (k.length === 0 || k.length > 64)
      throw invalid(`anvil.outcome(): metric names have 1 to 64 characters ("${k}")`);
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw invalid(`anvil.outcome(): metric "${k}" must be a finite number, got ${JSON.stringify(v)}`);
  }
}
