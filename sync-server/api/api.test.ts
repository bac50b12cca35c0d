import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import * as Y from 'yjs';
import type { ProposedVersion, RemoteProject, TeamVersion, WhoAmI } from '../../shared/sync/api';
import { API_PATHS } from '../../shared/sync/api';
import { SYNC_PROTOCOL_VERSION } from '../../shared/sync/protocol';
import type { AccountStore } from '../accounts';
import { ACCOUNTS_FILE, createTokenAuthenticator, openAccountStore } from '../accounts';
import type { SyncServer } from '../server/create';
import { createSyncServer } from '../server/create';
import { projectOfDocument } from '../server/document-names';
import { removeDirs, tempDir, testAuthenticate } from '../server/testing';
import type { SqliteStorage } from '../storage/sqlite';
import { openSqliteStorage } from '../storage/sqlite';
import type { TeamVersionStore } from '../versions';
import { VERSIONS_FILE, openTeamVersionStore } from '../versions';
import { createAccountsApiBackend } from './accounts-backend';
import type { RateLimit } from '../server/rate-limit';

const dirs: string[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
  removeDirs(dirs);
});

/** Any answer of the API, so a test can read the field it expects (`expect` checks what is really there). */
type Json = TeamVersion &
  WhoAmI &
  RemoteProject & {
    error: { code: string; message: string; details: { taken: TeamVersion } };
    versions: TeamVersion[];
    projects: RemoteProject[];
    next: number;
  };
interface Answer {
  status: number;
  json: Json;
}

interface World {
  server: SyncServer;
  accounts: AccountStore;
  versions: TeamVersionStore;
  storage: SqliteStorage;
  tokens: { admin: string; ed: string; cy: string; vi: string; out: string };
  call(method: string, path: string, token: string | null, body?: unknown): Promise<Answer>;
}

