// Version sync against a real sync server process (sync-server/server/main.ts on 127.0.0.1): two studios save
// the same number offline; the first to reach the server keeps it, the other is told, renumbers, and nothing
// is lost on either side.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { ORIGIN } from '../../shared/doc';
import type { DocKind } from '../../shared/doc';
import type { SyncNotice } from '../../shared/sync/status';
import type { TempWorkspace } from '../store/workspace/testing';
import { tempWorkspace } from '../store/workspace/testing';
import { createSyncHttp } from './http';
import type { SyncHttp } from './http';
import { parseServerUrl } from './server-url';
import { createVersionSync } from './versions-sync';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVER = join(ROOT, 'sync-server/server/main.ts');
const CLI = join(ROOT, 'client/cli/anvil.ts');

function node(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `anvil …` (the CLI, on the server's data folder): its stdout, or a failure naming stderr. */
function cli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = node([CLI, ...args]);
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`anvil ${args.join(' ')}: ${err}`)),
    );
  });
}

function startServer(dataDir: string): Promise<{ proc: ChildProcess; url: string; adminToken: string }> {
  const proc = node([SERVER, '--port', '0', '--host', '127.0.0.1', '--data', dataDir]);
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (ws:\/\/\S+)/.exec(out);
      if (!m) return;
      const lines = out.split('\n');
      const i = lines.findIndex((l) => l.startsWith('Created the server admin account'));
      resolve({ proc, url: m[1] as string, adminToken: lines[i + 1] ?? '' });
    });
    proc.on('exit', (code) => reject(new Error(`the sync server exited ${code}: ${stderr}`)));
  });
}

/** What a studio's document sync would have brought: B gets A's project and set documents as they are. */
async function replicateDocs(from: TempWorkspace, to: TempWorkspace): Promise<void> {
  for (const kind of ['project', 'set'] as DocKind[])
    for (const id of from.ws.internals.docs.list(kind)) {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(from.ws.internals.docs.get(id) as Y.Doc));
      await to.ws.internals.docs.create(id, kind, copy, ORIGIN.remote);
    }
}

/**
 * The server accepts versions of sets it holds: put the set's document there with the stock provider (what the
 * studio's document sync does), and wait until the server acknowledged it.
 */
