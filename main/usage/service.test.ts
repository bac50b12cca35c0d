// The studio's usage service over a real workspace; the server is a small in-test fake behind `fetch` (the
// end-to-end test, e2e/usage-dashboard.spec.ts, runs the real one).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseOperation } from '../../shared/contract/contract';
import type { UsageFigures } from '../../shared/usage/types';
import type { TempWorkspace } from '../store/workspace/testing';
import { tempWorkspace } from '../store/workspace/testing';
import { SYNC_KEYS } from '../sync/engine';
import { memorySecretStore } from '../sync/memory-secrets';
import { createStudioUsage, PROMPT_WINDOW_MS } from './service';

const figures = (renders: number): UsageFigures => ({
  renders,
  errors: 1,
  fallbacks: 0,
  latencyP50Ms: 1.5,
  latencyP95Ms: 3,
  inputTokens: 100,
  outputTokens: 0,
  costUsd: 4.1,
  outcomes: 0,
  metrics: {},
});

let t: TempWorkspace;
let setId = '';
let projectId = '';
let requests: string[] = [];
let published: { name: string; setId: string; versions: string[] }[] = [];
let down = false;
let experiments: unknown[] = [];
const experimentRecord = (prompt: string, status: 'running' | 'stopped', current = true) => ({
  name: '@acme/support',
  current,
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'grace',
  updatedAt: '2026-01-02T00:00:00.000Z',
  updatedBy: 'grace',
  experiment: {
    id: `exp-${prompt}-${status}`,
    name: `Tone of ${prompt}`,
    prompt: `@acme/support/${prompt}`,
    status,
    ...(status === 'stopped' ? { winner: 'short' } : {}),
    variants: [],
    unit: 'userId',
    metric: { name: 'resolved', kind: 'rate' },
    salt: 'x',
    version: 1,
  },
});

const fetch = (async (input: string | URL | Request) => {
  const url = new URL(String(input));
  requests.push(`${url.pathname}${url.search}`);
  if (down) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
  const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });
  if (url.pathname === '/api/projects') return json({ projects: [{ id: projectId, name: 'acme', role: 'admin' }] });
  if (url.pathname.endsWith('/published'))
    return json({
      packages: published.map((p) => ({ ...p, projectId, description: '', distTags: {}, latest: null })),
    });
  if (url.pathname === '/api/usage/breakdown')
    return json({ by: 'prompt', groups: [{ key: url.searchParams.get('prompt'), ...figures(12_000) }] });
  if (url.pathname === '/api/usage/series') return json({ bucket: 'hour', points: [] });
  if (decodeURIComponent(url.pathname) === '/api/registry/packages/@acme/support/experiments')
    return json({ experiments });
  return new Response('{}', { status: 404 });
}) as typeof globalThis.fetch;

async function service(clock = { now: Date.UTC(2026, 0, 5, 9, 30) }) {
  const secrets = memorySecretStore();
  await secrets.set(SYNC_KEYS.token, 'tok');
  return { usage: createStudioUsage({ ws: t.ws, secrets, fetch, now: () => clock.now }), clock };
}

beforeEach(async () => {
  t = await tempWorkspace('grace');
  requests = [];
  down = false;
  experiments = [];
  projectId = (await t.ws.projects.create({ name: 'acme' })).id;
  setId = (await t.ws.sets.create({ projectId, name: 'support' })).id;
  published = [{ name: '@acme/support', setId, versions: ['1.0.0', '1.10.0', '1.2.0'] }];
  await t.ws.settings.set({ key: SYNC_KEYS.url, value: 'http://usage.test' });
  await t.ws.settings.set({ key: SYNC_KEYS.enabled, value: true });
});

afterEach(async () => {
  await t.dispose();
});

