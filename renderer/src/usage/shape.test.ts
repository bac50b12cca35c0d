import { describe, expect, it } from 'vitest';
import type { UsageFigures } from '../../../shared/usage/types';
import { emptyFigures } from '../../../shared/usage/types';
import {
  DAY,
  HOUR,
  analyticsHref,
  barSummary,
  breakdownRows,
  bucketLabel,
  customRange,
  fillSeries,
  overallLatency,
  parseAnalyticsSearch,
  presetRange,
  timeColumns,
  timeSummaries,
  totals,
} from './shape';

const T0 = Date.UTC(2026, 0, 5, 9, 0);
const f = (over: Partial<UsageFigures>): UsageFigures => ({ ...emptyFigures(), ...over });

describe('time ranges', () => {
  it('presets end at the current hour (or UTC day for 30 days) and pick their bucket', () => {
    const now = T0 + 20 * 60_000;
    expect(presetRange('24h', now)).toEqual({ from: T0 + HOUR - DAY, to: T0 + HOUR, bucket: 'hour' });
    expect(presetRange('7d', now)).toEqual({ from: T0 + HOUR - 7 * DAY, to: T0 + HOUR, bucket: 'hour' });
    const midnight = Date.UTC(2026, 0, 6);
    expect(presetRange('30d', now)).toEqual({ from: midnight - 30 * DAY, to: midnight, bucket: 'day' });
  });

  it('a custom range is whole UTC days, both included; hours up to three days, days beyond', () => {
    expect(customRange('2026-01-05', '2026-01-05')).toEqual({
      from: Date.UTC(2026, 0, 5),
      to: Date.UTC(2026, 0, 6),
      bucket: 'hour',
    });
    expect(customRange('2026-01-01', '2026-01-10')).toMatchObject({ bucket: 'day', to: Date.UTC(2026, 0, 11) });
    expect(customRange('', '2026-01-10')).toEqual({ error: 'Choose the first day of the range.' });
    expect(customRange('2026-02-30', '2026-03-01')).toEqual({ error: 'Choose the first day of the range.' });
    expect(customRange('2026-01-10', '2026-01-01')).toEqual({
      error: 'The last day comes before the first: swap them.',
    });
    expect(customRange('2020-01-01', '2026-01-01')).toEqual({ error: 'A range covers at most 400 days.' });
  });
});

describe('series shaping', () => {
  const range = { from: T0, to: T0 + 4 * HOUR, bucket: 'hour' as const };
  const series = {
    bucket: 'hour' as const,
    points: [
      { at: T0 + HOUR, ...f({ renders: 10, errors: 1, latencyP50Ms: 1, latencyP95Ms: 3, costUsd: 0.5 }) },
      { at: T0 + 3 * HOUR + 5, ...f({ renders: 30, latencyP50Ms: 2, latencyP95Ms: 9, inputTokens: 300 }) },
    ],
  };

  it('fills the buckets the server left out and puts an off-grid point in its bucket', () => {
    const points = fillSeries(series, range);
    expect(points.map((p) => [p.at - T0, p.renders])).toEqual([
      [0, 0],
      [HOUR, 10],
      [2 * HOUR, 0],
      [3 * HOUR, 30],
    ]);
  });

  it('totals, and the columns the charts draw (nothing drawn for latency or error rate without renders)', () => {
    const points = fillSeries(series, range);
    expect(totals(points)).toEqual({
      renders: 40,
      errors: 1,
      fallbacks: 0,
      errorRate: 0.025,
      inputTokens: 300,
      outputTokens: 0,
      costUsd: 0.5,
    });
    const c = timeColumns(points);
    expect(c.xs).toEqual([T0 / 1000, T0 / 1000 + 3600, T0 / 1000 + 7200, T0 / 1000 + 10_800]);
    expect(c.p95).toEqual([null, 3, null, 9]);
    expect(c.errorRate).toEqual([null, 10, null, 0]);
  });

  it('describes each chart in a sentence', () => {
    const s = timeSummaries(fillSeries(series, range), 'hour', 'UTC');
    expect(s.renders).toBe('Renders per hour: 40 in total; the busiest hour, 5 Jan 12:00, had 30.');
    expect(s.latency).toBe('Latency per hour: p50 from 1 ms to 2 ms, p95 from 3 ms to 9 ms.');
    expect(s.errors).toBe('Error rate per hour: 2.5% over the range (1 of 40 renders); highest 10% at 5 Jan 10:00.');
    const empty = timeSummaries(fillSeries({ bucket: 'day', points: [] }, { ...range, bucket: 'day' }), 'day');
    expect(empty.renders).toBe('Renders per day: none in this range.');
    expect(empty.errors).toBe('Error rate per day: no renders in this range.');
    expect(bucketLabel(Date.UTC(2026, 0, 5), 'day', 'UTC')).toBe('5 Jan');
  });
});

