import { AnvilError } from '../../shared/domain';
import type { UsageBreakdown, UsageDimension, UsageFilter, UsageSeries } from '../../shared/usage/types';
import { USAGE_PATHS } from '../../shared/usage/types';
import { createJsonRequest, featureRefusal } from '../sync/json-request';
import type { ServerUrls } from '../sync/server-url';

/**
 * The studio's client of the usage query API on the sync server (`GET /api/usage/series`, `/breakdown`; see
 * `shared/usage/types.ts`). Connection failures use the sync client's codes (`sync_unreachable`,
 * `sync_unauthorized`); a server without usage analytics answers `usage_unavailable`; anything else keeps the
 * server's own code (`forbidden`, `invalid_query`…).
 */
export interface UsageHttp {
  series(filter: UsageFilter, bucket: UsageSeries['bucket']): Promise<UsageSeries>;
  breakdown(filter: UsageFilter, by: UsageDimension): Promise<UsageBreakdown>;
}

export interface UsageHttpOptions {
  urls: ServerUrls;
  token: string;
  /** Per request (default 15 s: a dashboard query over a long range reads many rollups). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const FILTER_KEYS = ['project', 'name', 'prompt', 'version', 'experiment', 'variant'] as const;

/** The query string of a filter, in a fixed order (the same question is the same URL, for caches and logs). */
export function usageQuery(filter: UsageFilter, extra: Record<string, string>): string {
  const q = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value !== undefined && value !== '') q.set(key, value);
  }
  q.set('from', String(filter.from));
  q.set('to', String(filter.to));
  for (const [key, value] of Object.entries(extra)) q.set(key, value);
  return q.toString();
}

export function createUsageHttp(options: UsageHttpOptions): UsageHttp {
  const base = options.urls.http;
  const request = createJsonRequest({
    base,
    token: options.token,
    timeoutMs: options.timeoutMs ?? 15_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    notJsonCode: 'usage_server_error',
    refusal: featureRefusal({
      base,
      unavailableCode: 'usage_unavailable',
      missing: 'this sync server keeps no usage analytics (update it).',
      fallbackCode: 'usage_server_error',
    }),
  });
  return {
    series: (filter, bucket) =>
      request<UsageSeries>('GET', `${USAGE_PATHS.series}?${usageQuery(filter, { bucket })}`).then(checkSeries),
    breakdown: (filter, by) =>
      request<UsageBreakdown>('GET', `${USAGE_PATHS.breakdown}?${usageQuery(filter, { by })}`).then(checkBreakdown),
  };
}

// The renderer draws these: an answer of another shape is a clear error here rather than a broken chart there.
function checkSeries(s: UsageSeries): UsageSeries {
  if (!s || !Array.isArray(s.points)) throw malformed('series');
  return s;
}
function checkBreakdown(b: UsageBreakdown): UsageBreakdown {
  if (!b || !Array.isArray(b.groups)) throw malformed('breakdown');
  return b;
}
function malformed(what: string): AnvilError {
  return new AnvilError({
    code: 'usage_server_error',
    message: `The sync server answered the usage ${what} query with something that is not a usage ${what}.`,
  });
}
