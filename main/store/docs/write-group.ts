import type { Database } from 'better-sqlite3';
import type { LiveDoc } from './live';
import type { PendingDoc } from './queue';
import { mergePending } from './queue';
import type { DocStatements } from './statements';
import type { CommittedDoc, Projector } from './types';

/** One document's share of a group commit: its merged update and what the projectors are told. */
export interface Work {
  docId: string;
  live: LiveDoc;
  data: Uint8Array;
  committed: CommittedDoc;
}

export function workFor(p: PendingDoc, live: LiveDoc): Work {
  const committed = { docId: p.docId, kind: live.kind, doc: live.doc, origins: p.origins };
  return { docId: p.docId, live, data: mergePending(p), committed };
}

/**
 * The transaction of a group commit: a new document's `docs` row, one update row per document, then every
 * projector, so the projection, the search index and the audit log land with the documents or not at all.
 * BEGIN IMMEDIATE takes the write lock up front, so a commit never fails half-way on a lock upgrade.
 */
export function groupWriter(
  db: Database,
  s: DocStatements,
  projectors: readonly Projector[],
): (work: Work[], at: number) => void {
  const tx = db.transaction((work: Work[], at: number) => {
    for (const w of work) {
      if (!w.live.saved) s.insertDoc.run(w.docId, w.live.kind, w.live.createdAt);
      s.insertUpdate.run(w.docId, w.data, at);
    }
    const docs = work.map((w) => w.committed);
    for (const project of projectors) project(db, docs);
  });
  return (work, at) => tx.immediate(work, at);
}
