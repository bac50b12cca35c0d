import type { Database as Db } from 'better-sqlite3';
import { AnvilError } from '../../shared/domain';
import type { UsageBreakdown, UsageDimension, UsageFigures, UsageFilter, UsageSeries } from '../../shared/usage/types';
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

/**
 * Series and breakdowns over the hourly rollups, never the raw events, so a dashboard of months of traffic
 * reads one row per hour and key. A caller sees the projects it has a role on (a server admin: all); anyone
 * but a server admin names a project or a package. Figures cover the rollup hours that overlap [from, to).
 */
export function createUsageQueries(db: Db, access: UsageAccess): UsageQueries {
  /** The WHERE clause of a filter, restricted to what the caller may read. */
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
    parts.push('hour >= ?', 'hour < ?');
    args.push(filter.from - (filter.from % HOUR_MS), filter.to);
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
    return { sql: parts.join(' AND '), args };
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
      const rows = db
        .prepare<unknown[], FiguresRow & { at: number }>(
          `SELECT hour - (hour % ${size}) AS at, ${FIGURES} FROM rollups WHERE ${w.sql} GROUP BY 1 ORDER BY 1`,
        )
        .all(...w.args);
      const byAt = new Map(rows.map((r) => [r.at, r]));
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
      const rows = db
        .prepare<unknown[], FiguresRow & { key: string }>(
          `SELECT ${by} AS key, ${FIGURES} FROM rollups WHERE ${w.sql} GROUP BY ${by}
           ORDER BY renders DESC, outcomes DESC, key LIMIT ?`,
        )
        .all(...w.args, Math.min(MAX_BREAKDOWN_LIMIT, Math.max(1, limit)));
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

export function emptyFigures(): UsageFigures {
  return {
    renders: 0,
    errors: 0,
    fallbacks: 0,
    latencyP50Ms: null,
    latencyP95Ms: null,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    outcomes: 0,
    metrics: {},
  };
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
