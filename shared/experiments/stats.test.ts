import { describe, expect, it } from 'vitest';
import type { UsageFigures } from '../usage/types';
import {
  experimentResults,
  meanDifference,
  meanInterval,
  rateDifference,
  studentTCdf,
  tCritical95,
  wilsonInterval,
  type Interval,
} from './stats';
import type { Experiment } from './types';

function close(actual: Interval | null, value: number, low: number, high: number, digits = 4): void {
  expect(actual).not.toBeNull();
  expect(actual?.value).toBeCloseTo(value, digits);
  expect(actual?.low).toBeCloseTo(low, digits);
  expect(actual?.high).toBeCloseTo(high, digits);
}

describe('rates', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Stat Med 17:857, Table I,
  // method 3 (score, no continuity correction), to the 4 decimals it prints.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('Wilson interval of %i/%i is the published one', (x, n, low, high) => {
    close(wilsonInterval(x, n), x / n, low, high);
  });

  it('Wilson by hand: 5/10', () => {
    // z² = 3.841459; centre = (0.5 + z²/20) / (1 + z²/10) = 0.5;
    // half = z / (1 + z²/10) · √(0.25/10 + z²/400) = 1.416010 · 0.186021 = 0.263407.
    close(wilsonInterval(5, 10), 0.5, 0.236593, 0.763407, 6);
    expect(wilsonInterval(0, 0)).toBeNull();
    const all = wilsonInterval(20, 20);
    expect(all?.high).toBe(1);
    expect(all?.low).toBeCloseTo(1 - 0.1611, 4);
  });

  // Newcombe (1998), "Interval estimation for the difference between independent proportions", Stat Med 17:873,
  // Table II, method 10 (hybrid score, no continuity correction).
  it('Newcombe difference of 56/70 and 48/80 is the published one', () => {
    close(rateDifference({ successes: 56, trials: 70 }, { successes: 48, trials: 80 }), 0.2, 0.0524, 0.3339);
  });

  it('Newcombe difference of 9/10 and 3/10 is the published one, and mirrors when swapped', () => {
    close(rateDifference({ successes: 9, trials: 10 }, { successes: 3, trials: 10 }), 0.6, 0.1705, 0.809);
    close(rateDifference({ successes: 3, trials: 10 }, { successes: 9, trials: 10 }), -0.6, -0.809, -0.1705);
    expect(rateDifference({ successes: 1, trials: 1 }, { successes: 0, trials: 0 })).toBeNull();
  });
});

describe("Student's t", () => {
  // Two-sided 95% critical values (any t table; df 2.5 and 7.3 from scipy.stats.t.ppf(0.975, df)).
  it.each([
    [1, 12.706205],
    [2, 4.302653],
    [3, 3.182446],
    [5, 2.570582],
    [10, 2.228139],
    [30, 2.042272],
    [100, 1.983972],
    [999, 1.962341],
    [1000, 1.962339],
    [10_000, 1.960201],
    [2.5, 3.574655],
    [7.3, 2.345067],
  ])('t(0.975, %d) = %d', (df, t) => {
    expect(tCritical95(df)).toBeCloseTo(t, 6);
  });

  it('has a CDF that is symmetric and ½ at 0', () => {
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(-2, 7) + studentTCdf(2, 7)).toBeCloseTo(1, 12);
    // The Cauchy distribution (df 1): P(T ≤ 1) = ¾.
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 12);
  });
});

describe('means', () => {
  // Values 1, 2, 3, 4, 5: sum 15, sum of squares 55. Mean 3, s² = (55 − 15²/5)/4 = 2.5, se = √(2.5/5) = 0.707107,
  // t(4) = 2.776445, half width 1.963243.
  const a = { sum: 15, count: 5, sumSquares: 55 };
  // Values 1, 1, 3, 3: sum 8, sum of squares 20. Mean 2, s² = (20 − 16)/3 = 4/3.
  const b = { sum: 8, count: 4, sumSquares: 20 };

  it('mean with its t interval, by hand', () => {
    close(meanInterval(a), 3, 1.036757, 4.963243, 6);
    expect(meanInterval({ sum: 3, count: 1, sumSquares: 9 })).toBeNull();
    close(meanInterval({ sum: 14, count: 7, sumSquares: 28 }), 2, 2, 2, 9); // all equal: no spread
  });

  it("Welch's difference, by hand", () => {
    // se² = 2.5/5 + (4/3)/4 = 0.833333; df = se⁴ / (0.5²/4 + (1/3)²/3) = 6.976744; t(df) = 2.366237;
    // half = 2.366237 · 0.912871 = 2.160066 (scipy's ttest_ind(equal_var=False) interval: −1.160056, 3.160056).
    close(meanDifference(a, b), 1, -1.160056, 3.160056, 6);
    close(meanDifference(b, a), -1, -3.160056, 1.160056, 6);
    expect(meanDifference(a, { sum: 1, count: 1, sumSquares: 1 })).toBeNull();
    close(meanDifference({ sum: 4, count: 2, sumSquares: 8 }, { sum: 2, count: 2, sumSquares: 2 }), 1, 1, 1, 9);
  });
});

