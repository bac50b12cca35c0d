import type { Migration } from './types';

/**
 * What the studio's sync engine (`main/sync/`) must remember across restarts.
 *
 * `sync_docs`: per document, the local changes (committed update groups) the server has not acknowledged yet.
 * Incremented by a projector in the same transaction as the updates themselves, so the count cannot miss a
 * commit; set back to 0 (lazily) once the server acknowledged everything. The changes themselves are never
 * kept here: they are in `doc_updates`, and the Yjs sync step sends whatever the server lacks.
 *
 * `sync_state`: small values of the engine (when the server last had everything, this studio's sync id).
 */
export const m004SyncState: Migration = {
  version: 4,
  name: 'sync state: pending changes per document',
  up(db) {
    db.exec(`
      CREATE TABLE sync_docs (
        doc_id     TEXT PRIMARY KEY,
        pending    INTEGER NOT NULL DEFAULT 0 CHECK (pending >= 0),
        changed_at INTEGER
      ) STRICT;
      CREATE TABLE sync_state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