async function pushDoc(url: string, token: string, name: string, source: Y.Doc): Promise<void> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
  const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: doc, token });
  provider.attach();
  try {
    const end = Date.now() + 15_000;
    while (!(provider.isSynced && provider.unsyncedChanges === 0)) {
      if (Date.now() > end) throw new Error(`the server did not take ${name}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    provider.destroy();
    socket.destroy();
  }
}

async function setTemplate(t: TempWorkspace, setId: string, text: string): Promise<void> {
  const [p] = (await t.ws.getSetContent(setId)).prompts;
  await t.ws.prompts.setTemplate({ setId, promptId: p?.id ?? '', text });
}

const dirs: string[] = [];
let server: Awaited<ReturnType<typeof startServer>>;
let a: TempWorkspace;
let b: TempWorkspace;
let httpA: SyncHttp;
let httpB: SyncHttp;
let projectId: string;
let setId: string;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'anvil-vsync-server-'));
  dirs.push(dataDir);
  server = await startServer(dataDir);
  a = await tempWorkspace('ada');
  b = await tempWorkspace('bob');
  const project = await a.ws.projects.create({ name: 'acme' });
  projectId = project.id;
  setId = (await a.ws.sets.create({ projectId, name: 'support' })).id;
  await a.ws.prompts.create({ setId, name: 'greeting', kind: 'text', template: 'Hello' });
  await replicateDocs(a, b);
  const urls = parseServerUrl(server.url);
  httpA = createSyncHttp({ urls, token: server.adminToken });
  await httpA.registerProject({ id: projectId, name: 'acme' });
  await pushDoc(server.url, server.adminToken, `${projectId}/${setId}`, a.ws.internals.docs.get(setId) as Y.Doc);
  await cli(['user', 'add', 'bob', '--data', dataDir]);
  await cli(['user', 'role', 'bob', projectId, 'context_engineer', '--data', dataDir]);
  const token = (await cli(['token', 'create', 'bob', '--data', dataDir])).split('\n').at(-1) ?? '';
  httpB = createSyncHttp({ urls, token });
}, 60_000);

afterAll(async () => {
  server?.proc.kill('SIGTERM');
  await a?.dispose();
  await b?.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('version sync against a real server', () => {
  it('two studios save one number offline: one is accepted, the other clashes, renumbers, and nothing is lost', async () => {
    const syncA = createVersionSync({ ws: a.ws });
    const syncB = createVersionSync({ ws: b.ws });
    const notices: SyncNotice[] = [];
    syncB.onNotice((n) => notices.push(n));
    const changes: string[][] = [];
    syncA.onChange((c) => changes.push(c.setIds));

    // Both connected once (the project is synced), then both save 1.0.0 offline, with different content.
    await syncA.run(httpA, [projectId]);
    await syncB.run(httpB, [projectId]);
    await setTemplate(a, setId, 'Hello from Ada');
    await setTemplate(b, setId, 'Hello from Bob');
    await a.ws.versions.save({ setId, version: '1.0.0', changelog: 'ada' });
    const savedB = await b.ws.versions.save({ setId, version: '1.0.0', changelog: 'bob' });
    expect(savedB.sync).toEqual({ state: 'pending' });
    expect(syncA.pending()).toBe(1);
    expect(changes).toContainEqual([setId]);

    // Ada's reaches the server first.
    await syncA.run(httpA, [projectId]);
    expect(syncA.pending()).toBe(0);
    expect((await a.ws.versions.list({ setId })).map((v) => [v.version, v.sync?.state])).toEqual([
      ['1.0.0', 'accepted'],
    ]);

    // Bob's is refused: clash, told once, with whose version took the number.
    await syncB.run(httpB, [projectId]);
    await syncB.run(httpB, [projectId]);
    expect(notices).toEqual([{ kind: 'version-clash', projectId, setId, setName: 'support', version: '1.0.0' }]);
    const [clashed] = await b.ws.versions.list({ setId });
    expect(clashed).toMatchObject({ version: '1.0.0', changelog: 'bob', sync: { state: 'clash' } });
    expect(clashed?.sync?.clashWith).toMatchObject({ author: 'ada' });
    expect(syncB.pending()).toBe(0);

    // Bob chooses another number: the same content, pending, then accepted.
    const renumbered = await b.ws.versions.renumber({ setId, version: '1.0.0', newVersion: '1.0.1' });
    expect(renumbered).toMatchObject({ version: '1.0.1', changelog: 'bob', sync: { state: 'pending' } });
    expect(syncB.pending()).toBe(1);
    await syncB.run(httpB, [projectId]);
    expect(syncB.pending()).toBe(0);
    await syncA.run(httpA, [projectId]);

    // Both sides list both versions and hold both contents.
    for (const t of [a, b]) {
      const list = await t.ws.versions.list({ setId });
      expect(list.map((v) => [v.version, v.author])).toEqual([
        ['1.0.1', 'bob'],
        ['1.0.0', 'ada'],
      ]);
      const template = async (version: string) => (await t.ws.versions.get({ setId, version })).content.prompts[0];
      expect(await template('1.0.0')).toMatchObject({ template: 'Hello from Ada' });
      expect(await template('1.0.1')).toMatchObject({ template: 'Hello from Bob' });
    }
    expect((await a.ws.versions.list({ setId })).map((v) => v.sync?.state)).toEqual(['team', 'accepted']);
    expect((await b.ws.versions.list({ setId })).map((v) => v.sync?.state)).toEqual(['accepted', 'team']);
    // Bob's original row is kept as it was, marked replaced.
    const original = await b.ws.versions.get({ setId, version: '1.0.0', id: savedB.id });
    expect(original).toMatchObject({ changelog: 'bob', sync: { state: 'replaced', replacedBy: '1.0.1' } });
    // A team version's number is taken here too.
    await expect(a.ws.versions.save({ setId, version: '1.0.1', changelog: '' })).rejects.toMatchObject({
      code: 'version_exists',
    });

    // Nothing more to do: runs are idempotent.
    await Promise.all([syncA.run(httpA, [projectId]), syncA.run(httpA, [projectId])]);
    expect(syncA.pending()).toBe(0);
    syncA.close();
    syncB.close();
  }, 60_000);
});
