import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProposedVersion, RemoteProject, TeamVersion } from '../../shared/sync/api';
import { API_PATHS } from '../../shared/sync/api';
import type { SyncApiBackend } from '../api';
import { ApiError } from '../api';
import { mountSyncServer } from './create';
import { SYNC_PROTOCOL_VERSION } from './protocol';
import type { TestClient } from './testing';
import { connect, removeDirs, tempDir, until } from './testing';

const dirs: string[] = [];
const clients: TestClient[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const f of cleanups.splice(0).reverse()) await f();
  removeDirs(dirs);
});

describe('mountSyncServer', () => {
  it('serves sync under a path of a host HTTP server whose own login decides who may write', async () => {
    // The example host: its own route, its own sessions (session id → user and role).
    const sessions = new Map([
      ['session-ann', { user: 'ann', role: 'editor' }],
      ['session-vic', { user: 'vic', role: 'viewer' }],
    ]);
    const host = createServer((req, res) => {
      if (mount.handleRequest(req, res)) return;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('host page');
    });
    const mount = mountSyncServer(host, {
      path: '/anvil',
      dataDir: tempDir(dirs),
      authenticate: (token) => {
        const s = sessions.get(token);
        return s ? { accountId: s.user, readOnly: s.role !== 'editor' } : null;
      },
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () => new Promise<void>((resolve) => host.close(() => resolve())),
      async () => {
        host.closeAllConnections();
        await mount.close();
      },
    );
    const base = `127.0.0.1:${(host.address() as AddressInfo).port}`;

    expect(await (await fetch(`http://${base}/`)).text()).toBe('host page');
    expect(await (await fetch(`http://${base}/anvil/healthz`)).json()).toEqual({
      ok: true,
      protocol: SYNC_PROTOCOL_VERSION,
    });

    const ann = connect(`ws://${base}/anvil`, 'p1/doc', 'session-ann');
    const vic = connect(`ws://${base}/anvil`, 'p1/doc', 'session-vic');
    clients.push(ann, vic);
    await Promise.all([ann.ready, vic.ready]);
    ann.text.insert(0, 'from the host app');
    await until('vic reads', () => vic.text.toString() === 'from the host app');
    vic.text.insert(0, 'nope ');
    await until('refused', () => vic.stateless.some((m) => m.includes('anvil:write-refused')));
    expect(ann.text.toString()).toBe('from the host app');
    const stranger = connect(`ws://${base}/anvil`, 'p1/doc', 'session-unknown');
    clients.push(stranger);
    await expect(stranger.ready).rejects.toThrow(/unauthorized/);
  });

  it("serves the HTTP API under its path with the host's own backend", async () => {
    // The host keeps projects and versions its own way (here in memory) and decides who its sessions are.
    const projects = new Map<string, string>([['p1', 'Host project']]);
    const versions: TeamVersion[] = [];
    const backend: SyncApiBackend = {
      authenticate: (token) => (token === 'session-ann' ? { accountId: 'ann', name: 'Ann', serverAdmin: false } : null),
      listProjects: (): RemoteProject[] => [...projects].map(([id, name]) => ({ id, name, role: 'admin' })),
      registerProject: (_caller, p) => {
        const created = !projects.has(p.id);
        if (created) projects.set(p.id, p.name);
        return { project: { id: p.id, name: projects.get(p.id) ?? p.name, role: 'admin' }, created };
      },
      listVersions: (_caller, projectId, after, limit) => {
        const page = versions.filter((v) => v.projectId === projectId && v.seq > after).slice(0, limit);
        return { versions: page, next: page.at(-1)?.seq ?? after };
      },
      proposeVersion: (caller, projectId, v: ProposedVersion) => {
        if (!projects.has(projectId)) throw new ApiError(404, 'unknown_project', 'No such project here.');
        const row: TeamVersion = {
          ...v,
          seq: versions.length + 1,
          projectId,
          acceptedFrom: caller.accountId,
          acceptedAt: new Date().toISOString(),
        };
        versions.push(row);
        return { version: row, created: true };
      },
    };
    const host = createServer((req, res) => {
      if (mount.handleRequest(req, res)) return;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`host page ${req.url}`);
    });
    const mount = mountSyncServer(host, {
      path: '/anvil',
      dataDir: tempDir(dirs),
      authenticate: () => null,
      api: backend,
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () => new Promise<void>((resolve) => host.close(() => resolve())),
      async () => {
        host.closeAllConnections();
        await mount.close();
      },
    );
    const base = `http://127.0.0.1:${(host.address() as AddressInfo).port}/anvil`;
    const auth = { authorization: 'Bearer session-ann', 'content-type': 'application/json' };

    expect(await (await fetch(`${base}${API_PATHS.whoami}`, { headers: auth })).json()).toEqual({
      accountId: 'ann',
      name: 'Ann',
      serverAdmin: false,
      protocol: SYNC_PROTOCOL_VERSION,
    });
    expect((await fetch(`${base}${API_PATHS.whoami}`, { headers: { authorization: 'Bearer nobody' } })).status).toBe(
      401,
    );
    const registered = await fetch(`${base}${API_PATHS.projects}`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ id: 'p2', name: 'Second' }),
    });
    expect(registered.status).toBe(201);
    const listed = (await (await fetch(`${base}${API_PATHS.projects}`, { headers: auth })).json()) as {
      projects: RemoteProject[];
    };
    expect(listed.projects.map((p) => p.id)).toEqual(['p1', 'p2']);
    // The HTTP layer validated the version before the host's backend saw it.
    const content = '{"a":1}';
    const proposal = {
      id: 'v1',
      setId: 's1',
      version: '1.0.0',
      changelog: '',
      author: 'Ann',
      createdAt: '2026-11-25T10:00:00.000Z',
      contentHash: `sha256-${createHash('sha256').update(content).digest('hex')}`,
      changeClass: 'major',
      override: null,
      content,
    };
    const bad = await fetch(`${base}${API_PATHS.versions('p1')}`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ ...proposal, version: 'one' }),
    });
    expect(bad.status).toBe(400);
    expect(versions).toHaveLength(0);
    const ok = await fetch(`${base}${API_PATHS.versions('p1')}`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify(proposal),
    });
    expect(ok.status).toBe(201);
    const page = (await (await fetch(`${base}${API_PATHS.versions('p1')}?after=0`, { headers: auth })).json()) as {
      versions: TeamVersion[];
    };
    expect(page.versions.map((v) => v.id)).toEqual(['v1']);
    // Paths under the mount that are not the sync server's stay the host's.
    expect(await (await fetch(`${base}/settings`)).text()).toBe('host page /anvil/settings');
    expect(await (await fetch(`${base.replace('/anvil', '')}/api/whoami`)).text()).toBe('host page /api/whoami');
  });
});
