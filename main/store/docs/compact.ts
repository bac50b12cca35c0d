import type { Database } from 'better-sqlite3';
import * as Y from 'yjs';
import { replay } from './load';
import type { DocStatements } from './statements';

/**
 * Replace a document's update rows by one row holding its state, in one transaction: the same document,
 * fewer rows and (with garbage collection of deleted text) fewer bytes.
 *
 * Only committed state is compacted. `committedState` gives the live document's state when that is known to
 * equal what is stored (nothing of it is queued); otherwise the rows themselves are replayed into a scratch
 * document, so updates still waiting in the queue are neither written early nor lost. Returns whether rows
 * were replaced.
 */
export function compactRows(
  db: Database,
  s: DocStatements,
  file: string,
  docId: string,
  createdAt: number,
  committedState: (() => Uint8Array) | undefined,
): boolean {
  return db
    .transaction((): boolean => {
      const rows = s.updates.all(docId);
      const last = rows.at(-1);
      if (!last || rows.length < 2) return false;
      let state: Uint8Array;
      if (committedState) {
        state = committedState();
      } else {
        const scratch = replay(file, docId, rows);
        state = Y.encodeStateAsUpdate(scratch);
        scratch.destroy();
      }
      s.deleteUpTo.run(docId, last.seq);
      s.insertUpdate.run(docId, state, createdAt);
      return true;
    })
    .immediate();
}
