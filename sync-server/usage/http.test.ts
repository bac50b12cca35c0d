import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageBatchResult, UsageBreakdown, UsageSeries } from '../../shared/usage/types';
import { USAGE_LIMITS, USAGE_PATHS } from '../../shared/usage/types';
import { openApiDocument } from '../registry/openapi';
import { removeDirs } from '../server/testing';
import { USAGE_ROUTES } from './http';
import type { UsageServer, UsageWorld } from './testing';
import { HOUR, T0, outcome, render, startUsageServer, usageWorld } from './testing';

const dirs: string[] = [];
let w: UsageWorld;
let s: UsageServer;
beforeAll(async () => {
  w = await usageWorld(dirs);
  s = await startUsageServer(w);
});
afterAll(async () => {
  await s.close();
  w.close();
  removeDirs(dirs);
});

const qs = (params: Record<string, string | number>) =>
  `?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString()}`;
const batch = (events: unknown[], dropped = 0) => ({ client: 'test/1', events, dropped });
const window = { project: 'acme', from: T0, to: T0 + 2 * HOUR };

describe('usage over HTTP', () => {
  it('takes a batch and answers its figures in series and breakdowns', async () => {
    const a = render({ latencyMs: 2, version: '1.0.0' });
    const b = render({ latencyMs: 4, version: '1.1.0', at: T0 + HOUR, error: 'unavailable', fallback: true });
    const posted = await s.call<UsageBatchResult>('POST', USAGE_PATHS.events, s.tokens.vi, {
      ...batch([a, b, outcome(a, { metrics: { resolved: 1 } })]),
    });
    expect(posted.status).toBe(200);
    expect(posted.json).toEqual({ accepted: 3, duplicates: 0, rejected: [] });

    const series = await s.call<UsageSeries>(
      'GET',
      `${USAGE_PATHS.series}${qs({ ...window, bucket: 'hour' })}`,
      s.tokens.vi,
    );
    expect(series.status).toBe(200);
    expect(series.json.points.map((p) => [p.at, p.renders, p.errors, p.fallbacks, p.outcomes, p.costUsd])).toEqual([
      [T0, 1, 0, 0, 1, 0.75],
      [T0 + HOUR, 1, 1, 1, 0, 0.25],
    ]);
    expect(series.json.points[0]).toMatchObject({
      inputTokens: 10,
      outputTokens: 100,
      metrics: { resolved: { sum: 1, count: 1, sumSquares: 1 } },
    });
    expect(series.json.points[0]?.latencyP50Ms).toBeCloseTo(2, 0);

    const byVersion = await s.call<UsageBreakdown>(
      'GET',
      `${USAGE_PATHS.breakdown}${qs({ ...window, by: 'version' })}`,
      s.tokens.ed,
    );
    expect(byVersion.json.by).toBe('version');
    expect(byVersion.json.groups.map((g) => [g.key, g.renders, g.outcomes])).toEqual([
      ['1.0.0', 1, 1],
      ['1.1.0', 1, 0],
    ]);
    // The same batch again: duplicates, nothing counted twice.
    const again = await s.call<UsageBatchResult>('POST', USAGE_PATHS.events, s.tokens.vi, batch([a, b]));
    expect(again.json).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
  });

  it('filters by experiment and breaks down by it', async () => {
    const at = T0 + 5 * HOUR;
    const span = { name: '@acme/common', from: at, to: at + HOUR };
    const events = [
      render({ at, experiment: 'exp-a', variant: 'control' }),
      render({ at, experiment: 'exp-a', variant: 'short' }),
      render({ at, experiment: 'exp-b', variant: 'control' }),
      render({ at, experiment: 'exp-b', variant: 'control' }),
    ];
    expect((await s.call('POST', USAGE_PATHS.events, s.tokens.vi, batch(events))).status).toBe(200);
    const breakdown = async (params: Record<string, string>) =>
      (
        await s.call<UsageBreakdown>('GET', `${USAGE_PATHS.breakdown}${qs({ ...span, ...params })}`, s.tokens.ed)
      ).json.groups.map((g) => [g.key, g.renders]);
    expect(await breakdown({ by: 'experiment' })).toEqual([
      ['exp-a', 2],
      ['exp-b', 2],
    ]);
    expect(await breakdown({ by: 'variant', experiment: 'exp-a' })).toEqual([
      ['control', 1],
      ['short', 1],
    ]);
    expect(await breakdown({ by: 'variant', experiment: 'exp-b' })).toEqual([['control', 2]]);
    const long = await s.call<{ error: { code: string } }>(
      'GET',
      `${USAGE_PATHS.series}${qs({ ...span, experiment: 'x'.repeat(301) })}`,
      s.tokens.ed,
    );
    expect([long.status, long.json.error.code]).toEqual([400, 'invalid_query']);
  });

  it('refuses with the API’s statuses and error shape', async () => {
    const code = async (method: string, path: string, token: string | null, body?: unknown) => {
      const r = await s.call<{ error: { code: string; message: string } }>(method, path, token, body);
      expect(typeof r.json?.error?.message, `${method} ${path}`).toBe('string');
      return [r.status, r.json.error.code];
    };
    const series = (params: Record<string, string | number>) => `${USAGE_PATHS.series}${qs(params)}`;
    expect(await code('POST', USAGE_PATHS.events, null, batch([]))).toEqual([401, 'unauthorized']);
    expect(await code('GET', USAGE_PATHS.events, s.tokens.ed)).toEqual([405, 'method_not_allowed']);
    expect(await code('POST', USAGE_PATHS.events, s.tokens.ed, '{not json')).toEqual([400, 'invalid_json']);
    expect(await code('POST', USAGE_PATHS.events, s.tokens.ed, { events: 'none' })).toEqual([400, 'invalid_request']);
    const many = Array.from({ length: USAGE_LIMITS.maxEventsPerBatch + 1 }, () => render());
    expect(await code('POST', USAGE_PATHS.events, s.tokens.ed, batch(many))).toEqual([413, 'too_large']);
    const big = batch([{ ...render(), params: { text: 'x'.repeat(USAGE_LIMITS.maxBatchBytes) } }]);
    expect(await code('POST', USAGE_PATHS.events, s.tokens.ed, big)).toEqual([413, 'too_large']);
    expect(await code('GET', series({ project: 'acme' }), s.tokens.ed)).toEqual([400, 'invalid_query']);
    expect(await code('GET', series({ ...window, bucket: 'week' }), s.tokens.ed)).toEqual([400, 'invalid_query']);
    expect(await code('GET', `${USAGE_PATHS.breakdown}${qs({ ...window, by: 'colour' })}`, s.tokens.ed)).toEqual([
      400,
      'invalid_query',
    ]);
    expect(await code('GET', series({ from: T0, to: T0 + HOUR }), s.tokens.ed)).toEqual([400, 'invalid_request']);
    expect(await code('GET', series(window), s.tokens.out)).toEqual([404, 'unknown_project']);
    expect(await code('GET', series({ from: T0, to: T0 + HOUR, name: '@acme/common' }), s.tokens.out)).toEqual([
      403,
      'forbidden',
    ]);
    expect(await code('GET', '/api/usage/nope', s.tokens.ed)).toEqual([404, 'not_found']);
  });

  it('rate-limits batches per token in their own bucket (requests, not events), leaving other routes alone', async () => {
    // A tiny usage bucket, and a tiny general one that batches must not touch.
    const limited = await startUsageServer(w, {
      usagePerToken: { perSecond: 0.01, burst: 3 },
      perToken: { perSecond: 0.01, burst: 2 },
    });
    try {
      const token = limited.tokens.cy;
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await limited.call('POST', USAGE_PATHS.events, token, batch([render(), render()]))).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await limited.call<{ error: { code: string } }>('POST', USAGE_PATHS.events, token, batch([]));
      expect(refused.json.error.code).toBe('rate_limited');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await limited.call('GET', '/api/whoami', token)).status).toBe(200);
      expect((await limited.call('GET', `${USAGE_PATHS.series}${qs(window)}`, token)).status).toBe(200);
      expect((await limited.call('GET', '/api/whoami', token)).status).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('is in the OpenAPI document: every route documented and answered, other methods 405', async () => {
    const served = await s.call<{ paths: Record<string, Record<string, unknown>> }>('GET', '/api/openapi.json', null);
    expect(served.json).toEqual(JSON.parse(JSON.stringify(openApiDocument({ registry: true, usage: true }))));
    const doc = served.json;
    const text = JSON.stringify(doc);
    const components = (doc as unknown as { components: { schemas: object; responses: object } }).components;
    for (const [, name] of text.matchAll(/"\$ref":"#\/components\/(?:schemas|responses)\/([^"]+)"/g))
      expect({ ...components.schemas, ...components.responses }, name).toHaveProperty(name as string);
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/usage/'))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(USAGE_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const path of Object.values(USAGE_PATHS))
      for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
        const r = await s.call<{ error?: { code: string } }>(
          method,
          path,
          s.tokens.ed,
          method === 'GET' ? undefined : {},
        );
        const label = `${method} ${path} → ${r.status}`;
        if (USAGE_ROUTES.some((x) => x.method === method && x.path === path)) {
          expect(r.json?.error?.code, label).not.toBe('not_found');
          expect(r.status, label).not.toBe(405);
        } else expect(r.status, label).toBe(405);
      }
    // A server without usage documents none of it.
    expect(Object.keys((openApiDocument({ registry: true }) as { paths: object }).paths).join()).not.toMatch(/usage/);
  });
});
