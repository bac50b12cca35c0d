import type { Migration } from './types';

/**
 * Drafts are Yjs documents: the source of truth is the list of updates per document, compacted from time to
 * time into one merged update. Everything relational comes later as a projection of these rows.
 */
export const m001Documents: Migration = {
  version: 1,
  name: 'documents and their Yjs updates',
  up(db) {
    db.exec(`
      CREATE TABLE docs (
        doc_id     TEXT PRIMARY KEY,
        kind       TEXT NOT NULL CHECK (kind IN ('project', 'set')),
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE doc_updates (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        doc_id     TEXT NOT NULL REFERENCES docs(doc_id) ON DELETE CASCADE,
        data       BLOB NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX doc_updates_by_doc ON doc_updates(doc_id, seq);
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