describe('usage operations', () => {
  it('with sync off, the scope and the prompt line say why, and queries fail with usage_unavailable', async () => {
    await t.ws.settings.set({ key: SYNC_KEYS.enabled, value: false });
    const { usage } = await service();
    expect(await usage.scope()).toMatchObject({ available: false, code: 'usage_unavailable' });
    expect(await usage.prompt({ setId, prompt: 'greeting' })).toMatchObject({
      available: false,
      reason: expect.stringContaining('Settings → Sync') as unknown,
    });
    await expect(usage.series({ project: 'acme', from: 0, to: 1, bucket: 'hour' })).rejects.toMatchObject({
      code: 'usage_unavailable',
    });
    expect(requests).toEqual([]);
  });

  it('the scope lists the projects with their published sets, versions newest first', async () => {
    const { usage } = await service();
    expect(await usage.scope()).toEqual({
      available: true,
      server: 'http://usage.test',
      projects: [
        {
          id: projectId,
          name: 'acme',
          packages: [{ name: '@acme/support', setId, versions: ['1.10.0', '1.2.0', '1.0.0'] }],
        },
      ],
    });
  });

  it('passes the filter on without the fields left out', async () => {
    const { usage } = await service();
    const { args } = parseOperation<'usage:series'>('usage:series', {
      project: 'acme',
      version: '1.0.0',
      from: 0,
      to: 3_600_000,
      bucket: 'hour',
    });
    await usage.series(args);
    expect(requests).toEqual(['/api/usage/series?project=acme&version=1.0.0&from=0&to=3600000&bucket=hour']);
    // One experiment's variants: the experiment id goes along with the breakdown by variant.
    const breakdown = parseOperation<'usage:breakdown'>('usage:breakdown', {
      name: '@acme/support',
      experiment: 'exp-greeting',
      from: 0,
      to: 3_600_000,
      by: 'variant',
    });
    await usage.breakdown(breakdown.args);
    expect(requests.at(-1)).toBe(
      '/api/usage/breakdown?name=%40acme%2Fsupport&experiment=exp-greeting&from=0&to=3600000&by=variant',
    );
    expect(() =>
      parseOperation('usage:breakdown', { name: '@acme/support', from: 0, to: 1, by: 'experiment', experiment: '' }),
    ).toThrow();
  });

  it("the prompt line: the set's package over the 7 days to the next whole hour, cached a minute", async () => {
    const { usage, clock } = await service();
    const first = await usage.prompt({ setId, prompt: 'greeting' });
    const to = Date.UTC(2026, 0, 5, 10);
    expect(first).toEqual({
      available: true,
      name: '@acme/support',
      prompt: 'greeting',
      from: to - PROMPT_WINDOW_MS,
      to,
      figures: figures(12_000),
      experiment: null,
    });
    clock.now += 30_000;
    expect(await usage.prompt({ setId, prompt: 'greeting' })).toEqual(first);
    expect(requests.filter((r) => r.startsWith('/api/usage'))).toHaveLength(1);
    clock.now += 31_000;
    await usage.prompt({ setId, prompt: 'greeting' });
    expect(requests.filter((r) => r.startsWith('/api/usage'))).toHaveLength(2);
  });

  it("the prompt line names the prompt's current A/B test, running or stopped with its winner", async () => {
    experiments = [
      experimentRecord('greeting', 'stopped', false),
      experimentRecord('greeting', 'running'),
      experimentRecord('farewell', 'stopped'),
    ];
    const { usage } = await service();
    expect(await usage.prompt({ setId, prompt: 'greeting' })).toMatchObject({
      experiment: { id: 'exp-greeting-running', name: 'Tone of greeting', status: 'running', winner: null },
    });
    expect(await usage.prompt({ setId, prompt: 'farewell' })).toMatchObject({
      experiment: { id: 'exp-farewell-stopped', status: 'stopped', winner: 'short' },
    });
    expect(await usage.prompt({ setId, prompt: 'other' })).toMatchObject({ experiment: null });
  });

  it('a set not published has no figures (no usage query, not remembered); a server that is down is told, cached', async () => {
    published = [];
    const { usage, clock } = await service();
    expect(await usage.prompt({ setId, prompt: 'greeting' })).toMatchObject({
      available: true,
      name: null,
      figures: null,
    });
    expect(requests.some((r) => r.startsWith('/api/usage'))).toBe(false);
    // Published a moment later: the next look finds it (not published is not remembered).
    published = [{ name: '@acme/support', setId, versions: ['1.0.0'] }];
    expect(await usage.prompt({ setId, prompt: 'greeting' })).toMatchObject({ name: '@acme/support' });
    clock.now += 61_000;
    down = true;
    const before = requests.length;
    expect(await usage.prompt({ setId, prompt: 'other' })).toMatchObject({
      available: false,
      code: 'sync_unreachable',
    });
    const asked = requests.length - before;
    await usage.prompt({ setId, prompt: 'other' });
    expect(requests.length - before).toBe(asked);
  });

  it('the arguments are checked: a range that ends before it starts, or spans more than 400 days, is refused', () => {
    expect(() => parseOperation('usage:series', { from: 10, to: 5, bucket: 'hour' })).toThrow(/"to" must be after/);
    expect(() => parseOperation('usage:breakdown', { from: 0, to: 401 * 86_400_000, by: 'model' })).toThrow(
      /at most 400 days/,
    );
    expect(() => parseOperation('usage:breakdown', { from: 0, to: 1, by: 'colour' })).toThrow(/by/);
    expect(() => parseOperation('usage:series', { name: 'support', from: 0, to: 1, bucket: 'day' })).toThrow(
      /@project\/set/,
    );
  });
});
