import { describe, expect, it } from 'vitest';
import { AnvilError } from '../domain/result';
import { assignVariant, bucketEnds, bucketOf, BUCKETS } from './assign';
import { parseExperiment, type Experiment, type ExperimentInput } from './types';

function experiment(overrides: Partial<ExperimentInput> = {}): Experiment {
  return parseExperiment({
    id: 'exp-greeting-tone',
    name: 'Greeting tone',
    prompt: '@acme/support/greeting',
    status: 'running',
    variants: [
      { key: 'control', weight: 1, target: { prompt: 'greeting' } },
      { key: 'short', weight: 1, target: { prompt: 'greeting-short' } },
      { key: 'v2', weight: 2, target: { version: '2.0.0' } },
    ],
    unit: 'userId',
    metric: { name: 'resolved', kind: 'rate' },
    version: 1,
    ...overrides,
  });
}

function withWeights(weights: number[], salt = 'exp-w'): Experiment {
  return experiment({
    id: salt,
    variants: weights.map((weight, i) => ({ key: `v${i}`, weight, target: { prompt: `p${i}` } })),
  });
}

/** Position of the variant a key gets. */
const slot = (e: Experiment, key: string): number => e.variants.indexOf(assignVariant(e, key));
const bump = (counts: number[], i: number): void => {
  counts[i] = (counts[i] ?? 0) + 1;
};

const N = 100_000;
const KEYS = Array.from({ length: N }, (_, i) => `user-${i}`);

/** Pearson's chi-square statistic of observed counts against expected ones. */
function chiSquare(observed: number[], expected: number[]): number {
  return observed.reduce((s, o, i) => s + (o - (expected[i] as number)) ** 2 / (expected[i] as number), 0);
}

// Upper 0.1% points of the chi-square distribution (any statistics table): a correct hash fails a check at
// most once in a thousand key sets, and these keys are fixed, so a pass is a pass for good.
const CHI2_999 = { 1: 10.828, 2: 13.816, 3: 16.266, 4: 18.467, 6: 22.458 } as const;

describe('assignVariant: determinism', () => {
  // Fixed vectors: any change to the hash, the salt's use, the text hashed or the range layout breaks them.
  // Other SDKs (other languages) must reproduce exactly these.
  const VECTORS: [key: string, bucket: number, variant: string][] = [
    ['user-1', 3921446125, 'v2'],
    ['user-2', 1129957544, 'short'],
    ['user-3', 2571139234, 'v2'],
    ['user-4', 3312170784, 'v2'],
    ['user-5', 3076272018, 'v2'],
    ['user-6', 4132110710, 'v2'],
    ['user-7', 1965837975, 'short'],
    ['user-8', 1427319458, 'short'],
    ['user-9', 934066314, 'control'],
    ['user-10', 276815210, 'control'],
    ['user-11', 1356883407, 'short'],
    ['user-12', 739886158, 'control'],
    ['user-13', 460560173, 'control'],
    ['user-14', 3226421640, 'v2'],
    ['user-15', 3069518578, 'v2'],
    ['user-16', 3736554215, 'v2'],
    ['alice@example.com', 1537477349, 'short'],
    ['b3f1c2a4-9d7e-4c1a-8f2b-6e5d4c3b2a10', 540080006, 'control'],
    ['Zoë', 1662645390, 'short'],
    ['ünïcødé-🙂', 3589234813, 'v2'],
  ];

  it.each(VECTORS)('%j is in bucket %i and gets %s', (key, bucket, variant) => {
    const e = experiment();
    expect(bucketOf(e.salt, key)).toBe(bucket);
    expect(assignVariant(e, key).key).toBe(variant);
  });

  it('lays the ranges out in order, exactly', () => {
    expect(bucketEnds([{ weight: 1 }, { weight: 1 }, { weight: 2 }])).toEqual([2 ** 30, 2 ** 31, BUCKETS]);
    expect(bucketEnds([{ weight: 1 }, { weight: 2 }])).toEqual([1431655765, BUCKETS]);
    expect(bucketEnds([{ weight: 0.1 }, { weight: 0.2 }, { weight: 0.7 }])).toEqual([429496729, 1288490188, BUCKETS]);
    // Same proportions, same ranges.
    expect(bucketEnds([{ weight: 50 }, { weight: 50 }])).toEqual(bucketEnds([{ weight: 1 }, { weight: 1 }]));
  });

  it('depends on the salt and the key only: renaming or retargeting moves nobody', () => {
    const e = experiment();
    const renamed = experiment({
      name: 'Another name',
      version: 7,
      variants: [
        { key: 'control', weight: 1, target: { version: '1.0.0' } },
        { key: 'short', weight: 1, target: { prompt: 'other' } },
        { key: 'v2', weight: 2, target: { version: '3.0.0' } },
      ],
    });
    const moved = experiment({ salt: 'another-salt' });
    let changedBySalt = 0;
    for (const key of KEYS.slice(0, 2000)) {
      expect(assignVariant(renamed, key).key).toBe(assignVariant(e, key).key);
      if (assignVariant(moved, key).key !== assignVariant(e, key).key) changedBySalt++;
    }
    // A new salt reshuffles: with shares 1/4, 1/4, 1/2 a key keeps its variant with probability 3/8.
    expect(changedBySalt / 2000).toBeGreaterThan(0.55);
  });

  it('refuses an empty unit key', () => {
    expect(() => assignVariant(experiment(), '')).toThrow(AnvilError);
    expect(() => assignVariant(experiment(), '')).toThrow(/needs a non-empty userId/);
  });
});

