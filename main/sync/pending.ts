import type { Database, Statement } from 'better-sqlite3';
import { ORIGIN } from '../../shared/doc';
import type { CommittedDoc, Projector } from '../store/docs/types';

/**
 * Local changes the server has not acknowledged yet, per document (`sync_docs`, migration 004).
 *
 * The count goes up in the DocStore's commit transaction (a projector: a commit cannot happen without being
 * counted), for each committed group that holds a change not made by sync itself, of a document the engine
 * syncs, while that document is not known to be level with the server. It goes back to 0 when the server has
 * acknowledged everything; that write is lazy (a count too high for a moment is harmless: the next
 * acknowledgement corrects it; a count too low is what must never happen).
 */
export interface PendingTracker {
  /** Pass to `openWorkspace({ projectors })`. */
  readonly projector: Projector;
  /** The engine says which committed changes count (null: none, e.g. before it starts). */
  setCounter(counter: ((doc: CommittedDoc) => boolean) | null): void;
  /** Read the stored counts (once the workspace is open). */
  load(db: Database): void;
  /** The server has everything of this document. */
  reset(docId: string): void;
  get(docId: string): number;
  totals(): { changes: number; docs: number };
  /** Called after a count changed (inside or after a commit). */
  onChange(listener: () => void): () => void;
  /** Write the lazy resets now. */
  flush(): void;
}

const RESET_DELAY_MS = 500;

export function createPendingTracker(): PendingTracker {
  const counts = new Map<string, number>();
  const listeners = new Set<() => void>();
  const dirty = new Set<string>();
  let counter: ((doc: CommittedDoc) => boolean) | null = null;
  let db: Database | null = null;
  let bump: Statement<[string, number]> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const changed = () => {
    for (const l of listeners) l();
  };

  const write = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!db || !db.open || dirty.size === 0) return;
    const stmt = db.prepare<[number, string]>('UPDATE sync_docs SET pending = ? WHERE doc_id = ?');
    const ids = [...dirty];
    dirty.clear();
    try {
      db.transaction(() => {
        for (const id of ids) stmt.run(counts.get(id) ?? 0, id);
      })();
    } catch {
      // Busy or closing: the stored count stays higher than the truth until the next reset, which is safe.
    }
  };

  return {
    projector(database, docs) {
      if (!counter) return;
      for (const d of docs) {
        if (![...d.origins].some((o) => o !== ORIGIN.remote && o !== ORIGIN.load)) continue;
        if (!counter(d)) continue;
        if (!bump || db !== database) {
          db = database;
          bump = database.prepare(
            `INSERT INTO sync_docs (doc_id, pending, changed_at) VALUES (?, 1, ?)
             ON CONFLICT (doc_id) DO UPDATE SET pending = pending + 1, changed_at = excluded.changed_at`,
          );
        }
        bump.run(d.docId, Date.now());
        counts.set(d.docId, (counts.get(d.docId) ?? 0) + 1);
        dirty.delete(d.docId);
        queueMicrotask(changed);
      }
    },
    setCounter(c) {
      counter = c;
    },
    load(database) {
      db = database;
      counts.clear();
      const rows = database
        .prepare<[], { doc_id: string; pending: number }>('SELECT doc_id, pending FROM sync_docs WHERE pending > 0')
        .all();
      for (const r of rows) counts.set(r.doc_id, r.pending);
    },
    reset(docId) {
      if (!counts.get(docId)) return;
      counts.set(docId, 0);
      dirty.add(docId);
      timer ??= setTimeout(write, RESET_DELAY_MS);
      changed();
    },
    get: (docId) => counts.get(docId) ?? 0,
    totals() {
      let changes = 0;
      let docs = 0;
      for (const n of counts.values())
        if (n > 0) {
          changes += n;
          docs++;
        }
      return { changes, docs };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    flush: write,
  };
}
