import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promptOrder } from '../../../shared/doc/order';
import { NAME_MAX } from '../../../shared/domain';
import { copyName } from './ordering';
import type { TempWorkspace } from './testing';
import { tempWorkspace } from './testing';

describe('prompts.duplicate and prompts.reorder', () => {
  let t: TempWorkspace;
  let setId: string;
  beforeEach(async () => {
    t = await tempWorkspace();
    const project = await t.ws.projects.create({ name: 'acme' });
    setId = (await t.ws.sets.create({ projectId: project.id, name: 'support' })).id;
  });
  afterEach(() => t.dispose());

  const create = (name: string) => t.ws.prompts.create({ setId, name, kind: 'text', template: `{{ ${name} }}` });
  const order = () => promptOrder(t.ws.internals.docs.get(setId) as never);

  it('lists new prompts last, in the order they were made', async () => {
    const ids = [];
    for (const name of ['zeta', 'alpha', 'mid']) ids.push((await create(name)).id);
    expect(order()).toEqual(ids);
  });

  it('duplicates under x-copy, x-copy-2…, with a new id, audited as a create', async () => {
    const source = await t.ws.prompts.create({
      setId,
      name: 'greet',
      kind: 'chat',
      messages: [{ type: 'message', role: 'user', content: 'Hi {{ who }}' }],
      parameters: [{ name: 'who', type: { type: 'string' }, required: true, description: '' }],
    });
    const one = await t.ws.prompts.duplicate({ setId, promptId: source.id });
    const two = await t.ws.prompts.duplicate({ setId, promptId: source.id });
    const named = await t.ws.prompts.duplicate({ setId, promptId: source.id, name: 'welcome' });
    expect([one.name, two.name, named.name]).toEqual(['greet-copy', 'greet-copy-2', 'welcome']);
    expect(new Set([source.id, one.id, two.id, named.id]).size).toBe(4);
    const { id: _id, name: _name, ...rest } = source;
    expect(one).toMatchObject(rest);
    expect(order()).toEqual([source.id, one.id, two.id, named.id]);
    const audit = await t.ws.audit.list({ entityId: one.id });
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'prompt.create',
        details: expect.objectContaining({ duplicateOf: source.id }),
      }),
    ]);
    // Survives a reopen, like any operation.
    await t.reopen();
    expect((await t.ws.prompts.get({ setId, promptId: one.id })).name).toBe('greet-copy');
  });

  it('refuses a taken or invalid name and an unknown prompt', async () => {
    const p = await create('greet');
    await create('other');
    await expect(t.ws.prompts.duplicate({ setId, promptId: p.id, name: 'other' })).rejects.toMatchObject({
      code: 'name_taken',
    });
    await expect(t.ws.prompts.duplicate({ setId, promptId: p.id, name: 'Bad' })).rejects.toMatchObject({
      code: 'invalid_name',
    });
    await expect(t.ws.prompts.duplicate({ setId, promptId: 'nope' })).rejects.toMatchObject({
      code: 'prompt_not_found',
    });
    expect(order()).toHaveLength(2);
  });

  it('keeps copy names within the length limit', () => {
    const long = 'a'.repeat(NAME_MAX);
    expect(copyName(long, new Set()).length).toBe(NAME_MAX);
    expect(copyName('x', new Set(['x-copy', 'x-copy-2']))).toBe('x-copy-3');
  });

  it('reorders: the given ids first, the rest after in their order; no audit row, no content change', async () => {
    const [a, b, c, d] = [await create('a'), await create('b'), await create('c'), await create('d')];
    const hash = (await t.ws.sets.content({ setId })).prompts.map((p) => p.id);
    const auditBefore = (await t.ws.audit.list({})).length;
    await t.ws.prompts.reorder({ setId, promptIds: [c.id, a.id] });
    expect(order()).toEqual([c.id, a.id, b.id, d.id]);
    await t.ws.prompts.reorder({ setId, promptIds: [d.id, c.id, b.id, a.id, d.id] });
    expect(order()).toEqual([d.id, c.id, b.id, a.id]);
    expect((await t.ws.sets.content({ setId })).prompts.map((p) => p.id)).toEqual(hash);
    expect(await t.ws.audit.list({})).toHaveLength(auditBefore);
    await t.reopen();
    expect(order()).toEqual([d.id, c.id, b.id, a.id]);
  });

  it('refuses an id that is not a live prompt of the set, changing nothing', async () => {
    const [a, b] = [await create('a'), await create('b')];
    await t.ws.prompts.delete({ setId, promptId: a.id });
    await expect(t.ws.prompts.reorder({ setId, promptIds: [b.id, a.id] })).rejects.toMatchObject({
      code: 'prompt_not_found',
    });
    await expect(t.ws.prompts.reorder({ setId: 'missing', promptIds: [] })).rejects.toMatchObject({
      code: 'set_not_found',
    });
    expect(order()).toEqual([b.id]);
  });
});
