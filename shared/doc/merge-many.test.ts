import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mergeMany } from './merge-many';

function keystrokes(n: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const t = doc.getText('t');
  for (let i = 0; i < n; i++) t.insert(i % 7 === 0 ? 0 : t.length, String.fromCharCode(97 + (i % 26)));
  return updates;
}

describe('mergeMany', () => {
  it('gives the same document as applying every update, and the same as Y.mergeUpdates', () => {
    const updates = keystrokes(3000);
    const viaTree = new Y.Doc();
    Y.applyUpdate(viaTree, mergeMany(updates));
    const viaStock = new Y.Doc();
    Y.applyUpdate(viaStock, Y.mergeUpdates(updates));
    const oneByOne = new Y.Doc();
    for (const u of updates) Y.applyUpdate(oneByOne, u);
    expect(viaTree.getText('t').toString()).toBe(oneByOne.getText('t').toString());
    expect(viaStock.getText('t').toString()).toBe(oneByOne.getText('t').toString());
    expect(Y.encodeStateVector(viaTree)).toEqual(Y.encodeStateVector(oneByOne));
  });

  it('hands a single update back as it is and refuses none', () => {
    const [one] = keystrokes(1);
    expect(mergeMany([one as Uint8Array])).toBe(one);
    expect(() => mergeMany([])).toThrow(/at least one/);
  });
});
