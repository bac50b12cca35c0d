import * as Y from 'yjs';
import { DocTooNewError, ORIGIN, migrateDoc } from '../../../shared/doc';
import { docCorrupt, docTooNew } from './errors';
import type { UpdateRow } from './statements';

export interface Loaded {
  doc: Y.Doc;
  /** The updates the layout migrations made, to be persisted like any edit (origin `migration`). */
  migrated: { update: Uint8Array; origin: unknown }[];
}

/**
 * Rebuild a document from its stored update rows, then lift it to the current layout. Rows are applied one
 * by one inside one Yjs transaction (one cleanup, one observer pass), so a row that does not decode is named
 * by its sequence number. Any failure concerns this document only and leaves nothing behind: the store and
 * its other documents keep working, and the rows stay as they are.
 */
export function loadDoc(file: string, docId: string, rows: readonly UpdateRow[]): Loaded {
  const doc = replay(file, docId, rows);
  const migrated: Loaded['migrated'] = [];
  const capture = (update: Uint8Array, origin: unknown): number => migrated.push({ update, origin });
  doc.on('update', capture);
  try {
    migrateDoc(doc);
  } catch (err) {
    doc.destroy();
    if (err instanceof DocTooNewError) throw docTooNew(docId, err.message);
    // e.g. a root type stored under another Yjs type than the layout says: damaged or foreign data.
    throw docCorrupt(file, docId, `layout: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    doc.off('update', capture);
  }
  return { doc, migrated };
}

/** The document the rows describe, without migrations: what compaction rewrites. */
export function replay(file: string, docId: string, rows: readonly UpdateRow[]): Y.Doc {
  const doc = new Y.Doc();
  let current: UpdateRow | undefined;
  try {
    doc.transact(() => {
      for (const row of rows) {
        current = row;
        Y.applyUpdate(doc, row.data, ORIGIN.load);
      }
    }, ORIGIN.load);
  } catch (err) {
    doc.destroy();
    const cause = err instanceof Error ? err.message : String(err);
    throw docCorrupt(file, docId, `update row ${current?.seq ?? '?'}: ${cause}`);
  }
  return doc;
}
