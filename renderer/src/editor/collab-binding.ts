import type { editor } from 'monaco-editor/editor/editor.api';
import { MonacoBinding } from 'y-monaco';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { createOwnUndo, cursorAfterChange } from './own-undo';

/**
 * One Monaco editor on one Y.Text, shared with colleagues: y-monaco keeps the two in step, the document's
 * awareness carries this editor's cursor to the others and draws theirs, and undo/redo take back only what was
 * typed here (see own-undo.ts).
 */
export interface CollabBinding {
  readonly undoManager: Y.UndoManager;
  dispose(): void;
}

export function bindCollaboration(
  ed: editor.IStandaloneCodeEditor,
  model: editor.ITextModel,
  text: Y.Text,
  awareness: Awareness | null,
): CollabBinding {
  const binding = new MonacoBinding(text, model, new Set([ed]), awareness ? focusedOnly(ed, awareness) : null);
  const undoManager = createOwnUndo(text, binding);

  // Every way Monaco undoes (Ctrl/Cmd+Z, Ctrl+Y, Ctrl/Cmd+Shift+Z, its command palette and context menu) ends
  // in `model.undo()` / `model.redo()`: routing those two to the undo manager covers them all. Monaco's own
  // stack (which would also revert colleagues' edits) is never used.
  model.undo = () => {
    undoManager.undo();
  };
  model.redo = () => {
    undoManager.redo();
  };
  // The desktop app's Edit menu (Electron's undo/redo roles) acts on the focused text area natively.
  const dom = ed.getDomNode();
  const onBeforeInput = (event: InputEvent) => {
    if (event.inputType !== 'historyUndo' && event.inputType !== 'historyRedo') return;
    event.preventDefault();
    if (event.inputType === 'historyUndo') undoManager.undo();
    else undoManager.redo();
  };
  dom?.addEventListener('beforeinput', onBeforeInput, true);

  // After an undo or redo the cursor goes to the change (y-monaco alone would leave it where it was).
  const onUndone = (event: Y.YTextEvent, transaction: Y.Transaction) => {
    if (transaction.origin !== undoManager || !ed.hasTextFocus()) return;
    const offset = cursorAfterChange(event.delta as { insert?: unknown; retain?: number; delete?: number }[]);
    if (offset === null) return;
    const position = model.getPositionAt(offset);
    ed.setPosition(position);
    ed.revealPositionInCenterIfOutsideViewport(position);
  };
  // Registered after y-monaco's own observer, so it runs after the edit reached the model.
  text.observe(onUndone);

  // Whoever is already here shows at once, not at their next move.
  binding._rerenderDecorations();
  const focus = awareness ? ed.onDidFocusEditorText(() => publishSelection(ed, model, text, awareness)) : null;

  return {
    undoManager,
    dispose() {
      focus?.dispose();
      text.unobserve(onUndone);
      dom?.removeEventListener('beforeinput', onBeforeInput, true);
      undoManager.destroy();
      binding.destroy();
    },
  };
}

/**
 * The awareness as y-monaco sees it, except that only the focused editor publishes its selection: a chat prompt
 * has one editor per message on one document, and y-monaco moves the selection of every editor whenever the text
 * changes, which would otherwise make the others' view of our cursor jump between messages.
 */
function focusedOnly(ed: editor.IStandaloneCodeEditor, awareness: Awareness): Awareness {
  const facade = {
    getStates: () => awareness.getStates(),
    on: (name: 'change', listener: () => void) => awareness.on(name, listener),
    off: (name: 'change', listener: () => void) => awareness.off(name, listener),
    setLocalStateField: (field: string, value: unknown) => {
      if (ed.hasTextFocus()) awareness.setLocalStateField(field, value);
    },
  };
  // y-monaco uses exactly these four members of the Awareness.
  return facade as unknown as Awareness;
}

/** Puts this editor's selection in the awareness (what y-monaco does on a cursor move), e.g. on focus. */
function publishSelection(
  ed: editor.IStandaloneCodeEditor,
  model: editor.ITextModel,
  text: Y.Text,
  awareness: Awareness,
): void {
  const sel = ed.getSelection();
  if (!sel || awareness.getLocalState() === null) return;
  let anchor = model.getOffsetAt(sel.getStartPosition());
  let head = model.getOffsetAt(sel.getEndPosition());
  // SelectionDirection.RTL = 1: the head is at the start.
  if (sel.getDirection() === 1) [anchor, head] = [head, anchor];
  awareness.setLocalStateField('selection', {
    anchor: Y.createRelativePositionFromTypeIndex(text, anchor),
    head: Y.createRelativePositionFromTypeIndex(text, head),
  });
}