describe('experimentResults', () => {
  function figures(renders: number, metric?: { sum: number; count: number; sumSquares: number }): UsageFigures {
    return {
      renders,
      errors: 1,
      fallbacks: 0,
      latencyP50Ms: 1.5,
      latencyP95Ms: 3,
      inputTokens: renders * 100,
      outputTokens: renders * 20,
      costUsd: renders * 0.001,
      outcomes: metric?.count ?? 0,
      metrics: metric ? { resolved: metric } : {},
    };
  }
  const experiment = (kind: 'rate' | 'mean'): Pick<Experiment, 'id' | 'variants' | 'metric'> => ({
    id: 'exp-1',
    metric: { name: 'resolved', kind },
    variants: [
      { key: 'control', weight: 1, target: { prompt: 'greeting' } },
      { key: 'v2', weight: 1, target: { version: '2.0.0' } },
      { key: 'v3', weight: 1, target: { version: '3.0.0' } },
    ],
  });

  it('gives each variant its rate and its difference from the control', () => {
    const r = experimentResults(experiment('rate'), {
      control: figures(100, { sum: 56, count: 70, sumSquares: 56 }),
      v2: figures(90, { sum: 48, count: 80, sumSquares: 48 }),
    });
    expect(r.control).toBe('control');
    expect(r.warnings).toEqual([]);
    const [control, v2, v3] = r.variants;
    expect(control?.control).toBe(true);
    expect(control?.difference).toBeNull();
    // Wilson 56/70: centre (0.8 + z²/140) / (1 + z²/70) = 0.784393, half 1.858001 · 0.049817 = 0.092560.
    close(control?.estimate ?? null, 0.8, 0.6918, 0.877);
    expect(v2?.exposures).toBe(90);
    expect(v2?.observations).toBe(80);
    close(v2?.difference ?? null, -0.2, -0.3339, -0.0524); // Newcombe's example, control first
    expect(v2?.significant).toBe(true);
    expect(v2?.costPerExposureUsd).toBeCloseTo(0.001, 12);
    expect(v2?.latencyP95Ms).toBe(3);
    // No figures at all for v3: no estimate, nothing to compare.
    expect(v3).toMatchObject({ exposures: 0, observations: 0, estimate: null, difference: null, significant: false });
    expect(v3?.costPerExposureUsd).toBeNull();
  });

  it('takes exposures as the denominator when asked', () => {
    const r = experimentResults(
      experiment('rate'),
      {
        control: figures(100, { sum: 30, count: 30, sumSquares: 30 }),
        v2: figures(100, { sum: 45, count: 45, sumSquares: 45 }),
      },
      { rateDenominator: 'exposures' },
    );
    expect(r.variants[0]?.estimate?.value).toBe(0.3);
    expect(r.variants[1]?.estimate?.value).toBe(0.45);
    // Wilson 45/100: [0.3561, 0.5476]; 30/100: [0.2189, 0.3958]. Newcombe: 0.15 − √(0.0939² + 0.0958²) = 0.0159,
    // 0.15 + √(0.0976² + 0.0811²) = 0.2768.
    close(r.variants[1]?.difference ?? null, 0.15, 0.0159, 0.2768);
  });

  it('warns about figures a rate cannot come from', () => {
    const r = experimentResults(experiment('rate'), {
      control: figures(10, { sum: 12, count: 10, sumSquares: 12 }),
      v2: figures(10, { sum: 4, count: 10, sumSquares: 2.5 }),
    });
    expect(r.warnings).toEqual([
      'control: 12 successes of "resolved" for 10 trials; the rate is not 0..1',
      'v2: "resolved" has values other than 0 and 1; a rate metric reports 0 or 1',
    ]);
  });

  it('gives means with Welch differences for a mean metric', () => {
    const r = experimentResults(experiment('mean'), {
      control: figures(10, { sum: 8, count: 4, sumSquares: 20 }),
      v2: figures(10, { sum: 15, count: 5, sumSquares: 55 }),
    });
    close(r.variants[1]?.estimate ?? null, 3, 1.036757, 4.963243, 6);
    close(r.variants[1]?.difference ?? null, 1, -1.160056, 3.160056, 6);
    expect(r.variants[1]?.significant).toBe(false);
    expect(r.warnings).toEqual([]);
  });
});
