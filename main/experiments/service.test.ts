// The studio's experiments service over a real workspace; the server is a small in-test fake behind `fetch`
// (the end-to-end test, e2e/experiments.spec.ts, runs the real one with the SDK rendering and reporting).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseOperation } from '../../shared/contract/contract';
import type { Experiment } from '../../shared/experiments';
import type { ExperimentRecord } from '../../shared/registry/api';
import { SYNC_PROTOCOL_VERSION } from '../../shared/sync/protocol';
import type { UsageFigures } from '../../shared/usage/types';
import type { TempWorkspace } from '../store/workspace/testing';
import { tempWorkspace } from '../store/workspace/testing';
import { SYNC_KEYS } from '../sync/engine';
import { memorySecretStore } from '../sync/memory-secrets';
import { createStudioExperiments, resultRange } from './service';

const HOUR = 3600_000;
const NOW = Date.UTC(2026, 11, 6, 9, 30);

const figures = (renders: number, resolved: [number, number]): UsageFigures => ({
  renders,
  errors: 0,
  fallbacks: 0,
  latencyP50Ms: 0.2,
  latencyP95Ms: 0.9,
  inputTokens: renders * 10,
  outputTokens: 0,
  costUsd: renders * 0.001,
  outcomes: resolved[1],
  metrics: { resolved: { sum: resolved[0], count: resolved[1], sumSquares: resolved[0] } },
});

const experiment = (status: Experiment['status'] = 'running'): Experiment => ({
  id: 'tone',
  name: 'Greeting tone',
  prompt: '@acme/support/greeting',
  status,
  ...(status === 'stopped' ? { winner: 'short' } : {}),
  variants: [
    { key: 'control', weight: 1, target: { prompt: 'greeting' } },
    { key: 'short', weight: 1, target: { prompt: 'greeting-short' } },
  ],
  unit: 'userId',
  metric: { name: 'resolved', kind: 'rate' },
  salt: 'tone',
  version: 1,
});

const record = (e: Experiment, createdAt: string, updatedAt = createdAt): ExperimentRecord => ({
  name: '@acme/support',
  experiment: e,
  current: true,
  createdAt,
  createdBy: 'grace',
  updatedAt,
  updatedBy: 'grace',
});

let t: TempWorkspace;
let setId = '';
let projectId = '';
let requests: string[] = [];
let published = true;
let records: ExperimentRecord[] = [];
let putAnswer: { status: number; body: unknown } = { status: 201, body: {} };

const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
  const url = new URL(String(input));
  const method = init?.method ?? 'GET';
  requests.push(`${method} ${decodeURIComponent(url.pathname)}${decodeURIComponent(url.search)}`);
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
  const path = decodeURIComponent(url.pathname);
  if (path === '/api/whoami')
    return json(200, { accountId: 'a1', name: 'grace', serverAdmin: false, protocol: SYNC_PROTOCOL_VERSION });
  if (path === '/api/projects')
    return json(200, { projects: [{ id: projectId, name: 'acme', role: 'context_engineer' }] });
  if (path.endsWith('/edit-mode')) return json(200, { editMode: 'open' });
  if (path.endsWith('/published'))
    return json(200, {
      packages: published
        ? [{ name: '@acme/support', setId, projectId, description: '', distTags: { latest: '1.2.0' }, versions: [] }]
        : [],
    });
  if (path === '/api/registry/packages/@acme/support/experiments') return json(200, { experiments: records });
  if (path === '/api/registry/packages/@acme/support/experiments/tone') return json(putAnswer.status, putAnswer.body);
  if (path === '/api/registry/packages/@acme/support/experiments/tone/stop')
    return json(200, record(experiment('stopped'), '2026-12-01T08:10:00.000Z', '2026-12-03T14:20:00.000Z'));
  if (path === '/api/registry/packages/@acme/support') {
    const v = (version: string, prompts: string[], deprecated: string | null = null) => ({
      version,
      prompts,
      deprecated,
    });
    return json(200, {
      name: '@acme/support',
      distTags: { latest: '1.2.0' },
      versions: {
        '1.0.0': v('1.0.0', ['greeting'], 'old'),
        '1.10.0-beta.1': v('1.10.0-beta.1', ['greeting', 'greeting-short', 'other']),
        '1.2.0': v('1.2.0', ['greeting', 'greeting-short']),
      },
    });
  }
  if (path === '/api/usage/breakdown') {
    const by = url.searchParams.get('by');
    if (by === 'variant')
      return json(200, {
        by,
        groups: [
          { key: 'control', ...figures(1000, [100, 1000]) },
          { key: 'short', ...figures(1000, [150, 1000]) },
        ],
      });
    return json(200, {
      by,
      groups: [
        { key: 'tone', ...figures(2000, [250, 2000]) },
        { key: null, ...figures(40, [0, 0]) },
        { key: 'older', ...figures(2, [0, 0]) },
      ],
    });
  }
  return json(404, { error: { code: 'not_found', message: `no ${path}` } });
}) as typeof globalThis.fetch;

