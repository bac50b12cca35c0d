import { describe, expect, it } from 'vitest';
import {
  HISTOGRAM_BUCKETS,
  addSparse,
  bucketOf,
  decodeDense,
  emptyCounts,
  encodeDense,
  encodeSparse,
  lowerEdge,
  quantile,
} from './histogram';

/** A small seeded generator (mulberry32): the same latencies every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const exact = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
};

describe('the latency histogram', () => {
  it('puts every latency in the bucket whose edges hold it', () => {
    for (const ms of [0, 0.0004, 0.001, 0.0012, 0.5, 1, 1.19, 3, 17.5, 250, 1e4, 2e5]) {
      const i = bucketOf(ms);
      expect(ms, `bucket ${i}`).toBeGreaterThanOrEqual(lowerEdge(i));
      if (i < HISTOGRAM_BUCKETS - 1) expect(ms).toBeLessThan(lowerEdge(i + 1));
    }
    // Exactly on an edge belongs to the bucket above it; huge values to the last one.
    for (let i = 1; i < HISTOGRAM_BUCKETS; i++) expect(bucketOf(lowerEdge(i))).toBe(i);
    expect(bucketOf(1e12)).toBe(HISTOGRAM_BUCKETS - 1);
    expect(bucketOf(-1)).toBe(0);
    expect(bucketOf(Number.NaN)).toBe(0);
  });

  it('gives p50 and p95 within one bucket of the exact values, for skewed and spread latencies', () => {
    const next = random(42);
    const shapes: Record<string, () => number> = {
      // Most renders fast, a long tail (log-normal-ish), like `get` on a warm cache.
      'long tail': () => 0.05 * Math.exp(2.5 * next() ** 3),
      uniform: () => 1 + 99 * next(),
      'two modes': () => (next() < 0.7 ? 0.2 + 0.05 * next() : 40 + 20 * next()),
    };
    for (const [shape, draw] of Object.entries(shapes)) {
      const values = Array.from({ length: 5_000 }, draw);
      const counts = emptyCounts();
      for (const v of values) counts[bucketOf(v)] = (counts[bucketOf(v)] as number) + 1;
      for (const q of [0.5, 0.95]) {
        const got = quantile(counts, q) as number;
        expect(Math.abs(bucketOf(got) - bucketOf(exact(values, q))), `${shape} p${q * 100}`).toBeLessThanOrEqual(1);
      }
    }
    expect(quantile(emptyCounts(), 0.5)).toBeNull();
  });

  it('stores only the non-zero buckets, as text, and merges by adding counts', () => {
    const a = emptyCounts();
    a[3] = 2;
    a[40] = 7;
    const b = emptyCounts();
    b[40] = 1;
    b[HISTOGRAM_BUCKETS - 1] = 5;
    expect(encodeSparse(a)).toBe('3:2,40:7');
    const merged = addSparse(addSparse(emptyCounts(), encodeSparse(a)), encodeSparse(b));
    expect([merged[3], merged[40], merged[HISTOGRAM_BUCKETS - 1]]).toEqual([2, 8, 5]);
    expect(addSparse(emptyCounts(), null)).toEqual(emptyCounts());
    // Text that is not a histogram adds nothing it cannot read; a bucket past the last is ignored.
    expect([...addSparse(emptyCounts(), '999:4,x,7:')].every((c) => c === 0)).toBe(true);
    // Dense form (query results) round-trips, counts past 2^32 included.
    merged[5] = 2 ** 40;
    expect(decodeDense(encodeDense(merged))).toEqual(merged);
    expect(decodeDense('1,2')).toEqual(emptyCounts());
  });
});