describe('breakdowns', () => {
  const byVersion = {
    by: 'version' as const,
    groups: [
      { key: '1.0.0', ...f({ renders: 5, inputTokens: 50, costUsd: 0.01 }) },
      { key: null, ...f({ renders: 2, errors: 2 }) },
      { key: '1.1.0', ...f({ renders: 20, inputTokens: 900, outputTokens: 100, costUsd: 3.2 }) },
    ],
  };

  it('rows busiest first, labelled, with error rate and tokens', () => {
    const rows = breakdownRows(byVersion);
    expect(rows.map((r) => [r.label, r.renders, r.tokens, r.errorRate])).toEqual([
      ['1.1.0', 20, 1000, 0],
      ['1.0.0', 5, 50, 0],
      ['unresolved', 2, 0, 1],
    ]);
    expect(barSummary(rows, 'version')).toBe(
      'Tokens and cost per version: 1.1.0 1k tokens, $3.20; 1.0.0 50 tokens, $0.01; unresolved 0 tokens, $0.00.',
    );
    expect(barSummary([], 'model')).toBe('Tokens and cost per model: nothing in this range.');
  });

  it('overall latency is exact for one set and a spread across several', () => {
    const one = {
      by: 'name' as const,
      groups: [{ key: '@a/s', ...f({ renders: 3, latencyP50Ms: 1, latencyP95Ms: 4 }) }],
    };
    expect(overallLatency(one)).toEqual({ p50: '1 ms', p95: '4 ms', exact: true });
    const two = {
      by: 'name' as const,
      groups: [
        { key: '@a/s', ...f({ renders: 3, latencyP50Ms: 1, latencyP95Ms: 4 }) },
        { key: '@a/t', ...f({ renders: 1, latencyP50Ms: 2, latencyP95Ms: 12 }) },
      ],
    };
    expect(overallLatency(two)).toEqual({ p50: '1 ms–2 ms', p95: '4 ms–12 ms', exact: false });
    expect(overallLatency(undefined)).toEqual({ p50: '—', p95: '—', exact: false });
  });
});

describe("the dashboard's address", () => {
  it('round-trips the filters, leaving defaults out and unknown values at their default', () => {
    const state = parseAnalyticsSearch(
      'project=acme&name=%40acme%2Fsupport&range=custom&from=2026-01-01&to=2026-01-09&by=model',
    );
    expect(state).toEqual({
      project: 'acme',
      name: '@acme/support',
      range: 'custom',
      from: '2026-01-01',
      to: '2026-01-09',
      by: 'model',
    });
    expect(parseAnalyticsSearch(analyticsHref(state).split('?')[1] ?? '')).toEqual(state);
    expect(analyticsHref({ range: '7d', by: 'version' })).toBe('/analytics');
    expect(analyticsHref({ project: 'acme', name: '@acme/support', prompt: 'greeting' })).toBe(
      '/analytics?project=acme&name=%40acme%2Fsupport&prompt=greeting',
    );
    expect(parseAnalyticsSearch('range=forever&by=colour')).toEqual({ range: '7d', by: 'version' });
  });
});
