import type { Database as Db } from 'better-sqlite3';
import type { UsageEvent } from '../../shared/usage/types';
import type { Counts } from './histogram';
import { addSparse, bucketOf, emptyCounts, encodeDense, encodeSparse } from './histogram';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** `[sum, count, sumSquares]` of one outcome metric, as the rollups store it. */
export type MetricSums = Record<string, [number, number, number]>;

/** One rollup row's worth of a batch, summed in memory before its single upsert. */
export interface RollupDelta {
  projectId: string;
  hour: number;
  name: string;
  prompt: string;
  version: string;
  /** The experiment's id, '' for none (as every null dimension). */
  experiment: string;
  variant: string;
  model: string;
  error: string;
  renders: number;
  errors: number;
  fallbacks: number;
  latency: Counts | null;
  inputTokens: number;
  outputTokens: number;
  costNusd: number;
  outcomes: number;
  metrics: MetricSums | null;
}

/** USD as integer nano-dollars: sums of many small costs stay exact. */
export const toNano = (usd: number | null): number => (usd === null ? 0 : Math.round(usd * 1e9));

/**
 * Sums a batch's accepted events per rollup key (group commit: one upsert per key, not per event). `model` is
 * the model to count the event under: an outcome carries none, so the caller passes its render's when known.
 */
export class BatchRollup {
  readonly deltas = new Map<string, RollupDelta>();

  add(projectId: string, e: UsageEvent, model: string | null): void {
    const hour = e.at - (e.at % HOUR_MS);
    const error = e.type === 'render' ? (e.error ?? '') : '';
    const m = model ?? '';
    const experiment = e.experiment ?? '';
    const key = `${projectId}\0${hour}\0${e.name}\0${e.prompt}\0${e.version ?? ''}\0${experiment}\0${e.variant ?? ''}\0${m}\0${error}`;
    let d = this.deltas.get(key);
    if (!d) {
      d = {
        projectId,
        hour,
        name: e.name,
        prompt: e.prompt,
        version: e.version ?? '',
        experiment,
        variant: e.variant ?? '',
        model: m,
        error,
        renders: 0,
        errors: 0,
        fallbacks: 0,
        latency: null,
        inputTokens: 0,
        outputTokens: 0,
        costNusd: 0,
        outcomes: 0,
        metrics: null,
      };
      this.deltas.set(key, d);
    }
    d.costNusd += toNano(e.costUsd);
    if (e.type === 'render') {
      d.renders++;
      if (e.error !== null) d.errors++;
      if (e.fallback) d.fallbacks++;
      d.latency ??= emptyCounts();
      const b = bucketOf(e.latencyMs);
      d.latency[b] = (d.latency[b] as number) + 1;
      d.inputTokens += e.inputTokens ?? 0;
      return;
    }
    d.outcomes++;
    d.outputTokens += e.outputTokens ?? 0;
    for (const [k, v] of Object.entries(e.metrics)) {
      d.metrics ??= {};
      const s = (d.metrics[k] ??= [0, 0, 0]);
      s[0] += v;
      s[1] += 1;
      s[2] += v * v;
    }
  }
}

function addMetrics(into: MetricSums, json: string | null): MetricSums {
  if (!json) return into;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return into;
  }
  if (typeof parsed !== 'object' || parsed === null) return into;
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (!Array.isArray(v) || v.length !== 3) continue;
    const s = (into[k] ??= [0, 0, 0]);
    s[0] += Number(v[0]) || 0;
    s[1] += Number(v[1]) || 0;
    s[2] += Number(v[2]) || 0;
  }
  return into;
}

/**
 * SQL functions over the stored forms: `hist_merge(a, b)` and `metrics_merge(a, b)` for the upsert;
 * `hist_sum(latency)` (dense counts as text) and `metrics_sum(metrics)` (JSON) as aggregates for the queries,
 * so SQLite does the grouping and the plain sums in C.
 */
export function registerRollupFunctions(db: Db): void {
  db.function('hist_merge', { deterministic: true }, (a: unknown, b: unknown) => {
    const text = encodeSparse(addSparse(addSparse(emptyCounts(), a as string | null), b as string | null));
    return text === '' ? null : text;
  });
  db.function('metrics_merge', { deterministic: true }, (a: unknown, b: unknown) => {
    if (a === null) return b;
    if (b === null) return a;
    return JSON.stringify(addMetrics(addMetrics({}, a as string), b as string));
  });
  db.aggregate('hist_sum', {
    start: () => emptyCounts(),
    step: (acc: Counts, v: unknown) => addSparse(acc, v as string | null),
    result: (acc: Counts) => encodeDense(acc),
  });
  db.aggregate('metrics_sum', {
    start: () => ({}) as MetricSums,
    step: (acc: MetricSums, v: unknown) => addMetrics(acc, v as string | null),
    result: (acc: MetricSums) => JSON.stringify(acc),
  });
}
