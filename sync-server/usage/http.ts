import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UsageDimension, UsageFilter } from '../../shared/usage/types';
import { USAGE_LIMITS, USAGE_PATHS } from '../../shared/usage/types';
import type { ApiCaller } from '../api/backend';
import { ApiError } from '../api/backend';
import { methodNotAllowed, queryOf, readJson, send, wholeNumber } from '../api/wire';
import { DEFAULT_BREAKDOWN_LIMIT, MAX_BREAKDOWN_LIMIT, USAGE_DIMENSIONS } from './query';
import type { UsageService } from './service';

/** Every route this module answers, as the OpenAPI document names them (`usage/openapi.test.ts` uses it). */
export const USAGE_ROUTES: readonly { method: 'GET' | 'POST'; path: string }[] = [
  { method: 'POST', path: USAGE_PATHS.events },
  { method: 'GET', path: USAGE_PATHS.series },
  { method: 'GET', path: USAGE_PATHS.breakdown },
];

const MAX_TEXT = 300;

/**
 * Usage's HTTP routes, answered after the API checked the address's rate, the token and the token's rate (for
 * ingestion, a bucket of its own: `apiLimits.usagePerToken`). Batches are capped at `USAGE_LIMITS.maxBatchBytes`
 * (413); the service checks the rest and owns who may see what.
 */
export function createUsageHttp(usage: UsageService) {
  return async function handle(
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    caller: ApiCaller,
  ): Promise<boolean> {
    const method = request.method ?? 'GET';
    switch (path) {
      case USAGE_PATHS.events: {
        if (method !== 'POST') throw methodNotAllowed(method, path, 'POST');
        const batch = await readJson(request, USAGE_LIMITS.maxBatchBytes);
        send(response, 200, usage.ingest(caller, batch));
        return true;
      }
      case USAGE_PATHS.series: {
        if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, path, 'GET');
        const q = queryOf(request);
        const bucket = q.get('bucket') ?? 'hour';
        if (bucket !== 'hour' && bucket !== 'day')
          throw new ApiError(400, 'invalid_query', 'bucket must be hour or day.');
        send(response, 200, usage.series(caller, filterOf(q), bucket));
        return true;
      }
      case USAGE_PATHS.breakdown: {
        if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, path, 'GET');
        const q = queryOf(request);
        const by = q.get('by') ?? '';
        if (!USAGE_DIMENSIONS.includes(by as UsageDimension))
          throw new ApiError(400, 'invalid_query', `by must be one of ${USAGE_DIMENSIONS.join(', ')}.`);
        const limit = wholeNumber(q.get('limit'), 'limit', 1, MAX_BREAKDOWN_LIMIT, DEFAULT_BREAKDOWN_LIMIT);
        send(response, 200, usage.breakdown(caller, filterOf(q), by as UsageDimension, limit));
        return true;
      }
    }
    return false;
  };
}

/** `UsageFilter` from the query string: from and to required (ms), the rest optional text. */
function filterOf(q: URLSearchParams): UsageFilter {
  const time = (name: string): number => {
    const raw = q.get(name);
    if (raw === null || raw === '')
      throw new ApiError(400, 'invalid_query', `${name} is required: a time in ms since the epoch.`);
    return wholeNumber(raw, name, 0, Number.MAX_SAFE_INTEGER, 0);
  };
  const filter: UsageFilter = { from: time('from'), to: time('to') };
  for (const key of ['project', 'name', 'prompt', 'version', 'experiment', 'variant'] as const) {
    const value = q.get(key);
    if (value === null || value === '') continue;
    if (value.length > MAX_TEXT)
      throw new ApiError(400, 'invalid_query', `${key} is longer than ${MAX_TEXT} characters.`);
    filter[key] = value;
  }
  return filter;
}
