/**
 * The latency histogram of a rollup row: fixed log-scale buckets, so rows of any hour, key or server merge by
 * adding counts, and p50/p95 of any selection come out of the merged counts without the raw events.
 *
 * Bucket 0 holds latencies under 1 µs (0 included); bucket i ≥ 1 holds [1 µs · r^(i-1), 1 µs · r^i) with
 * r = 2^(1/4) (each bucket 19% wider than the one before); the last bucket holds everything from ~268 s up.
 * A percentile is reported as the bucket's geometric middle: within ±9% of any value in that bucket.
 */
export const HISTOGRAM_BUCKETS = 114;
const BASE_MS = 0.001;
const STEPS_PER_DOUBLING = 4;
const LAST = HISTOGRAM_BUCKETS - 1;

/** The bucket a latency (ms) falls in. */
export function bucketOf(ms: number): number {
  if (!(ms >= BASE_MS)) return 0; // NaN, negative and sub-µs go to the first bucket
  let i = Math.floor(Math.log2(ms / BASE_MS) * STEPS_PER_DOUBLING) + 1;
  // log2 rounding near an edge: the edges below are what the bucket means.
  if (i > 1 && ms < lowerEdge(i)) i--;
  else if (i < LAST && ms >= lowerEdge(i + 1)) i++;
  return Math.min(LAST, Math.max(1, i));
}

/** The smallest latency (ms) of bucket i. */
export function lowerEdge(i: number): number {
  return i <= 0 ? 0 : BASE_MS * 2 ** ((i - 1) / STEPS_PER_DOUBLING);
}

/** What a percentile in bucket i is reported as: its geometric middle (the lower edge for the last one). */
export function bucketValue(i: number): number {
  if (i <= 0) return BASE_MS / 2;
  if (i >= LAST) return lowerEdge(LAST);
  return BASE_MS * 2 ** ((i - 0.5) / STEPS_PER_DOUBLING);
}

/** Dense counts, one per bucket. */
export type Counts = Float64Array;

export const emptyCounts = (): Counts => new Float64Array(HISTOGRAM_BUCKETS);

/**
 * Stored form: the non-zero buckets only, as text `bucket:count,bucket:count` (a rollup row's latencies sit in
 * a handful of buckets). Text rather than a blob: SQLite hands a text value to the queries' JS aggregate about
 * three times faster than a blob (no Buffer per row), and the aggregate is what a dashboard query spends its time in.
 */
export function encodeSparse(counts: Counts): string {
  const parts: string[] = [];
  for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
    const c = counts[i] as number;
    if (c > 0) parts.push(`${i}:${c}`);
  }
  return parts.join(',');
}

/** Adds a stored (sparse) histogram into `into`; null adds nothing, malformed parts are skipped. */
export function addSparse(into: Counts, text: string | null | undefined): Counts {
  if (!text) return into;
  // A hand-rolled scan: this runs once per rollup row of every query.
  let bucket = 0;
  let count = 0;
  let inCount = false;
  const n = text.length;
  for (let k = 0; k <= n; k++) {
    const ch = k < n ? text.charCodeAt(k) : 44;
    if (ch === 58) {
      inCount = true;
      count = 0;
    } else if (ch === 44) {
      if (inCount && bucket < HISTOGRAM_BUCKETS) into[bucket] = (into[bucket] as number) + count;
      bucket = 0;
      inCount = false;
    } else if (ch >= 48 && ch <= 57) {
      if (inCount) count = count * 10 + (ch - 48);
      else bucket = bucket * 10 + (ch - 48);
    }
  }
  return into;
}

/** Dense counts as text (aggregate results; sums over many rows stay exact up to 2^53). */
export function encodeDense(counts: Counts): string {
  return counts.join(',');
}

export function decodeDense(text: string | null | undefined): Counts {
  const out = emptyCounts();
  if (!text) return out;
  const parts = text.split(',');
  if (parts.length !== HISTOGRAM_BUCKETS) return out;
  for (let i = 0; i < HISTOGRAM_BUCKETS; i++) out[i] = Number(parts[i]) || 0;
  return out;
}

/**
 * The latency at quantile q (0 < q ≤ 1) by nearest rank: the bucket holding the ceil(q·n)-th smallest value,
 * reported as `bucketValue`. Null when there are no values.
 */
export function quantile(counts: Counts, q: number): number | null {
  let total = 0;
  for (let i = 0; i < HISTOGRAM_BUCKETS; i++) total += counts[i] as number;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
    seen += counts[i] as number;
    if (seen >= rank) return Number(bucketValue(i).toPrecision(4));
  }
  return Number(bucketValue(LAST).toPrecision(4));
}
