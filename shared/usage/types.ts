/**
 * Usage analytics, shared by the SDK (records and sends), the sync server (ingests, stores, rolls up, answers
 * queries) and the studio (charts). One event per render; the application may add the completion's outcome
 * to it later (same `id`).
 */

/** One render as the SDK saw it. Times are ms since epoch; durations in ms. */
export interface RenderEvent {
  type: 'render';
  /** Random id (the SDK's), so an outcome can refer to its render and a re-sent batch is not counted twice. */
  id: string;
  at: number;
  /** `@project/set` and the prompt's name. */
  name: string;
  prompt: string;
  /** The resolved version that rendered (null when the render failed before resolving). */
  version: string | null;
  /** The key of the experiment variant served (A/B tests, `shared/experiments/`), or null. */
  variant: string | null;
  /**
   * The id of the experiment that variant belongs to when `variant` is set, else null: variant keys are only
   * unique within one experiment, and two experiments of one prompt may run at once (an application pinned by a
   * lock file keeps an older one). An older SDK omits it; the server reads a missing one as null.
   */
  experiment: string | null;
  /** Time spent in `get`, in ms. */
  latencyMs: number;
  /** Input tokens of the rendered prompt (computed when the batch is prepared, off the render path). */
  inputTokens: number | null;
  /** The model the prompt is configured for (`provider/model`), and the estimated input cost in USD. */
  model: string | null;
  costUsd: number | null;
  /** Error code when the render failed (`invalid_parameters`, `unavailable`, …), else null. */
  error: string | null;
  /** Whether the render was served from a fallback (registry unreachable). */
  fallback: boolean;
  /** Parameter values: only when the application opted in (`usage: { includeParams: true }`). */
  params?: Record<string, unknown>;
}

/** The completion's outcome, added by the application for a render it got (`renderId`). */
export interface OutcomeEvent {
  type: 'outcome';
  id: string;
  at: number;
  renderId: string;
  /** Repeated from the render so the server can roll up without a join. */
  name: string;
  prompt: string;
  version: string | null;
  variant: string | null;
  /** The experiment's id when `variant` is set, else null (as on the render). */
  experiment: string | null;
  outputTokens: number | null;
  /** Model latency as the application measured it, in ms. */
  modelLatencyMs: number | null;
  /** Output cost in USD when known. */
  costUsd: number | null;
  /** Custom outcome metrics: `{ resolved: 1, score: 0.8 }`. Numbers only; at most 16 keys of ≤ 64 chars. */
  metrics: Record<string, number>;
}

export type UsageEvent = RenderEvent | OutcomeEvent;

/** `POST /api/usage/events` body. */
export interface UsageBatch {
  /** Which SDK sent it (name/version), for support. */
  client: string;
  events: UsageEvent[];
  /** Events the sender had to drop since its last successful batch (spool full), reported, never silent. */
  dropped: number;
}

export interface UsageBatchResult {
  accepted: number;
  /** Events already stored (same id): a re-sent batch is idempotent. */
  duplicates: number;
  /** Events refused, each with why (unknown package, no access, malformed). */
  rejected: { index: number; code: string; message: string }[];
}

export const USAGE_LIMITS = {
  maxEventsPerBatch: 1000,
  maxBatchBytes: 1024 * 1024,
  maxMetrics: 16,
} as const;

/** Dimensions a breakdown groups by, and a series filters by. */
export type UsageDimension = 'name' | 'prompt' | 'version' | 'experiment' | 'variant' | 'model' | 'error';

export interface UsageFilter {
  /** Project name (`acme`) or package name (`@acme/support`); at least one is required for non-admins. */
  project?: string;
  name?: string;
  prompt?: string;
  version?: string;
  /** An experiment id: with a breakdown by `variant`, the figures of that experiment's variants only. */
  experiment?: string;
  variant?: string;
  /** ms since epoch, inclusive / exclusive. */
  from: number;
  to: number;
}

/** Figures of one bucket or one group. Latency percentiles come from the rollups' histograms. */
export interface UsageFigures {
  renders: number;
  errors: number;
  fallbacks: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  outcomes: number;
  /** Sum and count of each custom metric, so a mean (and a rate for 0/1 metrics) can be drawn. */
  metrics: Record<string, { sum: number; count: number; sumSquares: number }>;
}

/** The figures of a bucket or group without events (a fresh object: its `metrics` may be filled in). */
export function emptyFigures(): UsageFigures {
  return {
    renders: 0,
    errors: 0,
    fallbacks: 0,
    latencyP50Ms: null,
    latencyP95Ms: null,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    outcomes: 0,
    metrics: {},
  };
}

/** `GET /api/usage/series?…&bucket=hour|day` */
export interface UsageSeries {
  bucket: 'hour' | 'day';
  points: ({ at: number } & UsageFigures)[];
}

/** `GET /api/usage/breakdown?…&by=version` */
export interface UsageBreakdown {
  by: UsageDimension;
  groups: ({ key: string | null } & UsageFigures)[];
}

export const USAGE_PATHS = {
  events: '/api/usage/events',
  series: '/api/usage/series',
  breakdown: '/api/usage/breakdown',
} as const;
