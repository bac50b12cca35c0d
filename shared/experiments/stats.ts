import type { UsageFigures } from '../usage/types';
import { emptyFigures } from '../usage/types';
import type { Experiment, OutcomeMetric } from './types';

/**
 * Per-variant results of an experiment from the usage figures the server rolls up (`UsageFigures`, one per
 * variant key): exposures, the outcome metric's rate or mean with a 95% confidence interval, and each variant's
 * difference from the control (the first variant) with its own 95% interval. Pure arithmetic, no dependencies.
 *
 * - rate (a 0/1 metric): Wilson score interval for each variant; Newcombe's hybrid score interval (his method 10,
 *   built from the two Wilson intervals) for the difference of two rates.
 * - mean: Student's t interval from sum, count and sum of squares; Welch's interval (Welch–Satterthwaite degrees
 *   of freedom) for the difference of two means.
 */

/** The standard normal's 97.5% quantile: a two-sided 95% interval is ±Z95 standard errors. */
export const Z95 = 1.959963984540054;

/** A point estimate with its 95% confidence interval. */
export interface Interval {
  value: number;
  low: number;
  high: number;
}

// ---- Student's t ----------------------------------------------------------------------------------------------

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: about 15 significant digits). */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const y = x - 1;
  let a = c[0] as number;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The continued fraction of the incomplete beta function (modified Lentz; Numerical Recipes' `betacf`). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with `df` (> 0, not necessarily whole) degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/**
 * The t quantile a two-sided 95% interval uses (P(T ≤ t) = 0.975), for any df > 0: bisection on the exact CDF,
 * or, from 1,000 degrees of freedom, the Cornish–Fisher expansion around Z95 (its error there is below 1e-12).
 */
export function tCritical95(df: number): number {
  if (!(df > 0)) return Number.NaN;
  if (df >= 1000) {
    const z = Z95;
    const z3 = z ** 3;
    const z5 = z ** 5;
    const z7 = z ** 7;
    const z9 = z ** 9;
    return (
      z +
      (z3 + z) / (4 * df) +
      (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
      (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3) +
      (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * df ** 4)
    );
  }
  let low = Z95; // the t quantile is never below the normal one
  let high = 16;
  while (studentTCdf(high, df) < 0.975) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-13 * high; i++) {
    const mid = (low + high) / 2;
    if (studentTCdf(mid, df) < 0.975) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

// ---- Rates ----------------------------------------------------------------------------------------------------

/**
 * Wilson score interval (95%) for `successes` out of `trials`: unlike the textbook p ± z·se it stays inside
 * [0, 1] and keeps its coverage for small counts and rates near 0 or 1. Null for no trials.
 */
export function wilsonInterval(successes: number, trials: number): Interval | null {
  if (!(trials > 0)) return null;
  const p = successes / trials;
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (Z95 / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { value: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * The difference of two rates, `a - b`, with Newcombe's hybrid score interval (1998, method 10): each side's
 * distance to its Wilson limits, combined. Null when either side has no trials.
 */
export function rateDifference(
  a: { successes: number; trials: number },
  b: { successes: number; trials: number },
): Interval | null {
  const wa = wilsonInterval(a.successes, a.trials);
  const wb = wilsonInterval(b.successes, b.trials);
  if (!wa || !wb) return null;
  const d = wa.value - wb.value;
  return {
    value: d,
    low: d - Math.sqrt((wa.value - wa.low) ** 2 + (wb.high - wb.value) ** 2),
    high: d + Math.sqrt((wa.high - wa.value) ** 2 + (wb.value - wb.low) ** 2),
  };
}

// ---- Means ----------------------------------------------------------------------------------------------------

/** What the rollups keep of a numeric metric (`UsageFigures.metrics[name]`). */
export interface MetricSums {
  sum: number;
  count: number;
  sumSquares: number;
}

/** Mean and unbiased sample variance from the sums (the variance is 0 for fewer than 2 values). */
export function meanAndVariance(m: MetricSums): { mean: number; variance: number } {
  if (!(m.count > 0)) return { mean: Number.NaN, variance: Number.NaN };
  const mean = m.sum / m.count;
  if (m.count < 2) return { mean, variance: 0 };
  // Rounding can leave a hair below 0 when every value is the same.
  const variance = Math.max(0, (m.sumSquares - (m.sum * m.sum) / m.count) / (m.count - 1));
  return { mean, variance };
}

/** The mean with Student's t interval (95%, count − 1 degrees of freedom). Null below 2 values. */
export function meanInterval(m: MetricSums): Interval | null {
  if (!(m.count >= 2)) return null;
  const { mean, variance } = meanAndVariance(m);
  const half = tCritical95(m.count - 1) * Math.sqrt(variance / m.count);
  return { value: mean, low: mean - half, high: mean + half };
}

/**
 * The difference of two means, `a - b`, with Welch's interval (95%): no equal-variance assumption, degrees of
 * freedom by Welch–Satterthwaite. Null when either side has fewer than 2 values.
 */
export function meanDifference(a: MetricSums, b: MetricSums): Interval | null {
  if (!(a.count >= 2 && b.count >= 2)) return null;
  const ma = meanAndVariance(a);
  const mb = meanAndVariance(b);
  const d = ma.mean - mb.mean;
  const va = ma.variance / a.count;
  const vb = mb.variance / b.count;
  const se2 = va + vb;
  if (se2 === 0) return { value: d, low: d, high: d };
  const df = (se2 * se2) / ((va * va) / (a.count - 1) + (vb * vb) / (b.count - 1));
  const half = tCritical95(df) * Math.sqrt(se2);
  return { value: d, low: d - half, high: d + half };
}

// ---- An experiment's results ----------------------------------------------------------------------------------

export interface VariantResult {
  key: string;
  /** The first variant: every other is compared with it. */
  control: boolean;
  /** Renders that served this variant. */
  exposures: number;
  errors: number;
  /** Values of the outcome metric reported for this variant (outcome events carrying it). */
  observations: number;
  /** Rate or mean of the outcome metric with its 95% interval; null without enough data. */
  estimate: Interval | null;
  /** This variant minus the control, with its 95% interval; null for the control and without enough data. */
  difference: Interval | null;
  /** The difference's interval lies entirely above or below 0. */
  significant: boolean;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Estimated cost per exposure (USD), null without exposures. */
  costPerExposureUsd: number | null;
}

export interface ExperimentResults {
  experimentId: string;
  metric: OutcomeMetric;
  /** The control's key. */
  control: string;
  /** In the definition's order. */
  variants: VariantResult[];
  /** What makes the figures doubtful (a rate metric with values other than 0/1, more successes than trials). */
  warnings: string[];
}

export interface ResultOptions {
  /**
   * The denominator of a rate: `outcomes` (default: the metric's reports, so the application reports 0 as well
   * as 1) or `exposures` (the application reports only successes; every exposure without one counts as 0).
   */
  rateDenominator?: 'outcomes' | 'exposures';
}

/**
 * Results per variant from the usage figures of each variant key (a breakdown `by: 'variant'` filtered by the
 * experiment's id, over its prompt and time range); a variant without figures counts as no data.
 */
export function experimentResults(
  experiment: Pick<Experiment, 'id' | 'variants' | 'metric'>,
  figures: Readonly<Record<string, UsageFigures | undefined>>,
  options: ResultOptions = {},
): ExperimentResults {
  const metric = experiment.metric;
  const warnings: string[] = [];
  const denominator = options.rateDenominator ?? 'outcomes';

  const rows = experiment.variants.map((v) => {
    const f = figures[v.key] ?? emptyFigures();
    const sums: MetricSums = f.metrics[metric.name] ?? { sum: 0, count: 0, sumSquares: 0 };
    const trials = denominator === 'exposures' ? f.renders : sums.count;
    if (metric.kind === 'rate') {
      if (sums.sum < 0 || sums.sum > trials)
        warnings.push(`${v.key}: ${sums.sum} successes of "${metric.name}" for ${trials} trials; the rate is not 0..1`);
      if (Math.abs(sums.sumSquares - sums.sum) > 1e-9 * Math.max(1, sums.sum))
        warnings.push(`${v.key}: "${metric.name}" has values other than 0 and 1; a rate metric reports 0 or 1`);
    }
    return { variant: v, figures: f, sums, trials };
  });

  const control = rows[0];
  const variants = rows.map((row, i): VariantResult => {
    const { variant, figures: f, sums, trials } = row;
    const isControl = i === 0;
    let estimate: Interval | null;
    let difference: Interval | null = null;
    if (metric.kind === 'rate') {
      estimate = wilsonInterval(sums.sum, trials);
      if (!isControl && control)
        difference = rateDifference(
          { successes: sums.sum, trials },
          { successes: control.sums.sum, trials: control.trials },
        );
    } else {
      estimate = meanInterval(sums);
      if (!isControl && control) difference = meanDifference(sums, control.sums);
    }
    return {
      key: variant.key,
      control: isControl,
      exposures: f.renders,
      errors: f.errors,
      observations: sums.count,
      estimate,
      difference,
      significant: difference !== null && (difference.low > 0 || difference.high < 0),
      latencyP50Ms: f.latencyP50Ms,
      latencyP95Ms: f.latencyP95Ms,
      inputTokens: f.inputTokens,
      outputTokens: f.outputTokens,
      costUsd: f.costUsd,
      costPerExposureUsd: f.renders > 0 ? f.costUsd / f.renders : null,
    };
  });

  return { experimentId: experiment.id, metric, control: control?.variant.key ?? '', variants, warnings };
}
