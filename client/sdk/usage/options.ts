import { USAGE_LIMITS } from '../../../shared/usage/types';

/** `usage` of {@link AnvilOptions}: how render events are recorded and sent (see client/README.md "Usage and telemetry"). */
export interface UsageOptions {
  /** Send the parameter values of each render (off by default: they may hold personal data). */
  includeParams?: boolean;
  /** Events per request (default 500, at most 1,000). */
  batchSize?: number;
  /** A batch leaves at least this often while there are events (default 5,000 ms). */
  flushMs?: number;
  /** Renders kept in memory before their batch is prepared; beyond it the oldest are dropped and counted (default 10,000). */
  bufferSize?: number;
  /** Keep batches on disk (`<cacheDir>/usage/`) while the server is unreachable (default true). */
  spool?: boolean;
  /** The spool's size on disk; when full the oldest batches are dropped and counted (default 32 MiB). */
  spoolBytes?: number;
  /** First wait after a failed send, doubled after each failure up to `retryMaxMs` (defaults 1 s and 60 s). */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** One request's limit (default 10 s). */
  timeoutMs?: number;
  /** Where batches go (default `<registry>/api/usage/events`). */
  endpoint?: string;
}

export type ResolvedUsageOptions = Required<Omit<UsageOptions, 'endpoint'>>;

export function resolveUsageOptions(o: UsageOptions): ResolvedUsageOptions {
  const int = (v: number | undefined, fallback: number, min: number, max: number): number =>
    v === undefined || !Number.isFinite(v) ? fallback : Math.min(max, Math.max(min, Math.floor(v)));
  const retryMinMs = int(o.retryMinMs, 1_000, 1, 3_600_000);
  return {
    includeParams: o.includeParams === true,
    batchSize: int(o.batchSize, 500, 1, USAGE_LIMITS.maxEventsPerBatch),
    flushMs: int(o.flushMs, 5_000, 1, 3_600_000),
    bufferSize: int(o.bufferSize, 10_000, 2, 10_000_000),
    spool: o.spool !== false,
    spoolBytes: int(o.spoolBytes, 32 * 1024 * 1024, 1, Number.MAX_SAFE_INTEGER),
    retryMinMs,
    retryMaxMs: Math.max(retryMinMs, int(o.retryMaxMs, 60_000, 1, 3_600_000)),
    timeoutMs: int(o.timeoutMs, 10_000, 1, 600_000),
  };
}

/** What `anvil.usageStats()` answers: where the events recorded so far are. */
export interface UsageStats {
  /** False with `usage: false` or without a registry: nothing is recorded. */
  enabled: boolean;
  /** Events recorded (renders and outcomes). */
  recorded: number;
  /** Events the server accepted (a re-sent event it already had counts too). */
  sent: number;
  /** Events in memory, not yet sent. */
  pending: number;
  /** Events in the disk spool, waiting for the server. */
  spooled: number;
  spoolBytes: number;
  /** Events dropped since the start (memory or spool full, oldest first). */
  dropped: number;
  /** Of those, how many the server has not been told about yet (each batch carries it). */
  droppedUnreported: number;
  /** Events the server refused (malformed, no access), and outcomes whose render was unknown. */
  rejected: number;
  /** Batches sent successfully. */
  batches: number;
  /** The last send's failure (`unreachable: ECONNREFUSED`, `503`…), null once one succeeds. */
  lastError: string | null;
}
