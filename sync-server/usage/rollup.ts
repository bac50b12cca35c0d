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
  /** ms at the start of the row's UTC hour (`rollups.hour`), or of its UTC day for a daily row (`rollups_daily.day`). */
  at: number;
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
        at: hour,
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

  /**
   * The batch's hourly deltas summed per UTC day (`at` = the day's start, `at - at % DAY_MS`): the upserts of
   * `rollups_daily`, one per daily key.
   */
  daily(): RollupDelta[] {
    const days = new Map<string, RollupDelta>();
    for (const d of this.deltas.values()) {
      const day = d.at - (d.at % DAY_MS);
      const key = `${d.projectId}\0${day}\0${d.name}\0${d.prompt}\0${d.version}\0${d.experiment}\0${d.variant}\0${d.model}\0${d.error}`;
      const into = days.get(key);
      if (!into) {
        days.set(key, {
          ...d,
          at: day,
          latency: d.latency ? Float64Array.from(d.latency) : null,
          metrics: d.metrics ? addMetricSums({}, d.metrics) : null,
        });
        continue;
      }
      into.renders += d.renders;
      into.errors += d.errors;
      into.fallbacks += d.fallbacks;
      if (d.latency) {
        const counts = (into.latency ??= emptyCounts());
        for (let i = 0; i < counts.length; i++) counts[i] = (counts[i] as number) + (d.latency[i] as number);
      }
      into.inputTokens += d.inputTokens;
      into.outputTokens += d.outputTokens;
      into.costNusd += d.costNusd;
      into.outcomes += d.outcomes;
      if (d.metrics) into.metrics = addMetricSums(into.metrics ?? {}, d.metrics);
    }
    return [...days.values()];
  }
}

function addMetricSums(into: MetricSums, add: MetricSums): MetricSums {
  for (const [k, [sum, count, sumSquares]] of Object.entries(add)) {
    const s = (into[k] ??= [0, 0, 0]);
    s[0] += sum;
    s[1] += count;
    s[2] += sumSquares;
  }
  return into;
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

/** Two stored (sparse) latency histograms added up, as stored: null for none. */
function mergeLatency(a: string | null, b: string | null): string | null {
  const text = encodeSparse(addSparse(addSparse(emptyCounts(), a), b));
  return text === '' ? null : text;
}

/** Two stored metric sums (JSON) added up, as stored: one alone is kept as it is, null for none. */
function mergeMetrics(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return JSON.stringify(addMetrics(addMetrics({}, a), b));
}

/**
 * SQL functions over the stored forms: `hist_merge(a, b)` and `metrics_merge(a, b)` for the upserts;
 * `hist_sum(latency)` (dense counts as text) and `metrics_sum(metrics)` (JSON) as aggregates for the queries,
 * so SQLite does the grouping and the plain sums in C; `hist_merge_all(latency)` and
 * `metrics_merge_all(metrics)`, aggregates giving the stored forms (`hist_merge` / `metrics_merge` folded over
 * the rows), to build daily rows from hourly ones (`fillDailyRollups`).
 */
export function registerRollupFunctions(db: Db): void {
  db.function('hist_merge', { deterministic: true }, (a: unknown, b: unknown) =>
    mergeLatency(a as string | null, b as string | null),
  );
  db.function('metrics_merge', { deterministic: true }, (a: unknown, b: unknown) =>
    mergeMetrics(a as string | null, b as string | null),
  );
  db.aggregate('hist_merge_all', {
    start: () => emptyCounts(),
    step: (acc: Counts, v: unknown) => addSparse(acc, v as string | null),
    result: (acc: Counts) => {
      const text = encodeSparse(acc);
      return text === '' ? null : text;
    },
  });
  // Folds metrics_merge: stringify/parse between steps is exact (shortest round-trip numbers), so summing in
  // one object gives the same figures; a single stored value is kept as it is, as metrics_merge keeps it.
  db.aggregate('metrics_merge_all', {
    start: () => ({ only: null as string | null, sums: null as MetricSums | null }),
    step: (acc: { only: string | null; sums: MetricSums | null }, v: unknown) => {
      if (v === null) return acc;
      if (acc.sums) addMetrics(acc.sums, v as string);
      else if (acc.only === null) acc.only = v as string;
      else acc.sums = addMetrics(addMetrics({}, acc.only), v as string);
      return acc;
    },
    result: (acc: { only: string | null; sums: MetricSums | null }) => (acc.sums ? JSON.stringify(acc.sums) : acc.only),
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

/**
 * Rebuilds `rollups_daily` from the hourly rows (migration 3; a bench that seeds `rollups` straight): each daily
 * row is the sum of its day's hourly rows of the same key, histograms and metrics merged as the upserts merge them.
 * Registers the rollup functions on `db` (a migration runs before the service registers them).
 */
export function fillDailyRollups(db: Db): number {
  registerRollupFunctions(db);
  db.exec('DELETE FROM rollups_daily');
  return db
    .prepare(
      `INSERT INTO rollups_daily (project_id, day, name, prompt, version, experiment, variant, model, error, renders,
        errors, fallbacks, latency, input_tokens, output_tokens, cost_nusd, outcomes, metrics)
      SELECT project_id, hour - hour % ${DAY_MS}, name, prompt, version, experiment, variant, model, error,
        sum(renders), sum(errors), sum(fallbacks), hist_merge_all(latency), sum(input_tokens), sum(output_tokens),
        sum(cost_nusd), sum(outcomes), metrics_merge_all(metrics)
      FROM rollups
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
    )
    .run().changes;
}
