import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TempWorkspace } from '../workspace/testing';
import { tempWorkspace } from '../workspace/testing';

let t: TempWorkspace;
beforeEach(async () => {
  t = await tempWorkspace();
});
afterEach(() => t.dispose());

describe('workspace: names', () => {
  it('refuses invalid names and a second prompt of the same name in one set, not across sets', async () => {
    const { ws } = t;
    await expect(ws.projects.create({ name: 'Acme Corp' })).rejects.toMatchObject({ code: 'invalid_name' });
    const project = await ws.projects.create({ name: 'acme' });
    await expect(ws.projects.create({ name: 'acme' })).rejects.toMatchObject({ code: 'name_taken' });
    const a = await ws.sets.create({ projectId: project.id, name: 'support' });
    const b = await ws.sets.create({ projectId: project.id, name: 'sales' });
    await expect(ws.sets.create({ projectId: project.id, name: 'support' })).rejects.toMatchObject({
      code: 'name_taken',
    });
    await ws.prompts.create({ setId: a.id, name: 'greeting', kind: 'text' });
    await expect(ws.prompts.create({ setId: a.id, name: 'greeting', kind: 'chat' })).rejects.toMatchObject({
      code: 'name_taken',
    });
    await expect(ws.prompts.create({ setId: a.id, name: '-x', kind: 'text' })).rejects.toMatchObject({
      code: 'invalid_name',
    });
    await ws.prompts.create({ setId: b.id, name: 'greeting', kind: 'text' });
    await expect(ws.sets.create({ projectId: 'nope', name: 'x' })).rejects.toMatchObject({ code: 'project_not_found' });
    expect((await ws.getSetContent(a.id)).prompts.map((p) => p.name)).toEqual(['greeting']);
  });

  it('moves projects and sets to the trash and back, audited', async () => {
    const { ws } = t;
    const project = await ws.projects.create({ name: 'acme' });
    const set = await ws.sets.create({ projectId: project.id, name: 'support' });
    await ws.sets.delete({ setId: set.id });
    expect(await ws.sets.list({ projectId: project.id })).toEqual([]);
    expect(await ws.sets.list({ projectId: project.id, includeTrashed: true })).toMatchObject([
      { id: set.id, trashed: true },
    ]);
    await ws.sets.restore({ setId: set.id });
    await ws.projects.delete({ projectId: project.id });
    expect(await ws.projects.list({ includeTrashed: true })).toMatchObject([{ id: project.id, trashed: true }]);
    await ws.projects.restore({ projectId: project.id });
    await ws.projects.update({ projectId: project.id, editMode: 'review' });
    await ws.projects.rename({ projectId: project.id, name: 'acme-corp' });
    expect(await ws.projects.list()).toMatchObject([{ name: 'acme-corp', editMode: 'review', trashed: false }]);
    const actions = (await ws.audit.list()).map((e) => e.action).reverse();
    expect(actions).toEqual([
      'project.create',
      'set.create',
      'set.delete',
      'set.restore',
      'project.delete',
      'project.restore',
      'project.update',
      'project.rename',
    ]);
  });
});
