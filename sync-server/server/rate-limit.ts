import { AnvilError } from '../../shared/domain';

/**
 * Token buckets: `perSecond` sustained with bursts of up to `burst`. Used for the WebSocket message rate of each
 * connection and for the HTTP API per token and per address. Time is passed in (ms) so tests need no sleeping.
 */
export interface RateLimit {
  /** Sustained rate. */
  perSecond: number;
  /** How many may come at once (the bucket's size). */
  burst: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limit: RateLimit,
    now: number,
  ) {
    this.tokens = limit.burst;
    this.last = now;
  }

  /** Takes `n` (one by default); false when fewer are left (the caller refuses or closes). */
  take(now: number, n = 1): boolean {
    this.refill(now);
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Whether the bucket is full again (nothing to remember about its owner). */
  full(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.limit.burst;
  }

  /** Seconds until one more is available (for Retry-After). */
  waitSeconds(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.limit.perSecond);
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.limit.burst, this.tokens + elapsed * this.limit.perSecond);
  }
}

/**
 * One bucket per key (a token's hash, an address). Buckets that filled up again are forgotten, and the map is
 * bounded: keys come from the network, so a stream of new ones cannot grow memory without end.
 */
export class KeyedRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly maxKeys = 10_000,
  ) {}

  /** False when `key` is over its limit. */
  take(key: string, now: number): boolean {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.prune(now);
      bucket = new TokenBucket(this.limit, now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(now);
  }

  waitSeconds(key: string, now: number): number {
    return this.buckets.get(key)?.waitSeconds(now) ?? 0;
  }

  get size(): number {
    return this.buckets.size;
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.full(now)) this.buckets.delete(key);
    // Still full of busy keys: forget the oldest half (insertion order) rather than grow.
    if (this.buckets.size >= this.maxKeys) {
      let drop = Math.ceil(this.buckets.size / 2);
      for (const key of this.buckets.keys()) {
        if (drop-- <= 0) break;
        this.buckets.delete(key);
      }
    }
  }
}

/** Options from a caller: refused with `invalid_options` unless both numbers are positive and finite. */
export function checkRateLimit(limit: RateLimit, what: string): RateLimit {
  if (!(limit.perSecond > 0) || !(limit.burst >= 1) || !Number.isFinite(limit.perSecond + limit.burst))
    throw new AnvilError({
      code: 'invalid_options',
      message: `${what}: perSecond must be > 0 and burst >= 1 (got ${limit.perSecond}/s, burst ${limit.burst}).`,
    });
  return limit;
}