async function service() {
  const secrets = memorySecretStore();
  await secrets.set(SYNC_KEYS.token, 'tok');
  return createStudioExperiments({ ws: t.ws, secrets, fetch, now: () => NOW });
}

beforeEach(async () => {
  t = await tempWorkspace('grace');
  requests = [];
  published = true;
  records = [];
  putAnswer = { status: 201, body: {} };
  projectId = (await t.ws.projects.create({ name: 'acme' })).id;
  setId = (await t.ws.sets.create({ projectId, name: 'support' })).id;
  await t.ws.settings.set({ key: SYNC_KEYS.url, value: 'http://registry.test' });
  await t.ws.settings.set({ key: SYNC_KEYS.enabled, value: true });
});

afterEach(async () => {
  await t.dispose();
});

describe('experiments:list', () => {
  it('with sync off says why instead of failing', async () => {
    await t.ws.settings.set({ key: SYNC_KEYS.enabled, value: false });
    const list = await (await service()).list({ setId });
    expect(list).toMatchObject({ available: false, code: 'registry_unavailable' });
    expect(list.available ? '' : list.reason).toContain('Settings → Sync');
  });

  it('a set never published is told to publish first', async () => {
    published = false;
    expect(await (await service()).list({ setId })).toMatchObject({ available: false, code: 'not_published' });
  });

  it('lists versions newest first with their prompts, the latest prompts, the role, and running experiments first', async () => {
    records = [
      record(experiment('stopped'), '2026-11-01T00:00:00.000Z', '2026-11-10T00:00:00.000Z'),
      record({ ...experiment(), id: 'length' }, '2026-11-20T00:00:00.000Z'),
      record({ ...experiment('stopped'), id: 'newer' }, '2026-11-21T00:00:00.000Z', '2026-11-22T00:00:00.000Z'),
    ];
    const list = await (await service()).list({ setId });
    if (!list.available) throw new Error(list.reason);
    expect(list.name).toBe('@acme/support');
    expect(list.versions.map((v) => v.version)).toEqual(['1.10.0-beta.1', '1.2.0', '1.0.0']);
    expect(list.versions[2]).toEqual({ version: '1.0.0', prompts: ['greeting'], deprecated: true });
    expect(list.prompts).toEqual(['greeting', 'greeting-short']);
    expect(list.latest).toBe('1.2.0');
    expect(list).toMatchObject({ role: 'context_engineer', canWrite: true, locked: false });
    expect(list.experiments.map((r) => r.experiment.id)).toEqual(['length', 'newer', 'tone']);
  });
});

