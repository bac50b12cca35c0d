import type { Database as Db } from 'better-sqlite3';
import { AnvilError } from '../../shared/domain';
import type { UsageBreakdown, UsageDimension, UsageFigures, UsageFilter, UsageSeries } from '../../shared/usage/types';
import { emptyFigures } from '../../shared/usage/types';
import type { ApiCaller } from '../api/backend';
import type { UsageAccess } from './access';
import { unknownProject } from './access';
import { decodeDense, quantile } from './histogram';
import type { MetricSums } from './rollup';
import { DAY_MS, HOUR_MS } from './rollup';

export const USAGE_DIMENSIONS: readonly UsageDimension[] = [
  'name',
  'prompt',
  'version',
  'experiment',
  'variant',
  'model',
  'error',
];
/** Points one series may have (417 days of hours). */
export const MAX_SERIES_POINTS = 10_000;
export const DEFAULT_BREAKDOWN_LIMIT = 100;
const PACKAGE_NAME = /^@[^/]+\/[^/]+$/;
export const MAX_BREAKDOWN_LIMIT = 1_000;

export interface UsageQueries {
  series(caller: ApiCaller, filter: UsageFilter, bucket: 'hour' | 'day'): UsageSeries;
  breakdown(caller: ApiCaller, filter: UsageFilter, by: UsageDimension, limit?: number): UsageBreakdown;
}

const FIGURES = `sum(renders) AS renders, sum(errors) AS errors, sum(fallbacks) AS fallbacks,
  hist_sum(latency) AS latency, sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens,
  sum(cost_nusd) AS costNusd, sum(outcomes) AS outcomes, metrics_sum(metrics) AS metrics`;

interface FiguresRow {
  renders: number;
  errors: number;
  fallbacks: number;
  latency: string | null;
  inputTokens: number;
  outputTokens: number;
  costNusd: number;
  outcomes: number;
  metrics: string | null;
}

/** Options of `createUsageQueries`. */
export interface UsageQueryOptions {
  /**
   * Read the whole UTC days of a range from `rollups_daily` (the default). false: hourly rows only, the plain
   * reading the daily one must equal (the tests compare the two).
   */
  daily?: boolean;
}

/** One table's part of a range: rows whose time column is in [from, to). */
interface Part {
  table: 'rollups' | 'rollups_daily';
  time: 'hour' | 'day';
  from: number;
  to: number;
}

/**
 * Where the rollup hours overlapping [from, to) are read: the whole UTC days among them from `rollups_daily`,
 * the hours before the first and after the last whole day from `rollups`. Hourly rows only when `daily` is false
 * or the hours hold no whole day.
 */
export function rangeParts(from: number, to: number, daily: boolean): Part[] {
  const first = from - (from % HOUR_MS);
  const end = to % HOUR_MS === 0 ? to : to - (to % HOUR_MS) + HOUR_MS; // the hours are [first, end)
  const hours = (a: number, b: number): Part => ({ table: 'rollups', time: 'hour', from: a, to: b });
  const dayFrom = first % DAY_MS === 0 ? first : first - (first % DAY_MS) + DAY_MS;
  const dayTo = end - (end % DAY_MS);
  if (!daily || dayFrom >= dayTo) return [hours(first, end)];
  const parts: Part[] = [];
  if (first < dayFrom) parts.push(hours(first, dayFrom));
  parts.push({ table: 'rollups_daily', time: 'day', from: dayFrom, to: dayTo });
  if (dayTo < end) parts.push(hours(dayTo, end));
  return parts;
}

/**
 * Series and breakdowns over the rollups, never the raw events, so a dashboard of months of traffic reads one row
 * per day (whole days, `rollups_daily`) or hour (the partial days at a range's edges, and series by hour) and key.
 * A caller sees the projects it has a role on (a server admin: all); anyone but a server admin names a project or
 * a package. Figures cover the rollup hours that overlap [from, to), whichever table they are read from.
 */
