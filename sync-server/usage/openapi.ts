import { USAGE_LIMITS, USAGE_PATHS } from '../../shared/usage/types';
import { USAGE_DIMENSIONS } from './query';

/** The usage routes' part of the OpenAPI document (`registry/openapi.ts` merges it in when usage is served). */
type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const num = (description?: string): Json => ({ type: 'number', ...(description ? { description } : {}) });
const int = (description?: string): Json => ({ type: 'integer', ...(description ? { description } : {}) });
const str = (description?: string): Json => ({ type: 'string', ...(description ? { description } : {}) });
const nullable = (schema: Json): Json => ({ oneOf: [schema, { type: 'null' }] });
const object = (properties: Record<string, Json>, optional: readonly string[] = []): Json => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
});
const json = (schema: Json, description: string): Json => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = (...statuses: number[]): Record<string, Json> =>
  Object.fromEntries(statuses.map((s) => [String(s), { $ref: `#/components/responses/E${s}` }]));
const query = (name: string, schema: Json, description: string, required = false): Json => ({
  name,
  in: 'query',
  required,
  schema,
  description,
});

const eventBase = {
  id: str('Random, unique per event: a re-sent event with a stored id is a duplicate.'),
  at: int('ms since the epoch; at most a day ahead, and not older than the retention (30 days by default).'),
  name: str('`@project/set`: a package of the registry the token has a role on.'),
  prompt: str(),
  version: nullable(str()),
  variant: nullable(str('The experiment variant’s key, or null.')),
  experiment: nullable(
    str('The id of the experiment `variant` belongs to, else null. An event without it is read as null.'),
  ),
  costUsd: nullable(num()),
};
/** Fields of `eventBase` an event may leave out: `experiment` came later, and older SDKs do not send it. */
const EVENT_OPTIONAL = ['experiment'] as const;

export const usageSchemas: Record<string, Json> = {
  RenderEvent: object(
    {
      type: { const: 'render' },
      ...eventBase,
      latencyMs: num('Time spent in `get`.'),
      inputTokens: nullable(int()),
      model: nullable(str('`provider/model`')),
      error: nullable(str('Error code when the render failed.')),
      fallback: { type: 'boolean' },
      params: { type: 'object', description: 'Parameter values, only when the application opted in (≤ 16 KiB).' },
    },
    ['params', ...EVENT_OPTIONAL],
  ),
  OutcomeEvent: object(
    {
      type: { const: 'outcome' },
      ...eventBase,
      renderId: str('The render this outcome is of.'),
      outputTokens: nullable(int()),
      modelLatencyMs: nullable(num()),
      metrics: {
        type: 'object',
        additionalProperties: { type: 'number' },
        maxProperties: USAGE_LIMITS.maxMetrics,
        description: 'Custom outcome metrics, names of at most 64 characters.',
      },
    },
    EVENT_OPTIONAL,
  ),
  UsageBatch: object({
    client: str('The SDK (name/version).'),
    events: {
      type: 'array',
      maxItems: USAGE_LIMITS.maxEventsPerBatch,
      items: { oneOf: [ref('RenderEvent'), ref('OutcomeEvent')] },
    },
    dropped: int('Events the sender had to drop since its last successful batch.'),
  }),
  UsageBatchResult: object({
    accepted: int(),
    duplicates: int('Already stored (same id): not counted again.'),
    rejected: {
      type: 'array',
      items: object({
        index: int('Position in `events`.'),
        code: str(
          '`invalid_event`, `too_old`, `in_the_future`, `unknown_package`, `unknown_project` or `forbidden` (no role).',
        ),
        message: str(),
      }),
    },
  }),
  UsageFigures: object({
    renders: int(),
    errors: int(),
    fallbacks: int(),
    latencyP50Ms: nullable(num('From the rollups’ log-scale histogram (buckets 19% wide).')),
    latencyP95Ms: nullable(num()),
    inputTokens: int(),
    outputTokens: int(),
    costUsd: num(),
    outcomes: int(),
    metrics: {
      type: 'object',
      additionalProperties: object({ sum: num(), count: int(), sumSquares: num() }),
    },
  }),
  UsageSeries: object({
    bucket: { type: 'string', enum: ['hour', 'day'] },
    points: { type: 'array', items: { allOf: [object({ at: int('Bucket start, ms (UTC).') }), ref('UsageFigures')] } },
  }),
  UsageBreakdown: object({
    by: { type: 'string', enum: [...USAGE_DIMENSIONS] },
    groups: { type: 'array', items: { allOf: [object({ key: nullable(str()) }), ref('UsageFigures')] } },
  }),
};

const FILTER = [
  query(
    'from',
    { type: 'integer', minimum: 0 },
    'Start, ms since the epoch (inclusive; rounded down to the hour).',
    true,
  ),
  query('to', { type: 'integer', minimum: 0 }, 'End, ms since the epoch (exclusive).', true),
  query('project', { type: 'string' }, 'A project name (or id). This or `name` is required but for server admins.'),
  query('name', { type: 'string' }, 'A package `@project/set`.'),
  query('prompt', { type: 'string' }, 'A prompt name.'),
  query('version', { type: 'string' }, 'A version.'),
  query('experiment', { type: 'string' }, 'An experiment id (with a variant, or by variant: that experiment’s).'),
  query('variant', { type: 'string' }, 'An experiment variant’s key.'),
];

export function usageApi(): Record<string, Json> {
  return {
    [USAGE_PATHS.events]: {
      post: {
        summary: 'Report usage events (an SDK batch)',
        description:
          'Each event is accepted, a duplicate (its id is stored already) or rejected with its reason; one bad ' +
          'event never refuses the batch. Any role on the package’s project may report. At most ' +
          `${USAGE_LIMITS.maxEventsPerBatch} events and ${USAGE_LIMITS.maxBatchBytes} bytes (413 past either).`,
        requestBody: { required: true, content: { 'application/json': { schema: ref('UsageBatch') } } },
        responses: {
          '200': json(ref('UsageBatchResult'), 'What became of each event.'),
          ...errors(400, 401, 413, 429),
        },
      },
    },
    [USAGE_PATHS.series]: {
      get: {
        summary: 'Usage over time, per hour or day',
        description: 'Every bucket of the range, empty ones as zeros; figures of projects the caller has a role on.',
        parameters: [...FILTER, query('bucket', { type: 'string', enum: ['hour', 'day'] }, 'Default hour.')],
        responses: { '200': json(ref('UsageSeries'), 'The points.'), ...errors(400, 401, 403, 404, 429) },
      },
    },
    [USAGE_PATHS.breakdown]: {
      get: {
        summary: 'Usage grouped by a dimension',
        parameters: [
          ...FILTER,
          query('by', { type: 'string', enum: [...USAGE_DIMENSIONS] }, 'The dimension.', true),
          query('limit', { type: 'integer', minimum: 1, maximum: 1000 }, 'At most this many groups (default 100).'),
        ],
        responses: {
          '200': json(ref('UsageBreakdown'), 'Groups, most renders first.'),
          ...errors(400, 401, 403, 404, 429),
        },
      },
    },
  };
}