describe('experiments:save and stop', () => {
  it('puts the definition under its id and tells listeners', async () => {
    const s = await service();
    const changes: unknown[] = [];
    s.onChanged((c) => changes.push(c));
    putAnswer = { status: 201, body: record(experiment(), '2026-12-06T09:00:00.000Z') };
    const { version: _v, id: _id, salt: _salt, ...definition } = experiment();
    const args = parseOperation<'experiments:save'>('experiments:save', {
      name: '@acme/support',
      id: 'tone',
      definition,
    }).args;
    const saved = await s.save(args);
    expect(saved.experiment.id).toBe('tone');
    expect(requests).toContain('PUT /api/registry/packages/@acme/support/experiments/tone');
    expect(changes).toHaveLength(1);
  });

  it("a refusal keeps the server's code and every issue by field", async () => {
    putAnswer = {
      status: 400,
      body: {
        error: {
          code: 'invalid_experiment',
          message: 'experiment: variants[1].target.version: @acme/support has no published version 9.0.0',
          details: { issues: [{ path: 'variants[1].target.version', message: 'no published version 9.0.0' }] },
        },
      },
    };
    const s = await service();
    await expect(s.save({ name: '@acme/support', id: 'tone', definition: {} })).rejects.toMatchObject({
      code: 'invalid_experiment',
      details: { issues: [{ path: 'variants[1].target.version' }] },
    });
  });

  it('stop sends the winner', async () => {
    const s = await service();
    const stopped = await s.stop({ name: '@acme/support', id: 'tone', winner: 'short' });
    expect(stopped.experiment).toMatchObject({ status: 'stopped', winner: 'short' });
    expect(requests).toContain('POST /api/registry/packages/@acme/support/experiments/tone/stop');
  });
});

describe('experiments:results', () => {
  it('compares the variants from a breakdown by variant filtered by the experiment, over its life so far', async () => {
    records = [record(experiment(), '2026-12-01T08:10:00.000Z')];
    const view = await (await service()).results({ name: '@acme/support', id: 'tone' });
    expect(view.from).toBe(Date.UTC(2026, 11, 1, 8));
    expect(view.to).toBe(Date.UTC(2026, 11, 6, 10));
    const q = requests.find((r) => r.includes('by=variant')) ?? '';
    expect(q).toContain('name=@acme/support');
    expect(q).toContain('prompt=greeting');
    expect(q).toContain('experiment=tone');
    const [control, short] = view.results.variants;
    expect(control).toMatchObject({ key: 'control', control: true, exposures: 1000, difference: null });
    expect(control?.estimate?.value).toBeCloseTo(0.1, 10);
    expect(short?.estimate?.value).toBeCloseTo(0.15, 10);
    // 10% vs 15% over 1,000 each: Newcombe's interval for +5 points lies above 0.
    expect(short?.difference?.low).toBeGreaterThan(0);
    expect(short?.significant).toBe(true);
    expect(view.unassigned).toBe(42);
  });

  it('an unknown experiment is named', async () => {
    await expect((await service()).results({ name: '@acme/support', id: 'nope' })).rejects.toMatchObject({
      code: 'unknown_experiment',
    });
  });
});

describe('resultRange', () => {
  const created = '2026-12-01T08:10:00.000Z';
  it('a stopped experiment ends at the hour it was stopped in', () => {
    const r = record(experiment('stopped'), created, '2026-12-03T14:20:00.000Z');
    expect(resultRange(r, NOW)).toEqual({ from: Date.UTC(2026, 11, 1, 8), to: Date.UTC(2026, 11, 3, 15) });
  });
  it('a given range wins, and a range longer than the API allows keeps its latest part', () => {
    const r = record(experiment(), created);
    expect(resultRange(r, NOW, 5 * HOUR, 9 * HOUR)).toEqual({ from: 5 * HOUR, to: 9 * HOUR });
    const long = resultRange(record(experiment(), '2020-01-01T00:00:00.000Z'), NOW);
    expect(long.to - long.from).toBe(400 * 24 * HOUR);
    expect(() => resultRange(r, NOW, 9 * HOUR, 9 * HOUR)).toThrow(/after/);
  });
});
