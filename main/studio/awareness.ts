import type * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';

/**
 * One y-protocols `Awareness` per open document in the main process: the meeting point of the editors'
 * presence (names, colours, cursors). Renderers of this studio feed it through the relay (`docs:awareness`),
 * and the sync engine hands the same object to its provider, so local tabs and remote colleagues see each
 * other through one mechanism. The main process itself is nobody: its own local state is null.
 */
export class AwarenessHub {
  private readonly byDoc = new Map<string, Awareness>();

  /** The document's awareness, created on first use. `doc` is the live document it describes. */
  get(docId: string, doc: Y.Doc): Awareness {
    let awareness = this.byDoc.get(docId);
    if (!awareness) {
      awareness = new Awareness(doc);
      awareness.setLocalState(null);
      this.byDoc.set(docId, awareness);
    }
    return awareness;
  }

  /** The awareness if one exists (the engine asks before creating a provider). */
  peek(docId: string): Awareness | undefined {
    return this.byDoc.get(docId);
  }

  /** Stop its timers (the document is closed for good, or the studio is closing). */
  drop(docId: string): void {
    this.byDoc.get(docId)?.destroy();
    this.byDoc.delete(docId);
  }

  close(): void {
    for (const docId of [...this.byDoc.keys()]) this.drop(docId);
  }
}
