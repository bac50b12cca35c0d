import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ORIGIN, templateText } from '../../../shared/doc';
import { hashOf } from '../hash';
import type { Workspace } from '../workspace';
import type { TempWorkspace } from '../workspace/testing';
import { tempWorkspace } from '../workspace/testing';

let t: TempWorkspace;
let clock: { now: number };
beforeEach(async () => {
  t = await tempWorkspace();
  clock = t.clock;
});
afterEach(() => t.dispose());

describe('workspace: coalesced edit auditing', () => {
  async function typeInto(ws: Workspace, setId: string, promptId: string, count: number, from: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const edit = ws.prompts.editTemplate({ setId, promptId, index: from + i, deleteCount: 0, insert: 'x' });
      if (i % 20 === 19)
        await edit; // a mix of grouped and separately committed keystrokes
      else void edit.catch(() => undefined);
    }
    await ws.internals.docs.flush();
  }

  it('yields one edit row for 200 keystrokes within a minute, and two when the clock crosses a minute', async () => {
    const { ws } = t;
    const project = await ws.projects.create({ name: 'acme' });
    const set = await ws.sets.create({ projectId: project.id, name: 'support' });
    const p = await ws.prompts.create({ setId: set.id, name: 'greeting', kind: 'text' });
    const created = await ws.prompts.get({ setId: set.id, promptId: p.id });

    clock.now += 1000;
    await typeInto(ws, set.id, p.id, 200, 0);
    let edits = (await ws.audit.list({ entityId: p.id })).filter((e) => e.action === 'edit');
    expect(edits).toHaveLength(1);
    expect(edits[0]).toMatchObject({
      beforeHash: hashOf(created),
      afterHash: hashOf(await ws.prompts.get({ setId: set.id, promptId: p.id })),
    });

    clock.now += 60_000;
    await typeInto(ws, set.id, p.id, 10, 200);
    edits = (await ws.audit.list({ entityId: p.id })).filter((e) => e.action === 'edit');
    expect(edits).toHaveLength(2);
    expect(edits[0]?.beforeHash).toBe(edits[1]?.afterHash);
    expect(edits[0]?.afterHash).toBe(hashOf(await ws.prompts.get({ setId: set.id, promptId: p.id })));

    // A rename in between ends the run: the next typing starts a new row.
    await ws.prompts.rename({ setId: set.id, promptId: p.id, name: 'hello' });
    await typeInto(ws, set.id, p.id, 5, 0);
    const rows = await ws.audit.list({ entityId: p.id });
    expect(rows.map((e) => e.action)).toEqual(['edit', 'prompt.rename', 'edit', 'edit', 'prompt.create']);
  });

  it('audits no edit for remote changes, and the next local edit starts from the synced hash', async () => {
    const { ws } = t;
    const project = await ws.projects.create({ name: 'acme' });
    const set = await ws.sets.create({ projectId: project.id, name: 'support' });
    const p = await ws.prompts.create({ setId: set.id, name: 'greeting', kind: 'text', template: 'Hi' });
    const { docs } = ws.internals;
    // A colleague's edit arrives through sync: an update made on another replica.
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(docs.get(set.id) as Y.Doc));
    templateText(replica, p.id).insert(2, ' there');
    await docs.applyUpdate(set.id, Y.encodeStateAsUpdate(replica), ORIGIN.remote);
    expect((await ws.audit.list({ entityId: p.id })).map((e) => e.action)).toEqual(['prompt.create']);
    const synced = await ws.prompts.get({ setId: set.id, promptId: p.id });
    expect(synced).toMatchObject({ template: 'Hi there' });

    await ws.prompts.editTemplate({ setId: set.id, promptId: p.id, index: 8, deleteCount: 0, insert: '!' });
    const [edit] = await ws.audit.list({ entityId: p.id });
    expect(edit).toMatchObject({ action: 'edit', beforeHash: hashOf(synced) });
  });

  it('ends a run of edits when a restored version changed the prompt in between, within the same minute', async () => {
    const { ws } = t;
    const project = await ws.projects.create({ name: 'acme' });
    const set = await ws.sets.create({ projectId: project.id, name: 'support' });
    const p = await ws.prompts.create({ setId: set.id, name: 'greeting', kind: 'text', template: 'Hi' });
    await ws.versions.save({ setId: set.id, version: '1.0.0', changelog: 'first' });
    await ws.prompts.editTemplate({ setId: set.id, promptId: p.id, index: 2, deleteCount: 0, insert: '!' });
    await ws.versions.restore({ setId: set.id, version: '1.0.0' });
    const restored = await ws.prompts.get({ setId: set.id, promptId: p.id });
    await ws.prompts.editTemplate({ setId: set.id, promptId: p.id, index: 2, deleteCount: 0, insert: '?' });
    const edits = (await ws.audit.list({ entityId: p.id })).filter((e) => e.action === 'edit');
    expect(edits).toHaveLength(2);
    expect(edits[0]?.beforeHash).toBe(hashOf(restored));
  });
});
