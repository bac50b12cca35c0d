import type { Database } from 'better-sqlite3';
import type * as Y from 'yjs';
import type { DocKind } from '../../../shared/doc';
import type { FtsSync } from './fts';
import { ftsRebuild } from './fts';
import type { SetContext } from './project-set';
import { readSetRow, reconcileAllPrompts, upsertSet } from './project-set';
import { projectProjectDoc } from './projector';
import { statements } from './statements';

/**
 * Version of what the projection derives from documents. Bump it when that changes (a new column, another
 * body format): workspaces then rebuild at open, since rows written by older code would not agree.
 */
export const PROJECTION_VERSION = 1;

/**
 * Whether the rows were built by another projection version (or never: a workspace that had documents
 * before migration 002). Whoever opens the workspace runs `rebuildProjection` with every document then,
 * before the first commit.
 */
export function projectionNeedsRebuild(db: Database): boolean {
  const row = db.prepare('SELECT version FROM projection_state WHERE id = 1').get() as { version: number } | undefined;
  return row?.version !== PROJECTION_VERSION;
}

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
    db.prepare('UPDATE projection_state SET version = ? WHERE id = 1').run(PROJECTION_VERSION);
  })();
}
