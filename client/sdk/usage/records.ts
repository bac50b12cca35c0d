import type { GetResult, Rendered } from '../result';

/** What the application tells about a completion (see `anvil.outcome`). */
export interface OutcomeInput {
  /** Output tokens the model produced. */
  outputTokens?: number | null;
  /** The model call's latency, in ms, as the application measured it. */
  modelLatencyMs?: number | null;
  /** The call's cost in USD when known (else estimated from `outputTokens` and the prompt's model). */
  costUsd?: number | null;
  /** Custom outcome metrics, numbers only: `{ resolved: 1, score: 0.8 }` (at most 16 keys of ≤ 64 chars). */
  metrics?: Record<string, number>;
}

/**
 * One `get` as the hot path leaves it: references only, nothing computed. Tokens, cost, the event's JSON
 * come later, when the batch is prepared.
 */
export interface RenderRecord {
  kind: 'render';
  id: string;
  at: number;
  ms: number;
  address: string;
  result: GetResult;
  /** A shallow copy of the parameters, only with `includeParams`. */
  params: Record<string, unknown> | undefined;
}

export interface OutcomeRecord {
  kind: 'outcome';
  id: string;
  at: number;
  renderId: string;
  /** The rendered prompt when the application passed it (else the render is looked up by id). */
  rendered: Rendered | null;
  outcome: OutcomeInput;
}

export type UsageRecord = RenderRecord | OutcomeRecord;
