import type { Database, Statement } from 'better-sqlite3';
import type { DocKind } from '../../../shared/doc';

export interface UpdateRow {
  seq: number;
  data: Uint8Array;
}

/** The statements of the document store, prepared once per store (never per edit). */
export interface DocStatements {
  kindOf: Statement<[string], DocKind>;
  listKind: Statement<[DocKind], string>;
  insertDoc: Statement<[string, DocKind, number]>;
  insertUpdate: Statement<[string, Uint8Array, number]>;
  updates: Statement<[string], UpdateRow>;
  countUpdates: Statement<[string], number>;
  deleteUpTo: Statement<[string, number]>;
}

export function prepareStatements(db: Database): DocStatements {
  return {
    kindOf: db.prepare<[string], DocKind>('SELECT kind FROM docs WHERE doc_id = ?').pluck(),
    listKind: db
      .prepare<[DocKind], string>('SELECT doc_id FROM docs WHERE kind = ? ORDER BY created_at, doc_id')
      .pluck(),
    insertDoc: db.prepare<[string, DocKind, number]>('INSERT INTO docs (doc_id, kind, created_at) VALUES (?, ?, ?)'),
    insertUpdate: db.prepare<[string, Uint8Array, number]>(
      'INSERT INTO doc_updates (doc_id, data, created_at) VALUES (?, ?, ?)',
    ),
    updates: db.prepare<[string], UpdateRow>('SELECT seq, data FROM doc_updates WHERE doc_id = ? ORDER BY seq'),
    countUpdates: db.prepare<[string], number>('SELECT count(*) FROM doc_updates WHERE doc_id = ?').pluck(),
    deleteUpTo: db.prepare<[string, number]>('DELETE FROM doc_updates WHERE doc_id = ? AND seq <= ?'),
  };
}
