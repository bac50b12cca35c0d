// First connect, remote projects, same-name sets and the demo: studios (workspace + engine) in temp folders
// against one real `anvil serve` process on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setIndex } from '../../shared/doc';
import { seedDemo } from '../store/seed';
import { recordDemoProjects } from './scope';
import type { ServerProcess, Studio } from './testing';
import {
  copyWorkspace,
  freePort,
  makePrompt,
  openStudio,
  removeDirs,
  startServer,
  stateVector,
  tempDir,
  templateOf,
  typeAt,
  until,
  untilAsync,
} from './testing';

const dirs: string[] = [];
let server: ServerProcess;
let token: string;

beforeAll(async () => {
  server = await startServer(tempDir(dirs), await freePort());
  token = server.adminToken ?? '';
  expect(token).not.toBe('');
}, 20_000);

afterAll(async () => {
  await server?.stop();
  removeDirs(dirs);
});

async function connect(studio: Studio): Promise<void> {
  await studio.engine.configure({ url: server.url, token });
  await studio.engine.waitFor('synced', 8_000);
}

describe('the sync engine against a real server', () => {
  it('merges a local workspace with the server on first connect without duplicating anything', async () => {
    const aDir = tempDir(dirs);
    let a = await openStudio(aDir);
    const ids = await makePrompt(a.ws, { project: 'merge', set: 'core', prompt: 'intro' }, 'hello');
    await a.close();
    // B is the same workspace on another machine (a copied folder), never synced, edited offline.
    const bDir = tempDir(dirs);
    copyWorkspace(aDir, bDir);
    a = await openStudio(aDir);
    const b = await openStudio(bDir);
    try {
      await a.ws.prompts.create({ setId: ids.setId, name: 'from-a', kind: 'text', template: 'A' });
      await b.ws.prompts.create({ setId: ids.setId, name: 'from-b', kind: 'text', template: 'B' });
      await typeAt(b.ws, ids.setId, ids.promptId, 5, ' world');
      await connect(a);
      await connect(b);
      await until(
        'both studios hold the same set',
        () => stateVector(a.ws, ids.setId) === stateVector(b.ws, ids.setId),
      );
      for (const s of [a, b]) {
        const projects = await s.ws.projects.list({});
        expect(projects.filter((p) => p.name === 'merge')).toHaveLength(1);
        expect((await s.ws.sets.list({ projectId: ids.projectId })).map((x) => x.name)).toEqual(['core']);
        const names = (await s.ws.getSetContent(ids.setId)).prompts.map((p) => p.name).sort();
        expect(names).toEqual(['from-a', 'from-b', 'intro']);
        expect(templateOf(s.ws, ids.setId, ids.promptId)).toBe('hello world');
      }
    } finally {
      await a.close();
      await b.close();
    }
  }, 20_000);

  it("creates the server's projects locally after their first sync, and a colleague's new set arrives live", async () => {
    const a = await openStudio(tempDir(dirs));
    const c = await openStudio(tempDir(dirs));
    try {
      const ids = await makePrompt(a.ws, { project: 'remote', set: 'first', prompt: 'p' }, 'from a');
      await connect(a);
      await connect(c);
      await until('the project arrives in c', () => c.ws.internals.docs.get(ids.setId) !== undefined);
      expect((await c.ws.projects.list({})).map((p) => p.name)).toContain('remote');
      expect(templateOf(c.ws, ids.setId, ids.promptId)).toBe('from a');
      // A new set in a: indexed in the project document, so c connects it too.
      const second = await a.ws.sets.create({ projectId: ids.projectId, name: 'second' });
      // The document is opened as soon as the index names it; its name is listed once its content has come.
      const listed = async () => (await c.ws.sets.list({ projectId: ids.projectId })).map((s) => s.name).sort();
      await untilAsync('the new set listed in c', async () => (await listed()).length === 2);
      expect(await listed()).toEqual(['first', 'second']);
      const projectDoc = a.ws.internals.docs.get(ids.projectId);
      if (!projectDoc) throw new Error('the project document is not open in a');
      const index = setIndex(projectDoc);
      expect(index.get(second.id)?.createdBy).toBe(a.engine.studioId);
      await c.engine.waitFor('synced');
      expect(c.errors).toEqual([]);
    } finally {
      await a.close();
      await c.close();
    }
  }, 20_000);

  it('keeps both sets made offline under one name, renames the later one by its own studio, and says so', async () => {
    const aDir = tempDir(dirs);
    let a = await openStudio(aDir);
    const { projectId } = await makePrompt(a.ws, { project: 'clash', set: 'base', prompt: 'p' });
    await connect(a);
    await a.close();
    const bDir = tempDir(dirs);
    copyWorkspace(aDir, bDir);
    a = await openStudio(aDir);
    const b = await openStudio(bDir);
    try {
      // Both offline (sync turned off), both make "shared": a's first.
      await a.engine.configure({ enabled: false });
      await b.engine.configure({ url: server.url, token, enabled: false });
      const first = await a.ws.sets.create({ projectId, name: 'shared' });
      await new Promise((r) => setTimeout(r, 5));
      const later = await b.ws.sets.create({ projectId, name: 'shared' });
      // (A reopened without its token: the tests' secret store lives in memory.)
      await a.engine.configure({ token, enabled: true });
      await b.engine.configure({ enabled: true });
      const names = async (s: Studio) =>
        Object.fromEntries((await s.ws.sets.list({ projectId })).map((x) => [x.id, x.name]));
      for (const s of [a, b])
        await until(
          'both sets, the later renamed',
          () => s.ws.internals.docs.get(later.id) !== undefined && s.ws.internals.docs.get(first.id) !== undefined,
        );
      await until('the rename reaches a', () => {
        const doc = a.ws.internals.docs.get(later.id);
        return doc?.getMap('meta').get('name') === 'shared-2';
      });
      for (const s of [a, b]) {
        await s.engine.waitFor('synced');
        await untilAsync('the rename projected', async () => (await names(s))[later.id] === 'shared-2');
        expect(await names(s)).toMatchObject({ [first.id]: 'shared', [later.id]: 'shared-2' });
      }
      expect(b.notices).toEqual([{ kind: 'set-renamed', projectId, setId: later.id, from: 'shared', to: 'shared-2' }]);
      expect(a.notices).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  }, 20_000);

  it('leaves the demo projects local unless the user chooses to sync them', async () => {
    const d = await openStudio(tempDir(dirs));
    try {
      await seedDemo(d.ws);
      await recordDemoProjects(d.ws);
      const demo = (await d.ws.projects.list({})).map((p) => p.id);
      const own = await makePrompt(d.ws, { project: 'own', set: 'mine', prompt: 'p' });
      // The engine reads the demo list when it starts: reopen as the host would.
      await d.close();
      const again = await openStudio(d.dir);
      try {
        await connect(again);
        const synced = [...again.engine.documents.keys()];
        // (The server also holds the other tests' projects, which this account reaches: they come too.)
        expect(synced).toEqual(expect.arrayContaining([own.projectId, own.setId]));
        expect(demo.some((id) => synced.includes(id))).toBe(false);
        await again.engine.configure({ includeDemo: true });
        await again.engine.waitFor('synced', 10_000);
        const now = [...again.engine.documents.keys()];
        for (const id of demo) expect(now).toContain(id);
        expect(again.engine.status().includeDemo).toBe(true);
      } finally {
        await again.close();
      }
    } finally {
      await d.close();
    }
  }, 30_000);
});