describe('assignVariant: split', () => {
  it('splits 100,000 keys in proportion to the weights (chi-square at 0.1%, each share within 4 SE)', () => {
    const weights = [1, 2, 3, 4];
    const e = withWeights(weights, 'split-test');
    const counts = [0, 0, 0, 0];
    for (const key of KEYS) bump(counts, slot(e, key));
    const expected = weights.map((w) => (N * w) / 10);
    expect(chiSquare(counts, expected)).toBeLessThan(CHI2_999[3]);
    weights.forEach((w, i) => {
      const p = w / 10;
      const se = Math.sqrt((p * (1 - p)) / N);
      expect(Math.abs((counts[i] as number) / N - p)).toBeLessThan(4 * se);
    });
  });

  it('splits random-looking keys too (uuid-like, e-mail-like)', () => {
    const e = withWeights([1, 1, 1], 'split-uuid');
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) {
      const key = i % 2 ? `${(i * 2654435761) >>> 0}-4c1a-${i.toString(16)}` : `person${i}@example.org`;
      bump(counts, slot(e, key));
    }
    expect(chiSquare(counts, [10_000, 10_000, 10_000])).toBeLessThan(CHI2_999[2]);
  });

  it('splits independently of another experiment with a different salt', () => {
    const a = withWeights([1, 1], 'exp-a');
    const b = withWeights([1, 1, 1], 'exp-b');
    const table = [
      [0, 0, 0],
      [0, 0, 0],
    ];
    for (const key of KEYS) {
      bump(table[slot(a, key)] as number[], slot(b, key));
    }
    // Chi-square test of independence: expected cell = row total × column total / N.
    const rows = table.map((r) => r.reduce((s, x) => s + x, 0));
    const cols = [0, 1, 2].map((j) => table.reduce((s, r) => s + (r[j] as number), 0));
    const observed = table.flat();
    const expected = rows.flatMap((r) => cols.map((c) => (r * c) / N));
    expect(chiSquare(observed, expected)).toBeLessThan(CHI2_999[2]);
    // And each joint share is near the product of the marginal weights (1/2 × 1/3).
    const p = 1 / 6;
    for (const o of observed) expect(Math.abs(o / N - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N));
  });

  it('gives two experiments with the same salt the same buckets (so salts must differ)', () => {
    const a = withWeights([1, 1], 'shared-salt');
    const b = experiment({ id: 'other', salt: 'shared-salt', variants: a.variants });
    for (const key of KEYS.slice(0, 1000)) expect(assignVariant(b, key).key).toBe(assignVariant(a, key).key);
  });
});

describe('assignVariant: changing weights', () => {
  /** Keys whose variant changed, as `from>to` → count. */
  function moves(before: Experiment, after: Experiment): { moved: number; paths: Map<string, number> } {
    const paths = new Map<string, number>();
    let moved = 0;
    for (const key of KEYS) {
      const x = assignVariant(before, key).key;
      const y = assignVariant(after, key).key;
      if (x !== y) {
        moved++;
        paths.set(`${x}>${y}`, (paths.get(`${x}>${y}`) ?? 0) + 1);
      }
    }
    return { moved, paths };
  }
  const within4se = (count: number, p: number) =>
    expect(Math.abs(count / N - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N) + 1e-12);

  it('50/50 → 60/40 moves 10% of keys, all from the shrinking variant to the growing one', () => {
    const { moved, paths } = moves(withWeights([50, 50]), withWeights([60, 40]));
    within4se(moved, 0.1);
    expect([...paths.keys()]).toEqual(['v1>v0']);
  });

  it('40/30/30 → 40/20/40 moves only the 10% between the two changed neighbours', () => {
    const { moved, paths } = moves(withWeights([40, 30, 30]), withWeights([40, 20, 40]));
    within4se(moved, 0.1);
    expect([...paths.keys()]).toEqual(['v1>v2']);
  });

  it('scaling all weights together moves nobody', () => {
    expect(moves(withWeights([1, 2, 3]), withWeights([10, 20, 30])).moved).toBe(0);
  });

  it('moves exactly the keys between a boundary’s old and new place, and nobody else', () => {
    const before = withWeights([1, 1, 1]);
    const after = withWeights([1, 1, 2]);
    const oldEnds = bucketEnds(before.variants);
    const newEnds = bucketEnds(after.variants);
    const between = (b: number) =>
      oldEnds.some((o, i) => {
        const n = newEnds[i] as number;
        return b >= Math.min(o, n) && b < Math.max(o, n);
      });
    let moved = 0;
    const unexplained: string[] = [];
    for (const key of KEYS) {
      const changed = assignVariant(before, key).key !== assignVariant(after, key).key;
      if (changed !== between(bucketOf('exp-w', key))) unexplained.push(key);
      if (changed) moved++;
    }
    expect(unexplained).toEqual([]);
    // Boundaries 1/3 → 1/4 and 2/3 → 1/2: a quarter of the keys (the least possible would be 1/6; see README).
    within4se(moved, 1 / 12 + 1 / 6);
  });

  it('gives a stopped experiment’s winner to every key', () => {
    const stopped = experiment({ status: 'stopped', winner: 'short' });
    for (const key of KEYS.slice(0, 1000)) expect(assignVariant(stopped, key).key).toBe('short');
    expect(assignVariant(stopped, '').key).toBe('short');
  });
});
