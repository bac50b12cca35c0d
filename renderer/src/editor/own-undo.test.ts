import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createOwnUndo, cursorAfterChange } from './own-undo';

/** Two replicas of one text, kept in step the way the studio and the server do (updates both ways). */
function pair() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(b, u, 'remote'));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(a, u, 'remote'));
  return { a, b, ta: a.getText('t'), tb: b.getText('t') };
}

/** What y-monaco does for a keystroke: a transaction whose origin is the binding. */
const type = (doc: Y.Doc, text: Y.Text, origin: object, index: number, s: string) =>
  doc.transact(() => text.insert(index, s), origin);

describe('undo of own edits only', () => {
  it('A types, B types, A undoes: only A’s text goes, on both sides', () => {
    const { a, b, ta, tb } = pair();
    const bindingA = {};
    const bindingB = {};
    const undoA = createOwnUndo(ta, bindingA);
    const undoB = createOwnUndo(tb, bindingB);
    type(a, ta, bindingA, 0, 'Hello from A. ');
    type(b, tb, bindingB, tb.length, 'Hi from B.');
    expect(ta.toString()).toBe('Hello from A. Hi from B.');

    undoA.undo();
    expect(ta.toString()).toBe('Hi from B.');
    expect(tb.toString()).toBe('Hi from B.');
    // B's own stack is untouched by A's undo, and A can redo.
    expect(undoB.undoStack).toHaveLength(1);
    undoA.redo();
    expect(tb.toString()).toBe('Hello from A. Hi from B.');
    undoB.undo();
    expect(ta.toString()).toBe('Hello from A. ');
  });

  it('A’s text is found where B’s edits moved it (B typed inside and before it)', () => {
    const { a, b, ta, tb } = pair();
    const bindingA = {};
    const undoA = createOwnUndo(ta, bindingA);
    b.transact(() => tb.insert(0, 'base '), {});
    type(a, ta, bindingA, 5, 'alpha');
    b.transact(() => tb.insert(0, '>> '), {});
    b.transact(() => tb.insert(ta.toString().indexOf('alpha') + 2, '|'), {});
    expect(tb.toString()).toBe('>> base al|pha');
    undoA.undo();
    expect(tb.toString()).toBe('>> base |');
  });

  it('edits by operations or other origins are not undone', () => {
    const { a, ta } = pair();
    const binding = {};
    const undo = createOwnUndo(ta, binding);
    a.transact(() => ta.insert(0, 'from an operation'), 'local');
    expect(undo.canUndo()).toBe(false);
    undo.undo();
    expect(ta.toString()).toBe('from an operation');
  });

  it('the cursor goes after the last change of an undo or redo', () => {
    expect(cursorAfterChange([{ retain: 3 }, { insert: 'abc' }])).toBe(6);
    expect(cursorAfterChange([{ retain: 3 }, { delete: 4 }])).toBe(3);
    expect(cursorAfterChange([{ insert: 'x' }, { retain: 2 }, { delete: 1 }])).toBe(3);
    expect(cursorAfterChange([{ retain: 3 }])).toBeNull();
  });
});
