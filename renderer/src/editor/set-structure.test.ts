import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { createSetDoc, prompts, replaceText, setParameters, templateText, upsertPrompt } from '../../../shared/doc';
import { writeOrder } from '../../../shared/doc/order';
import type { Prompt } from '../../../shared/domain';
import { readStructure, touchesStructure } from './set-structure';
import { textPrompt as text } from '../../../shared/domain/fixtures';

function setDoc(): Y.Doc {
  return createSetDoc({
    id: 'set1',
    projectId: 'p1',
    name: 'support',
    description: '',
    dependencies: {},
    prompts: [text('a', 'alpha', 'A {{ x }}'), { ...text('c', 'chatty'), kind: 'chat', messages: [] } as Prompt],
  });
}

/** Whether `change` fires a deep event on the prompts map that touches the list. */
function touched(doc: Y.Doc, change: () => void): boolean {
  const root = prompts(doc);
  let result = false;
  const onDeep = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    result ||= touchesStructure(events, root as Y.Map<unknown>);
  };
  root.observeDeep(onDeep);
  change();
  root.unobserveDeep(onDeep);
  return result;
}

describe('readStructure', () => {
  it('lists live prompts in the author order with their kinds, and the set meta', () => {
    const doc = setDoc();
    writeOrder(doc, ['c', 'a']);
    expect(readStructure(doc)).toEqual({
      name: 'support',
      projectId: 'p1',
      deletedAt: null,
      rows: [
        { id: 'c', name: 'chatty', kind: 'chat' },
        { id: 'a', name: 'alpha', kind: 'text' },
      ],
    });
  });

  it('leaves deleted prompts out', () => {
    const doc = setDoc();
    prompts(doc).get('a')?.set('deletedAt', 1);
    expect(readStructure(doc).rows.map((r) => r.id)).toEqual(['c']);
  });
});

describe('touchesStructure', () => {
  it('ignores typing and parameter changes (no re-sort of thousands of rows per keystroke)', () => {
    const doc = setDoc();
    expect(touched(doc, () => templateText(doc, 'a').insert(0, 'x'))).toBe(false);
    expect(touched(doc, () => replaceText(templateText(doc, 'a'), 'B'))).toBe(false);
    expect(
      touched(doc, () =>
        setParameters(doc, 'a', [{ name: 'x', type: { type: 'string' }, required: true, description: '' }]),
      ),
    ).toBe(false);
  });

  it('sees prompts added, removed, renamed, moved and deleted', () => {
    const doc = setDoc();
    expect(touched(doc, () => upsertPrompt(doc, text('b', 'beta')))).toBe(true);
    expect(touched(doc, () => prompts(doc).get('a')?.set('name', 'alpha-2'))).toBe(true);
    expect(touched(doc, () => writeOrder(doc, ['b', 'a', 'c']))).toBe(true);
    expect(touched(doc, () => prompts(doc).get('b')?.set('deletedAt', 5))).toBe(true);
    expect(touched(doc, () => prompts(doc).delete('b'))).toBe(true);
  });
});
