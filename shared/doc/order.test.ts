import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Prompt } from '../domain';
import { canonicalJson } from '../domain';
import { POSITION_KEY, nextPosition, promptOrder, writeOrder } from './order';
import { readSetContent } from './read';
import { prompts } from './schema';
import { createSetDoc } from './write';

const prompt = (id: string, name: string): Prompt => ({
  id,
  name,
  description: '',
  kind: 'text',
  template: `{{ ${name} }}`,
  parameters: [],
  model: null,
  metadata: {},
});

const setDoc = (...ps: Prompt[]) =>
  createSetDoc({ id: 's1', projectId: 'p1', name: 'set', description: '', dependencies: {}, prompts: ps });

describe('prompt order', () => {
  it('lists by position, then name; prompts without a position come last', () => {
    const doc = setDoc(prompt('a', 'zeta'), prompt('b', 'alpha'), prompt('c', 'mid'), prompt('d', 'beta'));
    expect(promptOrder(doc)).toEqual(['b', 'd', 'c', 'a']);
    prompts(doc).get('a')?.set(POSITION_KEY, 0);
    prompts(doc).get('c')?.set(POSITION_KEY, 1);
    expect(promptOrder(doc)).toEqual(['a', 'c', 'b', 'd']);
    prompts(doc).get('b')?.set(POSITION_KEY, 1);
    expect(promptOrder(doc)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('leaves out deleted prompts and ignores positions that are not numbers', () => {
    const doc = setDoc(prompt('a', 'one'), prompt('b', 'two'), prompt('c', 'three'));
    prompts(doc).get('b')?.set('deletedAt', 1);
    prompts(doc).get('c')?.set(POSITION_KEY, 'first');
    prompts(doc).get('a')?.set(POSITION_KEY, Number.NaN);
    expect(promptOrder(doc)).toEqual(['a', 'c']);
  });

  it('gives a new prompt the position after every other, and rewrites only what changes', () => {
    const doc = setDoc(prompt('a', 'one'), prompt('b', 'two'), prompt('c', 'three'));
    expect(nextPosition(doc)).toBe(0);
    writeOrder(doc, ['c', 'a', 'b']);
    expect(nextPosition(doc)).toBe(3);
    let updates = 0;
    doc.on('update', () => updates++);
    writeOrder(doc, ['c', 'a', 'b']);
    expect(updates).toBe(0);
    writeOrder(doc, ['c', 'b', 'a']);
    expect(updates).toBe(1);
    expect(promptOrder(doc)).toEqual(['c', 'b', 'a']);
  });

  it('is not content: the set content (what versions freeze and hash) is the same in any order', () => {
    const doc = setDoc(prompt('a', 'one'), prompt('b', 'two'), prompt('c', 'three'));
    const before = readSetContent(doc);
    writeOrder(doc, ['c', 'b', 'a']);
    const after = readSetContent(doc);
    expect(after).toEqual(before);
    expect(canonicalJson(after)).toBe(canonicalJson(before));
    expect(after.prompts.map((p) => p.name)).toEqual(['one', 'three', 'two']);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    expect(promptOrder(copy)).toEqual(['c', 'b', 'a']);
  });
});