/** A real server on 127.0.0.1 with the backend `anvil serve` builds: accounts, team versions, SQLite documents. */
async function world(limits: { perToken?: RateLimit; perAddress?: RateLimit } = {}): Promise<World> {
  const dir = tempDir(dirs);
  const accounts = openAccountStore(join(dir, ACCOUNTS_FILE));
  const versions = openTeamVersionStore(join(dir, VERSIONS_FILE));
  const storage = openSqliteStorage(dir);
  const admin = accounts.bootstrap()?.token as string;
  for (const name of ['ed', 'cy', 'vi', 'out']) accounts.addUser(name);
  const tokens = {
    admin,
    ed: accounts.createToken('ed').token,
    cy: accounts.createToken('cy').token,
    vi: accounts.createToken('vi').token,
    out: accounts.createToken('out').token,
  };
  const server = await createSyncServer({
    storage,
    authenticate: createTokenAuthenticator(accounts, { projectOf: projectOfDocument }),
    api: createAccountsApiBackend({ accounts, versions, documentExists: (name) => storage.has(name) }),
    apiLimits: limits,
  });
  cleanups.push(async () => {
    await server.close();
    await storage.close();
    versions.close();
    accounts.close();
  });
  const call = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await fetch(`${server.httpUrl}${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : null) as Json };
  };
  return { server, accounts, versions, storage, tokens, call };
}

/** ed registers p1 (so ed is its admin), makes cy a context engineer and vi a viewer, and pushes set-a. */
async function withProject(w: World): Promise<void> {
  expect((await w.call('POST', API_PATHS.projects, w.tokens.ed, { id: 'p1', name: 'Project one' })).status).toBe(201);
  w.accounts.setRole('cy', 'p1', 'context_engineer');
  w.accounts.setRole('vi', 'p1', 'viewer');
  const doc = new Y.Doc();
  doc.getMap('set').set('name', 'set a');
  await w.storage.append('p1/set-a', Y.encodeStateAsUpdate(doc));
}

function proposal(over: Partial<ProposedVersion> = {}): ProposedVersion {
  const content = over.content ?? JSON.stringify({ name: 'set a', prompts: [], n: Math.random() });
  return {
    id: `v-${Math.random().toString(36).slice(2)}`,
    setId: 'set-a',
    version: '1.0.0',
    changelog: 'first',
    author: 'ed',
    createdAt: '2026-11-25T10:00:00.000Z',
    contentHash: `sha256-${createHash('sha256').update(content, 'utf8').digest('hex')}`,
    changeClass: 'major',
    override: null,
    content,
    ...over,
  };
}

const versionsPath = API_PATHS.versions('p1');

describe('HTTP API: tokens and whoami', () => {
  it('answers whoami for a valid token and 401 for none, a bad or a revoked one', async () => {
    const w = await world();
    const me = await w.call('GET', API_PATHS.whoami, w.tokens.ed);
    expect(me.status).toBe(200);
    expect(me.json as WhoAmI).toEqual({
      accountId: w.accounts.getUser('ed')?.id,
      name: 'ed',
      serverAdmin: false,
      protocol: SYNC_PROTOCOL_VERSION,
    });
    expect((await w.call('GET', API_PATHS.whoami, w.tokens.admin)).json.serverAdmin).toBe(true);
    for (const token of [null, 'garbage', 'x'.repeat(43)]) {
      const r = await w.call('GET', API_PATHS.whoami, token);
      expect(r.status).toBe(401);
      expect(r.json.error.code).toBe('unauthorized');
    }
    const created = w.accounts.createToken('cy');
    expect((await w.call('GET', API_PATHS.whoami, created.token)).status).toBe(200);
    w.accounts.revokeToken(created.tokenId);
    expect((await w.call('GET', API_PATHS.whoami, created.token)).status).toBe(401);
    // Every route needs the token, not only whoami.
    expect((await w.call('GET', API_PATHS.projects, null)).status).toBe(401);
    expect((await w.call('GET', versionsPath, 'garbage')).status).toBe(401);
  });

  it('answers /healthz, 404 JSON for unknown routes and 405 for a wrong method', async () => {
    const w = await world();
    expect(await w.call('GET', '/healthz', null)).toEqual({
      status: 200,
      json: { ok: true, protocol: SYNC_PROTOCOL_VERSION },
    });
    const missing = await w.call('GET', '/api/nope', w.tokens.ed);
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('not_found');
    expect((await w.call('GET', '/elsewhere', null)).json.error.code).toBe('not_found');
    expect((await w.call('DELETE', API_PATHS.projects, w.tokens.ed)).status).toBe(405);
  });

  it('without a backend, only /healthz answers: /api is 404 JSON', async () => {
    const server = await createSyncServer({ dataDir: tempDir(dirs), authenticate: testAuthenticate });
    cleanups.push(() => server.close());
    const res = await fetch(`${server.httpUrl}${API_PATHS.whoami}`, { headers: { authorization: 'Bearer rw-a' } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);
  });
});

describe('HTTP API: projects', () => {
  it('registers a project with its caller as admin, idempotently; refuses others; lists by role', async () => {
    const w = await world();
    const first = await w.call('POST', API_PATHS.projects, w.tokens.ed, { id: 'p1', name: 'Project one' });
    expect(first).toEqual({ status: 201, json: { id: 'p1', name: 'Project one', role: 'admin' } });
    expect(await w.call('POST', API_PATHS.projects, w.tokens.ed, { id: 'p1', name: 'renamed?' })).toEqual({
      status: 200,
      json: { id: 'p1', name: 'Project one', role: 'admin' },
    });
    const stranger = await w.call('POST', API_PATHS.projects, w.tokens.out, { id: 'p1', name: 'mine now' });
    expect(stranger.status).toBe(403);
    expect(stranger.json.error.code).toBe('forbidden');
    w.accounts.setRole('vi', 'p1', 'viewer');
    expect((await w.call('POST', API_PATHS.projects, w.tokens.vi, { id: 'p1', name: 'x' })).json.role).toBe('viewer');

    // Older data: a project known only from role rows still counts, and is named by its id until registered.
    w.accounts.setRole('cy', 'legacy', 'context_engineer');
    expect((await w.call('GET', API_PATHS.projects, w.tokens.cy)).json.projects).toEqual([
      { id: 'legacy', name: 'legacy', role: 'context_engineer' },
    ]);
    expect((await w.call('POST', API_PATHS.projects, w.tokens.out, { id: 'legacy', name: 'x' })).status).toBe(403);
    const claimed = await w.call('POST', API_PATHS.projects, w.tokens.cy, { id: 'legacy', name: 'Legacy' });
    expect(claimed).toEqual({ status: 200, json: { id: 'legacy', name: 'Legacy', role: 'context_engineer' } });

    const list = async (token: string) =>
      ((await w.call('GET', API_PATHS.projects, token)).json as { projects: RemoteProject[] }).projects;
    expect(await list(w.tokens.ed)).toEqual([{ id: 'p1', name: 'Project one', role: 'admin' }]);
    expect(await list(w.tokens.out)).toEqual([]);
    // The server admin reaches every registered project, as admin.
    expect(await list(w.tokens.admin)).toEqual([
      { id: 'legacy', name: 'Legacy', role: 'admin' },
      { id: 'p1', name: 'Project one', role: 'admin' },
    ]);
    const audit = w.accounts.audit.query({ action: 'project.register' }).map((e) => [e.actor, e.entityId]);
    expect(audit).toEqual([
      ['cy', 'legacy'],
      ['ed', 'p1'],
    ]);
  });

  it('refuses bad registrations with 400 naming the problem', async () => {
    const w = await world();
    const cases: [unknown, string][] = [
      [{ id: 'has space', name: 'x' }, 'invalid_project_id'],
      [{ id: 'a'.repeat(65), name: 'x' }, 'invalid_project_id'],
      [{ id: 'ok', name: '' }, 'invalid_project_name'],
      [{ id: 'ok' }, 'invalid_project'],
      [[1, 2], 'invalid_project'],
      ['{not json', 'invalid_json'],
    ];
    for (const [body, code] of cases) {
      const r = await w.call('POST', API_PATHS.projects, w.tokens.ed, body);
      expect([r.status, r.json.error.code], JSON.stringify(body)).toEqual([400, code]);
    }
  });

  it('documents of an unregistered project are refused, even to the server admin', async () => {
    const w = await world();
    const auth = createTokenAuthenticator(w.accounts, { projectOf: projectOfDocument });
    expect(auth(w.tokens.admin, 'p9/doc')).toBeNull();
    await w.call('POST', API_PATHS.projects, w.tokens.ed, { id: 'p9', name: 'Nine' });
    expect(auth(w.tokens.admin, 'p9/doc')).toMatchObject({ role: 'admin' });
    expect(auth(w.tokens.ed, 'p9/doc')).toMatchObject({ role: 'admin', readOnly: false });
    expect(auth(w.tokens.out, 'p9/doc')).toBeNull();
  });
});

describe('HTTP API: team versions', () => {
  it('accepts a version (201), answers a retry with the stored row (200), and lists by seq', async () => {
    const w = await world();
    await withProject(w);
    const v1 = proposal();
    const accepted = await w.call('POST', versionsPath, w.tokens.cy, v1);
    expect(accepted.status).toBe(201);
    const row = accepted.json as TeamVersion;
    expect(row).toMatchObject({ ...v1, projectId: 'p1', acceptedFrom: w.accounts.getUser('cy')?.id });
    expect(row.seq).toBeGreaterThan(0);
    expect(Date.parse(row.acceptedAt)).not.toBeNaN();
    expect(await w.call('POST', versionsPath, w.tokens.cy, v1)).toEqual({ status: 200, json: row });

    const v2 = proposal({ version: '1.1.0', changeClass: 'minor' });
    const v3 = proposal({ version: '2.0.0' });
    const second = (await w.call('POST', versionsPath, w.tokens.ed, v2)).json as TeamVersion;
    const third = (await w.call('POST', versionsPath, w.tokens.admin, v3)).json as TeamVersion;
    const all = await w.call('GET', `${versionsPath}?after=0`, w.tokens.vi);
    expect(all.status).toBe(200);
    expect(all.json).toEqual({ versions: [row, second, third], next: third.seq });
    expect((await w.call('GET', `${versionsPath}?after=${row.seq}&limit=1`, w.tokens.vi)).json).toEqual({
      versions: [second],
      next: second.seq,
    });
    expect((await w.call('GET', `${versionsPath}?after=${third.seq}`, w.tokens.vi)).json).toEqual({
      versions: [],
      next: third.seq,
    });
    expect((await w.call('GET', versionsPath, w.tokens.ed)).json.versions).toHaveLength(3);
    expect((await w.call('GET', `${versionsPath}?limit=5000`, w.tokens.ed)).json.versions).toHaveLength(3);
    for (const q of ['after=-1', 'after=x', 'limit=0', 'limit=1.5'])
      expect((await w.call('GET', `${versionsPath}?${q}`, w.tokens.ed)).status, q).toBe(400);

    const audit = w.accounts.audit.query({ action: 'version.accept' });
    expect(audit.map((e) => e.details.version)).toEqual(['2.0.0', '1.1.0', '1.0.0']); // the retry is not audited
    expect(audit[0]?.entityId).toBe('p1/set-a');
  });

  it('refuses a number taken by another id (409 version_taken with the taken version) and a reused id (409)', async () => {
    const w = await world();
    await withProject(w);
    const mine = (await w.call('POST', versionsPath, w.tokens.ed, proposal())).json as TeamVersion;
    const theirs = await w.call('POST', versionsPath, w.tokens.cy, proposal());
    expect(theirs.status).toBe(409);
    expect(theirs.json.error.code).toBe('version_taken');
    expect(theirs.json.error.details.taken).toEqual(mine);
    const reused = await w.call('POST', versionsPath, w.tokens.ed, { ...proposal({ id: mine.id, version: '3.0.0' }) });
    expect(reused.status).toBe(409);
    expect(reused.json.error.code).toBe('version_id_reused');
    const refusals = w.accounts.audit.query({ action: 'version.refuse' }).map((e) => e.details.reason);
    expect(refusals).toEqual(['version_id_reused', 'version_taken']);
  });

  it('accepts exactly one of two concurrent proposals of the same number from two accounts', async () => {
    const w = await world();
    await withProject(w);
    for (let round = 0; round < 5; round++) {
      const version = `0.${round}.0`;
      const results = await Promise.all([
        w.call('POST', versionsPath, w.tokens.ed, proposal({ version })),
        w.call('POST', versionsPath, w.tokens.cy, proposal({ version })),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      const winner = results.find((r) => r.status === 201)?.json as TeamVersion;
      expect(results.find((r) => r.status === 409)?.json.error.details.taken).toEqual(winner);
    }
    expect((await w.call('GET', versionsPath, w.tokens.ed)).json.versions).toHaveLength(5);
  });

  it('refuses viewers and strangers (403), unknown projects and sets (404)', async () => {
    const w = await world();
    await withProject(w);
    const viewer = await w.call('POST', versionsPath, w.tokens.vi, proposal());
    expect([viewer.status, viewer.json.error.code]).toEqual([403, 'read_only']);
    const stranger = await w.call('POST', versionsPath, w.tokens.out, proposal());
    expect([stranger.status, stranger.json.error.code]).toEqual([403, 'forbidden']);
    expect((await w.call('GET', versionsPath, w.tokens.out)).status).toBe(403);
    const noProject = await w.call('POST', API_PATHS.versions('p404'), w.tokens.admin, proposal());
    expect([noProject.status, noProject.json.error.code]).toEqual([404, 'unknown_project']);
    expect((await w.call('GET', API_PATHS.versions('p404'), w.tokens.admin)).status).toBe(404);
    // The set must belong to the project: its document <project>/<set> exists on the server.
    const noSet = await w.call('POST', versionsPath, w.tokens.ed, proposal({ setId: 'set-b' }));
    expect([noSet.status, noSet.json.error.code]).toEqual([404, 'unknown_set']);
    const reasons = w.accounts.audit.query({ action: 'version.refuse' }).map((e) => e.details.reason);
    expect(reasons).toEqual(['unknown_set', 'unknown_project', 'forbidden', 'read_only']);
  });

  it('refuses bad fields (400), content over 4 MiB and bodies over 5 MiB (413)', async () => {
    const w = await world();
    await withProject(w);
    const bad: [Partial<ProposedVersion> | Record<string, unknown>, string][] = [
      [{ version: '1.0' }, 'invalid_version'],
      [{ version: 'v1.0.0' }, 'invalid_version'],
      [{ id: 'bad id' }, 'invalid_version'],
      [{ changeClass: 'huge' as 'major' }, 'invalid_version'],
      [{ createdAt: 'yesterday' }, 'invalid_version'],
      [{ author: '' }, 'invalid_version'],
      [{ contentHash: `sha256-${'0'.repeat(64)}` }, 'content_hash_mismatch'],
    ];
    for (const [over, code] of bad) {
      const r = await w.call('POST', versionsPath, w.tokens.ed, { ...proposal(), ...over });
      expect([r.status, r.json.error.code], JSON.stringify(over)).toEqual([400, code]);
    }
    const notJson = proposal({ content: '{oops' });
    expect((await w.call('POST', versionsPath, w.tokens.ed, notJson)).json.error.code).toBe('invalid_version');
    const { content: _dropped, ...noContent } = proposal();
    expect((await w.call('POST', versionsPath, w.tokens.ed, noContent)).status).toBe(400);

    const big = proposal({ content: JSON.stringify({ text: 'x'.repeat(4 * 1024 * 1024 + 10) }) });
    const tooBig = await w.call('POST', versionsPath, w.tokens.ed, big);
    expect([tooBig.status, tooBig.json.error.code]).toEqual([413, 'content_too_large']);
    const huge = await w.call('POST', versionsPath, w.tokens.ed, JSON.stringify({ pad: 'y'.repeat(6 * 1024 * 1024) }));
    expect([huge.status, huge.json.error.code]).toEqual([413, 'too_large']);
    // Just under the cap is fine.
    const fits = proposal({ content: JSON.stringify({ text: 'z'.repeat(4 * 1024 * 1024 - 100) }) });
    expect((await w.call('POST', versionsPath, w.tokens.ed, fits)).status).toBe(201);
    // The server is fine after all that.
    expect((await w.call('GET', API_PATHS.whoami, w.tokens.ed)).status).toBe(200);
  });
});

describe('HTTP API: rate limits', () => {
  it('answers 429 with Retry-After past the per-token limit, and per address for all tokens together', async () => {
    const w = await world({ perToken: { perSecond: 0.5, burst: 3 }, perAddress: { perSecond: 0.5, burst: 8 } });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await w.call('GET', API_PATHS.whoami, w.tokens.ed)).status);
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await fetch(`${w.server.httpUrl}${API_PATHS.whoami}`, {
      headers: { authorization: `Bearer ${w.tokens.ed}` },
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // Another token from the same address still gets in, until the address's own budget (8) is spent.
    expect((await w.call('GET', API_PATHS.whoami, w.tokens.cy)).status).toBe(200);
    expect((await w.call('GET', API_PATHS.whoami, w.tokens.vi)).status).toBe(200);
    // Made-up tokens count against the address too: guessing is bounded.
    const after = [];
    for (let i = 0; i < 3; i++) after.push((await w.call('GET', API_PATHS.whoami, `guess-${i}`)).status);
    expect(after).toEqual([401, 429, 429]);
    // /healthz is for monitors: never rate limited.
    expect((await w.call('GET', '/healthz', null)).status).toBe(200);
  });
});
