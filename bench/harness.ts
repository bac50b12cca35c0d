/**
 * Benchmarks compare our figure with a baseline measured in the same process right after it, because
 * machines here are noisy: the ratio (ours / baseline, of a cost, lower is better) is what issues bound.
 */
export interface BenchRow {
  bench: string;
  metric: string;
  ours: number;
  baseline: number | null;
  unit: string;
  /** ours / baseline of a cost; null when there is no baseline. */
  ratio: number | null;
  /** The bound on `ratio` (or on `ours` when there is no baseline), or null. */
  target: number | null;
}

export type Bench = () => Promise<BenchRow[]>;

export function row(
  bench: string,
  metric: string,
  ours: number,
  baseline: number | null,
  unit: string,
  target: number | null = null,
): BenchRow {
  const ratio = baseline === null || baseline === 0 ? null : ours / baseline;
  return { bench, metric, ours, baseline, unit, ratio, target };
}

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export const median = (samples: number[]): number => percentile(samples, 50);

/** Milliseconds for each of `runs` calls of fn, after `warmup` unmeasured calls. */
export async function sample(fn: () => unknown, runs: number, warmup = Math.min(5, runs)): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    out.push(performance.now() - start);
  }
  return out;
}

/**
 * Ours and baseline interleaved in rounds, so a burst of machine noise hits both alike; returns the
 * medians of per-round figures.
 */
export async function paired(
  ours: () => unknown,
  baseline: () => unknown,
  opts: { rounds?: number; perRound?: number; warmup?: number } = {},
): Promise<{ ours: number; baseline: number; oursSamples: number[]; baselineSamples: number[] }> {
  const rounds = opts.rounds ?? 15;
  const perRound = opts.perRound ?? 1;
  for (let i = 0; i < (opts.warmup ?? 3); i++) {
    await ours();
    await baseline();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let start = performance.now();
    for (let i = 0; i < perRound; i++) await ours();
    a.push((performance.now() - start) / perRound);
    start = performance.now();
    for (let i = 0; i < perRound; i++) await baseline();
    b.push((performance.now() - start) / perRound);
  }
  return { ours: median(a), baseline: median(b), oursSamples: a, baselineSamples: b };
}
