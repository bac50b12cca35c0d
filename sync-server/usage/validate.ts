import type { OutcomeEvent, RenderEvent, UsageEvent } from '../../shared/usage/types';
import { USAGE_LIMITS } from '../../shared/usage/types';

/** Why one event of a batch was refused (the batch's other events are still taken). */
export interface EventProblem {
  code: string;
  message: string;
}

const MAX_ID = 128;
const MAX_TEXT = 256;
const MAX_NAME = 300;
const MAX_ERROR = 128;
const MAX_METRIC_NAME = 64;
/** Opted-in parameter values are kept raw for the retention; a bound keeps one event from filling the disk. */
export const MAX_PARAMS_BYTES = 16 * 1024;
const PACKAGE_NAME = /^@[^/\s]+\/[^/\s]+$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const textOrNull = (v: unknown, max: number): v is string | null => v === null || text(v, max);
const count = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const amount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * The event checked field by field, or what is wrong with it (the first problem, named by field). The shape is
 * `shared/usage/types.ts`'s; unknown extra fields are ignored so a newer SDK's events still count.
 */
export function checkEvent(raw: unknown): { event: UsageEvent } | { problem: EventProblem } {
  const bad = (message: string) => ({ problem: { code: 'invalid_event', message } });
  if (!isObject(raw)) return bad('An event is a JSON object.');
  const e = raw;
  if (e.type !== 'render' && e.type !== 'outcome') return bad('type must be "render" or "outcome".');
  if (!text(e.id, MAX_ID)) return bad(`id must be text of 1 to ${MAX_ID} characters.`);
  if (!amount(e.at)) return bad('at must be a time in ms since the epoch.');
  if (!(typeof e.name === 'string' && e.name.length <= MAX_NAME && PACKAGE_NAME.test(e.name)))
    return bad('name must be a package name @project/set.');
  if (!text(e.prompt, MAX_TEXT)) return bad(`prompt must be text of 1 to ${MAX_TEXT} characters.`);
  if (!textOrNull(e.version, MAX_TEXT)) return bad('version must be text or null.');
  if (!textOrNull(e.variant, MAX_TEXT)) return bad('variant must be text or null.');
  // An SDK from before experiment ids sends none: read as null.
  const experiment = e.experiment ?? null;
  if (!textOrNull(experiment, MAX_TEXT)) return bad('experiment must be text or null.');
  if (!(e.costUsd === null || amount(e.costUsd))) return bad('costUsd must be a number ≥ 0 or null.');

  if (e.type === 'render') {
    if (!amount(e.latencyMs)) return bad('latencyMs must be a number ≥ 0.');
    if (!(e.inputTokens === null || count(e.inputTokens)))
      return bad('inputTokens must be a whole number ≥ 0 or null.');
    if (!textOrNull(e.model, MAX_TEXT)) return bad('model must be text (provider/model) or null.');
    if (!textOrNull(e.error, MAX_ERROR))
      return bad(`error must be an error code of at most ${MAX_ERROR} characters, or null.`);
    if (typeof e.fallback !== 'boolean') return bad('fallback must be true or false.');
    if (e.params !== undefined) {
      if (!isObject(e.params)) return bad('params must be an object when given.');
      if (Buffer.byteLength(JSON.stringify(e.params)) > MAX_PARAMS_BYTES)
        return bad(`params are larger than ${MAX_PARAMS_BYTES} bytes as JSON.`);
    }
    const event: RenderEvent = {
      type: 'render',
      id: e.id,
      at: Math.floor(e.at),
      name: e.name,
      prompt: e.prompt,
      version: e.version,
      variant: e.variant,
      experiment,
      latencyMs: e.latencyMs,
      inputTokens: e.inputTokens,
      model: e.model,
      costUsd: e.costUsd,
      error: e.error,
      fallback: e.fallback,
      ...(e.params === undefined ? {} : { params: e.params }),
    };
    return { event };
  }

  if (!text(e.renderId, MAX_ID)) return bad(`renderId must be text of 1 to ${MAX_ID} characters.`);
  if (!(e.outputTokens === null || count(e.outputTokens)))
    return bad('outputTokens must be a whole number ≥ 0 or null.');
  if (!(e.modelLatencyMs === null || amount(e.modelLatencyMs)))
    return bad('modelLatencyMs must be a number ≥ 0 or null.');
  if (!isObject(e.metrics)) return bad('metrics must be an object of numbers ({} when there are none).');
  const keys = Object.keys(e.metrics);
  if (keys.length > USAGE_LIMITS.maxMetrics)
    return bad(`metrics has ${keys.length} keys; at most ${USAGE_LIMITS.maxMetrics}.`);
  for (const k of keys) {
    if (k.length === 0 || k.length > MAX_METRIC_NAME)
      return bad(`metric names are 1 to ${MAX_METRIC_NAME} characters ("${k.slice(0, 80)}").`);
    const v = e.metrics[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) return bad(`metric "${k}" must be a finite number.`);
  }
  const event: OutcomeEvent = {
    type: 'outcome',
    id: e.id,
    at: Math.floor(e.at),
    renderId: e.renderId,
    name: e.name,
    prompt: e.prompt,
    version: e.version,
    variant: e.variant,
    experiment,
    outputTokens: e.outputTokens,
    modelLatencyMs: e.modelLatencyMs,
    costUsd: e.costUsd,
    metrics: e.metrics as Record<string, number>,
  };
  return { event };
}
