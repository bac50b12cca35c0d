import * as Y from 'yjs';
import { ORIGIN } from '../../../shared/doc';
import { docCorrupt } from './errors';
import type { UpdateRow } from './statements';

/**
 * Rebuild a document from its stored update rows. Rows are applied one by one inside one Yjs transaction
 * (one cleanup, one observer pass), so a row that does not decode is named by its sequence number. The error
 * concerns this document only: the store and its other documents keep working.
 */
export function loadDoc(file: string, docId: string, rows: readonly UpdateRow[]): Y.Doc {
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
