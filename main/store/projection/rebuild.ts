import type { Database } from 'better-sqlite3';
import type * as Y from 'yjs';
import type { DocKind } from '../../../shared/doc';
import type { FtsSync } from './fts';
import { ftsRebuild } from './fts';
import type { SetContext } from './project-set';
import { readSetRow, reconcileAllPrompts, upsertSet } from './project-set';
import { projectProjectDoc } from './projector';
import { statements } from './statements';

/** A document as the projection sees it: its store id, its kind, its live Y.Doc. */
export interface ProjectedDoc {
  docId: string;
  kind: DocKind;
  doc: Y.Doc;
}

const NO_FTS: FtsSync = {
  unindexPrompt: () => undefined,
  indexPrompt: () => undefined,
  unindexSet: () => undefined,
  indexSet: () => undefined,
  unindexProject: () => undefined,
  indexProject: () => undefined,
};

/**
 * Recompute the whole projection from the documents, in one transaction: for repair, and for migrations
 * that change what is projected. Rows are written without touching the index, which is then rebuilt from
 * the view in one pass (much faster than row-by-row indexing). Live projectors notice (the commit counter
 * moves) and reconcile each document in full on its next commit.
 */
export function rebuildProjection(db: Database, docs: readonly ProjectedDoc[], now = Date.now()): void {
  const s = statements(db);
  db.transaction(() => {
    db.prepare(`INSERT INTO prompt_fts(prompt_fts) VALUES ('delete-all')`).run();
    db.exec('DELETE FROM parameters; DELETE FROM prompts; DELETE FROM sets; DELETE FROM projects;');
    const ctx: SetContext = { s, fts: NO_FTS, now };
    for (const d of docs) if (d.kind === 'project') projectProjectDoc(ctx, d.docId, d.doc);
    for (const d of docs) {
      if (d.kind !== 'set') continue;
      upsertSet(ctx, readSetRow(d.docId, d.doc));
      reconcileAllPrompts(ctx, d.docId, d.doc);
    }
    ftsRebuild(db);
    s.bumpCommits.run();
  })();
}
