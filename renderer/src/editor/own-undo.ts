import * as Y from 'yjs';

/**
 * Undo that takes back only this editor's own edits. Monaco's built-in undo stack records every change to the
 * model, colleagues' edits included (y-monaco applies remote edits with `model.applyEdits`), so undoing there
 * would remove someone else's text, and it breaks once remote edits interleave. A `Y.UndoManager` on the
 * prompt's `Y.Text` that tracks only the binding's origin (the transactions y-monaco makes for local typing)
 * reverts exactly what was typed here, wherever colleagues' edits have moved it since.
 */
export function createOwnUndo(text: Y.Text, origin: unknown): Y.UndoManager {
  // 500 ms: a burst of typing is one undo step, as in Monaco itself.
  return new Y.UndoManager(text, { trackedOrigins: new Set([origin]), captureTimeout: 500 });
}

/**
 * Where the cursor goes after an undo or redo changed the text: just after the last change (after its inserted
 * text, or where text was removed), as Monaco does. Null when the change made no insert or delete.
 */
export function cursorAfterChange(
  delta: readonly { insert?: unknown; retain?: number; delete?: number }[],
): number | null {
  let index = 0;
  let cursor: number | null = null;
  for (const op of delta) {
    if (op.retain !== undefined) index += op.retain;
    else if (typeof op.insert === 'string') {
      index += op.insert.length;
      cursor = index;
    } else if (op.delete !== undefined) cursor = index;
  }
  return cursor;
}
