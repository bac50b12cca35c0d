// The studio's registry service over a real workspace; the server is a small in-test fake behind `fetch` (the
// end-to-end test, e2e/registry-review.spec.ts, runs the real one).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RegistryNotice } from '../../shared/contract/registry';
import type { ReviewSummary } from '../../shared/registry/api';
import type { ReviewComment } from '../../shared/registry/types';
import { SYNC_PROTOCOL_VERSION } from '../../shared/sync/protocol';
import type { SyncStatus } from '../../shared/sync/status';
import type { TempWorkspace } from '../store/workspace/testing';
import { tempWorkspace } from '../store/workspace/testing';
import { enrollProjects, markAccepted } from '../store/versions/sync-rows';
import { SYNC_KEYS } from '../sync/engine';
import { memorySecretStore } from '../sync/memory-secrets';
import type { StudioSync } from '../sync/types';
import type { StudioRegistry } from './service';
import { createStudioRegistry } from './service';

interface FakeServer {
  mine: ReviewSummary[];
  comments: Record<string, ReviewComment[]>;
  publishAnswer: { status: number; body: unknown };
  requests: string[];
  fetch: typeof fetch;
}

function fakeServer(): FakeServer {
  const s: FakeServer = {
    mine: [],
    comments: {},
    publishAnswer: { status: 201, body: {} },
    requests: [],
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input));
      const method = init?.method ?? 'GET';
      s.requests.push(`${method} ${url.pathname}${url.search}${typeof init?.body === 'string' ? ` ${init.body}` : ''}`);
      const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
      const path = url.pathname;
      if (path === '/api/whoami')
        return json(200, { accountId: 'a1', name: 'grace', serverAdmin: false, protocol: SYNC_PROTOCOL_VERSION });
      if (path === '/api/projects')
        return json(200, { projects: [{ id: projectId, name: 'acme', role: 'context_engineer' }] });
      if (path === '/api/registry/publish') return json(s.publishAnswer.status, s.publishAnswer.body);
      if (path === '/api/reviews') return json(200, { reviews: s.mine });
      const review = /^\/api\/reviews\/([^/]+)$/.exec(path);
      if (review) {
        const id = decodeURIComponent(review[1] ?? '');
        const r = s.mine.find((x) => x.id === id);
        return json(200, {
          review: { ...r, comments: s.comments[id] ?? [], decidedBy: 'ada', decisionNote: 'Looks good' },
          content: '{}',
          baseContent: null,
          canDecide: false,
        });
      }
      if (path.endsWith('/edit-mode')) return json(200, { editMode: 'review' });
      if (path.endsWith('/published')) return json(200, { packages: [] });
      return json(404, { error: { code: 'not_found', message: `no ${path}` } });
    }) as typeof fetch,
  };
  return s;
}

let projectId = '';

function fakeSync(state: SyncStatus['state'] = 'synced'): StudioSync & { set(state: SyncStatus['state']): void } {
  const listeners = new Set<(s: SyncStatus) => void>();
  let current = state;
  const status = () => ({ state: current, enabled: current !== 'off' }) as SyncStatus;
  return {
    status,
    configure: () => Promise.reject(new Error('not here')),
    test: () => Promise.reject(new Error('not here')),
    retry: status,
    onStatus: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onNotice: () => () => {},
    close: async () => {},
    set(next) {
      current = next;
      for (const l of listeners) l(status());
    },
  };
}

const summary = (state: ReviewSummary['state'], comments = 0): ReviewSummary => ({
  id: 'r1',
  projectId,
  setId: 's1',
  name: '@acme/support',
  version: '1.1.0',
  baseVersion: '1.0.0',
  authorName: 'grace',
  state,
  createdAt: '2026-01-05T09:00:00.000Z',
  updatedAt: '2026-01-05T09:00:00.000Z',
  comments,
});

const comment = (authorName: string, i: number): ReviewComment => ({
  id: `c${i}`,
  reviewId: 'r1',
  authorId: authorName,
  authorName,
  body: 'hm',
  createdAt: '2026-01-05T09:00:00.000Z',
  anchor: null,
});

let t: TempWorkspace;
let server: FakeServer;
let setId = '';
const registries: StudioRegistry[] = [];

async function open(
  sync = fakeSync(),
  pollMs = 60_000,
): Promise<{ registry: StudioRegistry; notices: RegistryNotice[] }> {
  const secrets = memorySecretStore();
  await secrets.set(SYNC_KEYS.token, 'tok');
  const registry = createStudioRegistry({ ws: t.ws, sync, secrets, pollMs, fetch: server.fetch });
  registries.push(registry);
  const notices: RegistryNotice[] = [];
  registry.onNotice((n) => notices.push(n));
  return { registry, notices };
}

beforeEach(async () => {
  t = await tempWorkspace('grace');
  server = fakeServer();
  const project = await t.ws.projects.create({ name: 'acme' });
  projectId = project.id;
  const set = await t.ws.sets.create({ projectId, name: 'support' });
  setId = set.id;
  await t.ws.prompts.create({ setId, name: 'greeting', kind: 'text', template: 'Hello {{ name }}' });
  await t.ws.settings.set({ key: SYNC_KEYS.url, value: 'http://registry.test' });
  await t.ws.settings.set({ key: SYNC_KEYS.enabled, value: true });
});

afterEach(async () => {
  for (const r of registries.splice(0)) r.close();
  await t.dispose();
});