export function createUsageQueries(db: Db, access: UsageAccess, options: UsageQueryOptions = {}): UsageQueries {
  const daily = options.daily ?? true;
  /** The filter's conditions (all but the time), restricted to what the caller may read. */
  const where = (caller: ApiCaller, given: UsageFilter): { sql: string; args: unknown[] } => {
    checkRange(given);
    // `project` may also name a package (`@acme/support`, as UsageFilter allows): then it is the package filter.
    const { project: named, ...rest } = given;
    const filter: UsageFilter =
      named !== undefined && PACKAGE_NAME.test(named) && given.name === undefined ? { ...rest, name: named } : given;
    const visible = access.visibleProjects(caller);
    if (visible !== null && filter.project === undefined && filter.name === undefined)
      throw new AnvilError({
        code: 'invalid_request',
        message: 'Name a project (project=acme) or a package (name=@acme/support) to query usage.',
      });
    let ids: Set<string> | null = visible;
    if (filter.project !== undefined) {
      const named = access.projectsNamed(filter.project).filter((id) => visible === null || visible.has(id));
      if (named.length === 0) throw unknownProject(filter.project);
      ids = new Set(named);
    }
    if (filter.name !== undefined) {
      // Throws unknown_package / forbidden for a package the caller may not read.
      const projectId = access.packageProject(caller, filter.name);
      ids = ids === null || ids.has(projectId) ? new Set([projectId]) : new Set();
    }
    const parts: string[] = [];
    const args: unknown[] = [];
    if (ids !== null) {
      if (ids.size === 0) parts.push('0');
      else {
        parts.push(`project_id IN (${[...ids].map(() => '?').join(', ')})`);
        args.push(...ids);
      }
    }
    for (const [column, value] of [
      ['name', filter.name],
      ['prompt', filter.prompt],
      ['version', filter.version],
      ['experiment', filter.experiment],
      ['variant', filter.variant],
    ] as const)
      if (value !== undefined) {
        parts.push(`${column} = ?`);
        args.push(value);
      }
    return { sql: parts.length > 0 ? parts.join(' AND ') : '1', args };
  };

  /**
   * `SELECT key, figures … GROUP BY key` over the rows of `parts` that pass `w`: one table read directly, or
   * several as one UNION ALL of their rows, grouped as one. `key` is each part's grouping expression.
   */
  const grouped = (
    parts: Part[],
    w: { sql: string; args: unknown[] },
    key: (p: Part) => string,
    rest: string,
  ): { sql: string; args: unknown[] } => {
    const args: unknown[] = [];
    const selects = parts.map((p) => {
      args.push(p.from, p.to, ...w.args);
      return `SELECT ${key(p)} AS key, renders, errors, fallbacks, latency, input_tokens, output_tokens, cost_nusd,
        outcomes, metrics FROM ${p.table} WHERE ${p.time} >= ? AND ${p.time} < ? AND ${w.sql}`;
    });
    const only = parts.length === 1 ? parts[0] : undefined;
    const sql = only
      ? `SELECT ${key(only)} AS key, ${FIGURES} FROM ${only.table} WHERE ${only.time} >= ? AND ${only.time} < ? AND ${w.sql}
         GROUP BY 1 ${rest}`
      : `SELECT key, ${FIGURES} FROM (${selects.join(' UNION ALL ')}) GROUP BY 1 ${rest}`;
    return { sql, args };
  };

  return {
    series(caller, filter, bucket) {
      const size = bucket === 'day' ? DAY_MS : HOUR_MS;
      const first = filter.from - (filter.from % size);
      if (Math.ceil((filter.to - first) / size) > MAX_SERIES_POINTS)
        throw new AnvilError({
          code: 'invalid_request',
          message: `That range has more than ${MAX_SERIES_POINTS} ${bucket}s; use a shorter one or bucket=day.`,
        });
      const w = where(caller, filter);
      // By hour: hourly rows. By day: a day's whole-day row, or its hours at the range's edges.
      const q = grouped(
        rangeParts(filter.from, filter.to, daily && bucket === 'day'),
        w,
        (p) => (p.time === 'day' ? 'day' : `hour - (hour % ${size})`),
        'ORDER BY 1',
      );
      const rows = db.prepare<unknown[], FiguresRow & { key: number }>(q.sql).all(...q.args);
      const byAt = new Map(rows.map((r) => [r.key, r]));
      // Every bucket of the range, empty ones as zeros: a chart's x axis needs no gap filling.
      const points: UsageSeries['points'] = [];
      for (let at = first; at < filter.to; at += size) {
        const r = byAt.get(at);
        points.push({ at, ...(r ? figuresOf(r) : emptyFigures()) });
      }
      return { bucket, points };
    },

    breakdown(caller, filter, by, limit = DEFAULT_BREAKDOWN_LIMIT) {
      if (!USAGE_DIMENSIONS.includes(by))
        throw new AnvilError({ code: 'invalid_request', message: `by must be one of ${USAGE_DIMENSIONS.join(', ')}.` });
      const w = where(caller, filter);
      // `by` is one of the fixed column names above: never the caller's text in the SQL.
      const q = grouped(
        rangeParts(filter.from, filter.to, daily),
        w,
        () => by,
        'ORDER BY renders DESC, outcomes DESC, key LIMIT ?',
      );
      const rows = db
        .prepare<unknown[], FiguresRow & { key: string }>(q.sql)
        .all(...q.args, Math.min(MAX_BREAKDOWN_LIMIT, Math.max(1, limit)));
      return { by, groups: rows.map((r) => ({ key: r.key === '' ? null : r.key, ...figuresOf(r) })) };
    },
  };
}

function checkRange(filter: UsageFilter): void {
  const ok = (t: unknown) => typeof t === 'number' && Number.isSafeInteger(t) && t >= 0;
  if (!ok(filter.from) || !ok(filter.to) || filter.to <= filter.from)
    throw new AnvilError({
      code: 'invalid_request',
      message: 'from and to are times in ms since the epoch, from < to (to is exclusive).',
    });
}

function figuresOf(r: FiguresRow): UsageFigures {
  const counts = decodeDense(r.latency);
  const sums = r.metrics ? (JSON.parse(r.metrics) as MetricSums) : {};
  return {
    renders: r.renders,
    errors: r.errors,
    fallbacks: r.fallbacks,
    latencyP50Ms: quantile(counts, 0.5),
    latencyP95Ms: quantile(counts, 0.95),
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    // Stored as integer nano-dollars; rounded back so sums print as the decimals they were sent as.
    costUsd: Number((r.costNusd / 1e9).toFixed(9)),
    outcomes: r.outcomes,
    metrics: Object.fromEntries(
      Object.entries(sums).map(([k, [sum, count, sumSquares]]) => [k, { sum, count, sumSquares }]),
    ),
  };
}
