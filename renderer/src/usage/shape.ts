import type { UsageBreakdown, UsageDimension, UsageFigures, UsageSeries } from '../../../shared/usage/types';
import { emptyFigures } from '../../../shared/usage/types';
import { formatCount, formatInteger, formatMs, formatPercent, formatUsd, groupLabel, rate } from './format';

/**
 * The dashboard's data shaping, pure so it is tested without a browser: time ranges and buckets, the series with
 * its empty buckets filled in, totals, the arrays the charts draw, the sentences that describe each chart to a
 * screen reader, and the dashboard's state in its address (`#/analytics?project=…&range=7d`).
 */
export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

export type RangePreset = '24h' | '7d' | '30d' | 'custom';
export const RANGE_PRESETS: { value: RangePreset; label: string }[] = [
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: 'custom', label: 'Custom range' },
];

export interface TimeRange {
  from: number;
  to: number;
  bucket: 'hour' | 'day';
}

/** A preset ending at the current bucket's end: whole hours (24 h, 7 d) or whole UTC days (30 d). */
export function presetRange(preset: Exclude<RangePreset, 'custom'>, now: number): TimeRange {
  if (preset === '30d') {
    const to = Math.ceil(now / DAY) * DAY;
    return { from: to - 30 * DAY, to, bucket: 'day' };
  }
  const to = Math.ceil(now / HOUR) * HOUR;
  return { from: to - (preset === '24h' ? 1 : 7) * DAY, to, bucket: 'hour' };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` to the start of that UTC day, or null. */
function dayStart(date: string): number | null {
  const m = DATE.exec(date);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === date ? t : null;
}

/** Whole UTC days, both ends included; hourly buckets up to three days, daily beyond. */
export function customRange(fromDate: string, toDate: string): TimeRange | { error: string } {
  const from = dayStart(fromDate);
  const last = dayStart(toDate);
  if (from === null) return { error: 'Choose the first day of the range.' };
  if (last === null) return { error: 'Choose the last day of the range.' };
  if (last < from) return { error: 'The last day comes before the first: swap them.' };
  const to = last + DAY;
  if (to - from > 400 * DAY) return { error: 'A range covers at most 400 days.' };
  return { from, to, bucket: to - from > 3 * DAY ? 'day' : 'hour' };
}

export type Point = { at: number } & UsageFigures;

/**
 * Every bucket of the range, the server's or an empty one (it leaves buckets without events out). A point off
 * the grid (a server whose days start elsewhere) is put in the bucket it falls in rather than lost.
 */
export function fillSeries(series: UsageSeries, range: TimeRange): Point[] {
  const step = series.bucket === 'day' ? DAY : HOUR;
  const snap = (at: number) => Math.floor(at / step) * step;
  const byAt = new Map(series.points.map((p) => [snap(p.at), { ...p, at: snap(p.at) }]));
  const out: Point[] = [];
  for (let at = snap(range.from); at < range.to && out.length < 20_000; at += step)
    out.push(byAt.get(at) ?? { at, ...emptyFigures() });
  return out;
}

export interface Totals {
  renders: number;
  errors: number;
  fallbacks: number;
  errorRate: number | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export function totals(points: readonly UsageFigures[]): Totals {
  const t = { renders: 0, errors: 0, fallbacks: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
  for (const p of points) {
    t.renders += p.renders;
    t.errors += p.errors;
    t.fallbacks += p.fallbacks;
    t.inputTokens += p.inputTokens;
    t.outputTokens += p.outputTokens;
    t.costUsd += p.costUsd;
  }
  return { ...t, errorRate: rate(t.errors, t.renders) };
}

/** The columns the time charts draw (uPlot's aligned data: x in seconds, null where there is nothing to draw). */
export interface TimeColumns {
  xs: number[];
  renders: number[];
  errors: number[];
  p50: (number | null)[];
  p95: (number | null)[];
  errorRate: (number | null)[];
}

export function timeColumns(points: readonly Point[]): TimeColumns {
  return {
    xs: points.map((p) => p.at / 1000),
    renders: points.map((p) => p.renders),
    errors: points.map((p) => p.errors),
    p50: points.map((p) => (p.renders > 0 ? p.latencyP50Ms : null)),
    p95: points.map((p) => (p.renders > 0 ? p.latencyP95Ms : null)),
    errorRate: points.map((p) => (p.renders > 0 ? (p.errors / p.renders) * 100 : null)),
  };
}

/** "5 Jan 09:00" for an hour, "5 Jan" for a day; `timeZone` for tests (the screen uses the local one). */
export function bucketLabel(at: number, bucket: 'hour' | 'day', timeZone?: string): string {
  const opts: Intl.DateTimeFormatOptions = {
    day: 'numeric',
    month: 'short',
    ...(bucket === 'hour' ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
    ...(timeZone ? { timeZone } : {}),
  };
  return new Intl.DateTimeFormat('en-GB', opts).format(at).replace(',', '');
}

/** The sentences a screen reader hears for each time chart (each chart also has a table). */
export function timeSummaries(
  points: readonly Point[],
  bucket: 'hour' | 'day',
  timeZone?: string,
): { renders: string; latency: string; errors: string } {
  const per = bucket === 'hour' ? 'hour' : 'day';
  const t = totals(points);
  const busiest = points.reduce<Point | null>((m, p) => (p.renders > (m?.renders ?? 0) ? p : m), null);
  const renders =
    t.renders === 0
      ? `Renders per ${per}: none in this range.`
      : `Renders per ${per}: ${formatInteger(t.renders)} in total; the busiest ${per}, ${bucketLabel(busiest?.at ?? 0, bucket, timeZone)}, had ${formatInteger(busiest?.renders ?? 0)}.`;
  const withRenders = points.filter((p) => p.renders > 0);
  const span = (values: (number | null)[]) => {
    const v = values.filter((x): x is number => x !== null);
    return v.length === 0 ? null : `${formatMs(Math.min(...v))} to ${formatMs(Math.max(...v))}`;
  };
  const p50 = span(withRenders.map((p) => p.latencyP50Ms));
  const p95 = span(withRenders.map((p) => p.latencyP95Ms));
  const latency =
    p50 === null && p95 === null
      ? `Latency per ${per}: no renders in this range.`
      : `Latency per ${per}: p50 from ${p50 ?? '—'}, p95 from ${p95 ?? '—'}.`;
  const worst = withRenders.reduce<Point | null>(
    (m, p) => (m === null || p.errors / p.renders > m.errors / m.renders ? p : m),
    null,
  );
  const errors =
    t.renders === 0
      ? `Error rate per ${per}: no renders in this range.`
      : t.errors === 0
        ? `Error rate per ${per}: no errors in ${formatInteger(t.renders)} renders.`
        : `Error rate per ${per}: ${formatPercent(t.errorRate)} over the range (${formatInteger(t.errors)} of ${formatInteger(t.renders)} renders); highest ${formatPercent(rate(worst?.errors ?? 0, worst?.renders ?? 0))} at ${bucketLabel(worst?.at ?? 0, bucket, timeZone)}.`;
  return { renders, latency, errors };
}

export interface BreakdownRow extends UsageFigures {
  key: string | null;
  label: string;
  errorRate: number | null;
  tokens: number;
}

/** The groups, busiest first (then by name), each with its label and error rate. */
export function breakdownRows(b: UsageBreakdown | undefined): BreakdownRow[] {
  if (!b) return [];
  return b.groups
    .map((g) => ({
      ...g,
      label: groupLabel(g.key, b.by),
      errorRate: rate(g.errors, g.renders),
      tokens: g.inputTokens + g.outputTokens,
    }))
    .sort((x, y) => y.renders - x.renders || x.label.localeCompare(y.label));
}

/** The bar charts' sentence: "Tokens and cost per version: 1.1.0 12k tokens, $3.20; 1.0.0 …". */
export function barSummary(rows: readonly BreakdownRow[], by: string): string {
  if (rows.length === 0) return `Tokens and cost per ${by}: nothing in this range.`;
  const shown = rows.slice(0, 8).map((r) => `${r.label} ${formatCount(r.tokens)} tokens, ${formatUsd(r.costUsd)}`);
  const more = rows.length > 8 ? `; and ${rows.length - 8} more in the table` : '';
  return `Tokens and cost per ${by}: ${shown.join('; ')}${more}.`;
}

/** Latency over the whole selection: exact when one set is selected (one group), else the spread across sets. */
export function overallLatency(byName: UsageBreakdown | undefined): {
  p50: string;
  p95: string;
  exact: boolean;
} {
  const groups = (byName?.groups ?? []).filter((g) => g.renders > 0);
  if (groups.length === 1 && groups[0])
    return { p50: formatMs(groups[0].latencyP50Ms), p95: formatMs(groups[0].latencyP95Ms), exact: true };
  const spread = (values: (number | null)[]) => {
    const v = values.filter((x): x is number => x !== null);
    if (v.length === 0) return '—';
    const lo = Math.min(...v);
    const hi = Math.max(...v);
    return lo === hi ? formatMs(lo) : `${formatMs(lo)}–${formatMs(hi)}`;
  };
  return {
    p50: spread(groups.map((g) => g.latencyP50Ms)),
    p95: spread(groups.map((g) => g.latencyP95Ms)),
    exact: false,
  };
}

// ── the dashboard's address ──────────────────────────────────────────────────────────────────────────────────

export const TABLE_DIMENSIONS: { value: UsageDimension; label: string }[] = [
  { value: 'version', label: 'Version' },
  { value: 'model', label: 'Model' },
  { value: 'prompt', label: 'Prompt' },
  { value: 'name', label: 'Set' },
  { value: 'experiment', label: 'Experiment' },
  { value: 'variant', label: 'Variant' },
  { value: 'error', label: 'Error' },
];

export interface AnalyticsState {
  project?: string;
  name?: string;
  version?: string;
  prompt?: string;
  range: RangePreset;
  /** `YYYY-MM-DD`, for the custom range. */
  from?: string;
  to?: string;
  by: UsageDimension;
}

const KEYS = ['project', 'name', 'version', 'prompt', 'from', 'to'] as const;

export function parseAnalyticsSearch(search: string): AnalyticsState {
  const q = new URLSearchParams(search);
  const range = RANGE_PRESETS.find((r) => r.value === q.get('range'))?.value ?? '7d';
  const by = TABLE_DIMENSIONS.find((d) => d.value === q.get('by'))?.value ?? 'version';
  const state: AnalyticsState = { range, by };
  for (const key of KEYS) {
    const v = q.get(key);
    if (v) state[key] = v;
  }
  return state;
}

export const ANALYTICS_HREF = '/analytics';

/** The dashboard's route for a state; defaults are left out, so the plain screen is plain `/analytics`. */
export function analyticsHref(state: Partial<AnalyticsState>): string {
  const q = new URLSearchParams();
  for (const key of ['project', 'name', 'version', 'prompt'] as const) {
    const v = state[key];
    if (v) q.set(key, v);
  }
  if (state.range && state.range !== '7d') q.set('range', state.range);
  if (state.range === 'custom') {
    if (state.from) q.set('from', state.from);
    if (state.to) q.set('to', state.to);
  }
  if (state.by && state.by !== 'version') q.set('by', state.by);
  const s = q.toString();
  return s ? `${ANALYTICS_HREF}?${s}` : ANALYTICS_HREF;
}
