import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Parameter } from '../../shared/domain';
import { hashOf } from './hash';
import type { TempWorkspace } from './workspace/testing';
import { tempWorkspace } from './workspace/testing';

let t: TempWorkspace;
beforeEach(async () => {
  t = await tempWorkspace();
});
afterEach(() => t.dispose());

const nameParam: Parameter = {
  name: 'name',
  type: { type: 'string' },
  required: true,
  description: 'Customer first name',
};

describe('workspace: a full authoring scenario', () => {
  it('creates, edits, versions, refuses bad numbers, restores, audits, and finds it all after reopening', async () => {
    const ws = t.ws;
    const project = await ws.projects.create({ name: 'acme' });
    const set = await ws.sets.create({ projectId: project.id, name: 'support' });
    const greeting = await ws.prompts.create({
      setId: set.id,
      name: 'greeting',
      kind: 'text',
      template: 'Hello',
      parameters: [nameParam],
    });
    const triage = await ws.prompts.create({ setId: set.id, name: 'triage', kind: 'chat' });
    await ws.prompts.editTemplate({
      setId: set.id,
      promptId: greeting.id,
      index: 5,
      deleteCount: 0,
      insert: ' {{ name }}!',
    });
    await ws.prompts.setTemplate({ setId: set.id, promptId: triage.id, message: 0, text: 'You sort tickets.' });
    expect(
      (await ws.prompts.get({ setId: set.id, promptId: greeting.id })).kind === 'text' &&
        (await ws.prompts.get({ setId: set.id, promptId: greeting.id })),
    ).toMatchObject({ template: 'Hello {{ name }}!' });

    const v1 = await ws.versions.save({ setId: set.id, version: '1.0.0', changelog: 'First release' });
    const v1Content = await ws.getSetContent(set.id);
    expect(v1.contentHash).toBe(hashOf(v1Content));
    expect(v1).toMatchObject({ version: '1.0.0', author: 'ada', override: null });

    await ws.prompts.create({ setId: set.id, name: 'escalate', kind: 'text', template: 'Escalate to a human.' });
    const v11 = await ws.versions.save({ setId: set.id, version: '1.1.0', changelog: 'Escalation' });
    expect(v11.changeClass).toBe('minor');
    await expect(ws.versions.save({ setId: set.id, version: '1.1.0', changelog: 'again' })).rejects.toMatchObject({
      code: 'version_exists',
    });

    // Breaking: the required parameter goes away.
    await ws.prompts.setParameters({ setId: set.id, promptId: greeting.id, parameters: [] });
    await ws.prompts.setTemplate({ setId: set.id, promptId: greeting.id, text: 'Hello there!' });
    const refused = ws.versions.save({ setId: set.id, version: '1.1.1', changelog: 'oops' });
    await expect(refused).rejects.toMatchObject({ code: 'breaking_change_needs_major' });
    const forced = await ws.versions.save({
      setId: set.id,
      version: '1.1.1',
      changelog: 'hotfix',
      override: 'Nobody passes name yet',
    });
    expect(forced).toMatchObject({ changeClass: 'major', override: 'Nobody passes name yet' });
    expect((await ws.versions.list({ setId: set.id })).map((v) => v.version)).toEqual(['1.1.1', '1.1.0', '1.0.0']);

    const draftBefore = await ws.getSetContent(set.id);
    const restored = await ws.versions.restore({ setId: set.id, version: '1.0.0' });
    expect(await ws.getSetContent(set.id)).toEqual(v1Content);
    expect(restored.contentHash).toBe(v1.contentHash);
    const snaps = await ws.versions.snapshots({ setId: set.id });
    expect(snaps).toHaveLength(1);
    expect(snaps[0]?.contentHash).toBe(hashOf(draftBefore));

    const audit = await ws.audit.list({ limit: 1000 });
    const actions = audit.map((e) => e.action).reverse();
    for (const a of [
      'project.create',
      'set.create',
      'prompt.create',
      'edit',
      'version.save',
      'draft.snapshot',
      'version.restore',
    ])
      expect(actions).toContain(a);
    expect(actions.filter((a) => a === 'version.save')).toHaveLength(3);
    expect(actions.filter((a) => a === 'prompt.create')).toHaveLength(3);
    expect(audit.every((e) => e.actor === 'ada')).toBe(true);
    const saves = audit.filter((e) => e.action === 'version.save');
    expect(saves.map((e) => e.afterHash)).toEqual([forced.contentHash, v11.contentHash, v1.contentHash]);
    expect(saves[1]?.beforeHash).toBe(v1.contentHash);
    const restoreRow = audit.find((e) => e.action === 'version.restore');
    expect(restoreRow).toMatchObject({ entityId: set.id, beforeHash: hashOf(draftBefore), afterHash: v1.contentHash });
    const greetingEdits = audit.filter((e) => e.action === 'edit' && e.entityId === greeting.id);
    expect(greetingEdits.length).toBeGreaterThan(0);
    for (const e of greetingEdits) expect(e.beforeHash).not.toBe(e.afterHash);

    await ws.settings.set({ key: 'editor.fontSize', value: 14 });
    expect(await ws.settings.get({ key: 'editor.fontSize' })).toBe(14);
    const again = await t.reopen();
    expect((await again.projects.list()).map((p) => p.name)).toEqual(['acme']);
    const sets = await again.sets.list({ projectId: project.id });
    expect(sets).toMatchObject([{ id: set.id, name: 'support', promptCount: 2 }]);
    expect(await again.getSetContent(set.id)).toEqual(v1Content);
    expect((await again.versions.get({ setId: set.id, version: '1.1.0' })).content.prompts.map((p) => p.name)).toEqual([
      'escalate',
      'greeting',
      'triage',
    ]);
    expect(await again.audit.list({ limit: 1000 })).toHaveLength(audit.length + 1);
    expect(await again.settings.get({ key: 'editor.fontSize' })).toBe(14);
    expect((await again.search.query({ query: 'escalate' })).map((h) => h.promptName)).toEqual([]);
    expect((await again.search.query({ query: 'tickets' })).map((h) => h.promptName)).toEqual(['triage']);

    const { db } = again.internals;
    expect(() => db.prepare("UPDATE versions SET changelog = 'rewritten' WHERE version = '1.0.0'").run()).toThrow(
      /immutable/,
    );
    expect(() => db.prepare('DELETE FROM versions').run()).toThrow(/immutable/);
    expect(db.prepare('SELECT count(*) FROM versions').pluck().get()).toBe(3);
  });
});
