import uPlot from 'uplot';
import { formatCount, formatMs, formatUsd, usdTicks } from './format';
import type { ChartColors } from './UPlotChart';

/**
 * The dashboard's uPlot options: the theme's colours, axes written with the same formatting as the tables, and a
 * legend that shows the values under the cursor. Each builder returns a function of the colours and size, as
 * `UPlotChart` asks.
 */
type Build = (c: ChartColors, width: number, height: number) => Omit<uPlot.Options, 'width' | 'height'>;

const axis = (c: ChartColors, extra: Partial<uPlot.Axis> = {}): uPlot.Axis => ({
  stroke: c.muted,
  grid: { stroke: c.grid, width: 1 },
  ticks: { stroke: c.grid, width: 1 },
  font: '11px system-ui, sans-serif',
  ...extra,
});

const bars = (align: -1 | 0 | 1, factor = 0.7) => uPlot.paths.bars?.({ size: [factor, 40], align, gap: 1 });

/** Renders per bucket as bars, errors as bars in front of them. */
export const rendersOptions: Build = (c) => ({
  legend: { show: true, live: true },
  cursor: { points: { show: false } },
  scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
  axes: [axis(c), axis(c, { values: (_u, splits) => splits.map((v) => formatCount(v)), size: 50 })],
  series: [
    {},
    {
      label: 'Renders',
      stroke: c.accent,
      fill: withAlpha(c.accent, 0.55),
      paths: bars(0),
      points: { show: false },
      value: (_u, v) => (v === null ? '—' : formatCount(v)),
    },
    {
      label: 'Errors',
      stroke: c.danger,
      fill: withAlpha(c.danger, 0.8),
      paths: bars(0, 0.4),
      points: { show: false },
      value: (_u, v) => (v === null ? '—' : formatCount(v)),
    },
  ],
});

/** p50 and p95 per bucket as lines (gaps where there were no renders). */
export const latencyOptions: Build = (c) => ({
  legend: { show: true, live: true },
  scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
  axes: [axis(c), axis(c, { values: (_u, splits) => splits.map((v) => formatMs(v)), size: 60 })],
  series: [
    {},
    {
      label: 'p50',
      stroke: c.accent,
      width: 2,
      points: { show: true, size: 4 },
      value: (_u, v) => formatMs(v),
    },
    {
      label: 'p95',
      stroke: c.warning,
      width: 2,
      dash: [6, 3],
      points: { show: true, size: 4 },
      value: (_u, v) => formatMs(v),
    },
  ],
});

/** Errors as a share of renders, in percent. */
export const errorRateOptions: Build = (c) => ({
  legend: { show: true, live: true },
  scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, Math.min(100, max * 1.2))] } },
  axes: [axis(c), axis(c, { values: (_u, splits) => splits.map((v) => `${+v.toFixed(1)}%`), size: 50 })],
  series: [
    {},
    {
      label: 'Error rate',
      stroke: c.danger,
      fill: withAlpha(c.danger, 0.12),
      width: 2,
      points: { show: true, size: 4 },
      value: (_u, v) => (v === null ? '—' : `${+v.toFixed(1)}%`),
    },
  ],
});

/**
 * Tokens (left axis) and cost (right axis) per group — versions or models — as pairs of bars; the x axis is the
 * groups' positions, written with their labels.
 */
export function tokensAndCostOptions(labels: readonly string[], by: string): Build {
  return (c) => ({
    legend: { show: true, live: true },
    cursor: { points: { show: false } },
    scales: {
      x: { time: false, range: () => [-0.5, Math.max(0.5, labels.length - 0.5)] },
      tokens: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
      usd: { range: (_u, _min, max) => [0, Math.max(0.01, max * 1.1)] },
    },
    axes: [
      axis(c, {
        splits: () => labels.map((_, i) => i),
        values: (_u, splits) => splits.map((i) => shorten(labels[i] ?? '')),
        grid: { show: false },
      }),
      axis(c, { scale: 'tokens', values: (_u, splits) => splits.map((v) => formatCount(v)), size: 50 }),
      axis(c, {
        scale: 'usd',
        side: 1,
        grid: { show: false },
        values: (_u, splits) => usdTicks(splits),
        size: 60,
      }),
    ],
    series: [
      { label: by, value: (_u, i) => (i === null ? '—' : (labels[i] ?? '')) },
      {
        label: 'Tokens',
        scale: 'tokens',
        stroke: c.accent,
        fill: withAlpha(c.accent, 0.6),
        paths: bars(-1, 0.35),
        points: { show: false },
        value: (_u, v) => (v === null ? '—' : formatCount(v)),
      },
      {
        label: 'Cost',
        scale: 'usd',
        stroke: c.ok,
        fill: withAlpha(c.ok, 0.6),
        paths: bars(1, 0.35),
        points: { show: false },
        value: (_u, v) => (v === null ? '—' : formatUsd(v)),
      },
    ],
  });
}

function shorten(label: string): string {
  return label.length > 18 ? `${label.slice(0, 17)}…` : label;
}

/** A CSS colour (hex from our theme) with an alpha, for fills. */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (!m?.[1]) return color;
  const n = parseInt(m[1], 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