describe('publishing from the studio', () => {
  it('refuses a version the server has not accepted, saying to sync first, without asking the server', async () => {
    await t.ws.versions.save({ setId, version: '1.0.0', changelog: 'first' });
    enrollProjects(t.ws.internals.db, [projectId], Date.now());
    const { registry } = await open();
    await expect(registry.publish({ setId, version: '1.0.0' })).rejects.toMatchObject({
      code: 'version_not_synced',
      message: expect.stringContaining('sync first') as unknown,
    });
    await expect(registry.publish({ setId, version: '2.0.0' })).rejects.toMatchObject({ code: 'unknown_version' });
    expect(server.requests.filter((r) => r.includes('/api/registry/publish'))).toEqual([]);
  });

  it('a version only in this studio (project not synced) is refused too, naming Settings → Sync', async () => {
    await t.ws.versions.save({ setId, version: '1.0.0', changelog: 'first' });
    const { registry } = await open();
    await expect(registry.publish({ setId, version: '1.0.0' })).rejects.toMatchObject({
      code: 'version_not_synced',
      message: expect.stringContaining('Settings → Sync') as unknown,
    });
  });

  it('an accepted version is published by (project, set, version); a refusal comes back with every problem', async () => {
    const v = await t.ws.versions.save({ setId, version: '1.0.0', changelog: 'first' });
    enrollProjects(t.ws.internals.db, [projectId], Date.now());
    markAccepted(t.ws.internals.db, v.id, 1, Date.now());
    const { registry } = await open();
    const changed: unknown[] = [];
    registry.onChanged((c) => changed.push(c));
    server.publishAnswer = {
      status: 201,
      body: {
        status: 'published',
        name: '@acme/support',
        version: '1.0.0',
        integrity: 'sha512-abc',
        latest: true,
        eventId: 3,
      },
    };
    expect(await registry.publish({ setId, version: '1.0.0' })).toMatchObject({ status: 'published', latest: true });
    expect(server.requests).toContain(
      `POST /api/registry/publish ${JSON.stringify({ projectId, setId, version: '1.0.0' })}`,
    );
    expect(changed).toEqual([{ setId, projectId }]);

    const problems = [{ code: 'template_error', message: 'unknown tag', prompt: 'greeting', line: 1, column: 7 }];
    server.publishAnswer = {
      status: 422,
      body: { error: { code: 'publish_refused', message: 'Publishing was refused.', details: { problems } } },
    };
    expect(await registry.publish({ setId, version: '1.0.0' })).toEqual({
      status: 'refused',
      message: 'Publishing was refused.',
      problems,
    });
    server.publishAnswer = { status: 403, body: { error: { code: 'project_locked', message: 'acme is locked.' } } };
    await expect(registry.publish({ setId, version: '1.0.0' })).rejects.toMatchObject({ code: 'project_locked' });
  });

  it('without sync, registry calls say how to set it up; the published state says so instead of failing', async () => {
    await t.ws.settings.set({ key: SYNC_KEYS.enabled, value: false });
    const { registry } = await open(fakeSync('off'));
    await expect(registry.reviews({})).rejects.toMatchObject({ code: 'registry_unavailable' });
    const state = await registry.published({ setId });
    expect(state).toMatchObject({ available: false, reason: expect.stringContaining('Settings → Sync') as unknown });
  });

  it('the published state names the edit mode and the role', async () => {
    const { registry } = await open();
    expect(await registry.published({ setId })).toEqual({
      available: true,
      projectId,
      editMode: 'review',
      role: 'context_engineer',
      package: null,
    });
    expect(await registry.editMode({ projectId })).toMatchObject({ editMode: 'review', canChange: false });
  });
});

describe("the author's notifications", () => {
  it('each decision and each batch of comments by others is told once, and not again after a restart', async () => {
    const first = await open();
    server.mine = [summary('open')];
    await first.registry.checkReviews();
    expect(first.notices).toEqual([]);

    server.mine = [summary('approved')];
    await first.registry.checkReviews();
    await first.registry.checkReviews();
    expect(first.notices).toEqual([
      {
        kind: 'review-decided',
        reviewId: 'r1',
        name: '@acme/support',
        version: '1.1.0',
        state: 'approved',
        decidedBy: 'ada',
        note: 'Looks good',
      },
    ]);

    // A restart: the memory is in the workspace settings.
    first.registry.close();
    await t.reopen();
    const second = await open();
    await second.registry.checkReviews();
    expect(second.notices).toEqual([]);

    server.comments.r1 = [comment('grace', 1), comment('ada', 2)];
    server.mine = [summary('approved', 2)];
    await second.registry.checkReviews();
    expect(second.notices).toEqual([
      { kind: 'review-comment', reviewId: 'r1', name: '@acme/support', version: '1.1.0', count: 1, by: ['ada'] },
    ]);
  });

  it('looks every pollMs while sync is on, and not while it is off', async () => {
    const sync = fakeSync('off');
    const { notices } = await open(sync, 20);
    server.mine = [summary('open')];
    await new Promise((r) => setTimeout(r, 80));
    expect(server.requests.filter((r) => r.startsWith('GET /api/reviews?mine=1'))).toEqual([]);
    sync.set('synced');
    await expect.poll(() => server.requests.some((r) => r.startsWith('GET /api/reviews?mine=1'))).toBe(true);
    server.mine = [summary('rejected')];
    await expect.poll(() => notices.map((n) => n.kind === 'review-decided' && n.state)).toEqual(['rejected']);
  });
});
