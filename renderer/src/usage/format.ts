/**
 * How analytics figures are written on screen: short on tiles and in the editor's line ("12k renders, p95 3 ms,
 * $4.10"), exact in tables. Always en-US digits, so what a screenshot or a test reads does not depend on the
 * machine's locale.
 */
const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

const UNITS: [number, string][] = [
  [1e3, 'k'],
  [1e6, 'M'],
  [1e9, 'B'],
];

/** 987 → "987", 12,000 → "12k", 12,345 → "12.3k", 1,234,567 → "1.23M". */
export function formatCount(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1000) return grouped.format(n);
  for (const [div, unit] of UNITS) {
    const v = n / div;
    // Three significant digits at most: 1.23M, 12.3k, 123k; 999,999 is 1M, not 1000k.
    const text = Math.abs(v).toFixed(Math.abs(v) < 10 ? 2 : Math.abs(v) < 100 ? 1 : 0);
    if (Number(text) < 1000 || unit === 'B') return `${n < 0 ? '-' : ''}${trim(text)}${unit}`;
  }
  return grouped.format(n);
}
/** Exact, with thousands separators: 12,345. */
export function formatInteger(n: number): string {
  return grouped.format(n);
}

/** 0.42 ms, 3 ms, 3.2 ms, 120 ms, 1.5 s; "—" when there is no figure (no renders in that bucket). */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  if (ms < 1) return `${trim(ms.toFixed(2))} ms`;
  if (ms < 10) return `${trim(ms.toFixed(1))} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${trim((ms / 1000).toFixed(ms < 10_000 ? 2 : 1))} s`;
}

/** $4.10, $12,345.67; under a cent with two significant digits ($0.0042), so small costs do not read as zero. */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd)) return '—';
  if (usd === 0) return '$0.00';
  const abs = Math.abs(usd);
  const sign = usd < 0 ? '-' : '';
  if (abs < 0.01) return `${sign}$${abs.toPrecision(2).replace(/e.*$/, '')}`;
  return `${sign}$${new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(abs)}`;
}

/** Axis ticks in USD with as many decimals as their step has ($0.025 is not written $0.03), at least cents. */
export function usdTicks(splits: readonly number[]): string[] {
  const step = splits.length > 1 ? Math.abs((splits[1] ?? 0) - (splits[0] ?? 0)) : 0;
  const decimals = (String(+step.toPrecision(6)).split('.')[1] ?? '').length;
  const d = Math.min(6, Math.max(2, decimals));
  return splits.map((v) => `$${v.toFixed(d)}`);
}

/** A rate of 0 to 1 as a percentage: 0%, <0.1%, 1.2%, 12%, 100%; "—" when undefined (no renders). */
export function formatPercent(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  if (rate === 0) return '0%';
  const pct = rate * 100;
  if (pct < 0.1) return '<0.1%';
  return `${trim(pct.toFixed(pct < 10 ? 1 : 0))}%`;
}

/** A rate that may have no denominator. */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** The editor's compact line for one prompt over the last 7 days. */
export function promptUsageText(f: { renders: number; latencyP95Ms: number | null; costUsd: number }): string {
  if (f.renders === 0) return 'no renders in the last 7 days';
  const renders = `${formatCount(f.renders)} ${f.renders === 1 ? 'render' : 'renders'} last 7 days`;
  return `${renders}, p95 ${formatMs(f.latencyP95Ms)}, ${formatUsd(f.costUsd)}`;
}

/** What a group's key stands for when the server has none (a render without a variant, a failed resolve…). */
export function groupLabel(key: string | null, by: string): string {
  if (key !== null && key !== '') return key;
  switch (by) {
    case 'error':
      return 'no error';
    case 'experiment':
      return 'no experiment';
    case 'variant':
      return 'no variant';
    case 'version':
      return 'unresolved';
    case 'model':
      return 'no model';
    default:
      return '(none)';
  }
}

function trim(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}
