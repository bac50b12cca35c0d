import type { Database } from 'better-sqlite3';
import type * as Y from 'yjs';
import { readProject } from '../../../shared/doc';
import type { CommittedDoc, Projector } from '../docs/types';
import { ftsSync } from './fts';
import type { SetContext } from './project-set';
import { readSetRow, reconcileAllPrompts, reconcilePrompts, upsertSet } from './project-set';
import type { ProjectRow } from './rows';
import { projectRow } from './rows';
import { statements } from './statements';
import { setTracking } from './tracker';

export interface ProjectorOptions {
  /** Clock for `updated_at` (ms since epoch); tests pin it. */
  now?: () => number;
}

/**
 * The projector the DocStore runs inside each group commit: projects, sets, prompts, parameters and the
 * search index follow the committed documents in the same SQLite transaction.
 *
 * Rows are keyed by document id (the DocStore stores each project and set under its own id) and prompts by
 * their key in the set's `prompts` map, which is their id. Cost is proportional to what changed: a set
 * document is reconciled in full only the first time this projector sees it; after that, Yjs observers
 * (`tracker.ts`) name the prompts to re-read, and a prompt whose fingerprint is unchanged is not written.
 *
 * The observers' dirty state is consumed when projecting, but the commit can still roll back afterwards
 * (another projector throws, the disk is full). So each call bumps `projection_state.commits` and remembers
 * the value; finding another value next time means the last transaction did not land (or the projection was
 * rebuilt): the generation moves on and every set document is reconciled in full when next committed.
 *
 * One projector instance serves one database at a time (it starts over when given another).
 */
export function createProjector(options: ProjectorOptions = {}): Projector {
  const now = options.now ?? Date.now;
  const track = setTracking();
  let boundDb: Database | undefined;
  let generation = 0;
  let expectedCommits = -1;

  return (db: Database, docs: readonly CommittedDoc[]): void => {
    const s = statements(db);
    const committed = s.readCommits.get()?.commits ?? 0;
    if (db !== boundDb || committed !== expectedCommits) {
      boundDb = db;
      generation++;
    }
    s.bumpCommits.run();
    expectedCommits = committed + 1;

    const ctx: SetContext = { s, fts: ftsSync(db), now: now() };
    // Projects first, so sets committed together with their project index its name straight away.
    for (const d of docs) if (d.kind === 'project') projectProjectDoc(ctx, d.docId, d.doc);
    for (const d of docs) {
      if (d.kind !== 'set') continue;
      const tracker = track(d.doc);
      const full = tracker.generation !== generation;
      const metaDirty = tracker.meta;
      const dirty = tracker.prompts;
      // Take the dirty state now; edits made after this commit land in fresh sets.
      tracker.generation = generation;
      tracker.meta = false;
      tracker.prompts = new Set();
      if (full || metaDirty) upsertSet(ctx, readSetRow(d.docId, d.doc));
      const changed = full ? reconcileAllPrompts(ctx, d.docId, d.doc) : reconcilePrompts(ctx, d.docId, d.doc, dirty);
      if (changed) s.touchSet.run(ctx.now, d.docId);
    }
  };
}

/** Upsert a project row when it differs; a new name or trash state re-indexes the prompts below it. */
export function projectProjectDoc(ctx: SetContext, docId: string, doc: Y.Doc): void {
  const next = projectRow(docId, readProject(doc));
  const prev = ctx.s.getProject.get(docId);
  if (prev && sameProject(prev, next)) return;
  // Also on first sight: sets that arrived before their project are indexed with an empty project name.
  const reindex = !prev || prev.name !== next.name || prev.deleted_at !== next.deleted_at;
  if (reindex) ctx.fts.unindexProject(docId);
  ctx.s.upsertProject.run({ ...next, updated_at: ctx.now });
  if (reindex) ctx.fts.indexProject(docId);
}

function sameProject(a: ProjectRow, b: ProjectRow): boolean {
  return (
    a.name === b.name && a.description === b.description && a.edit_mode === b.edit_mode && a.deleted_at === b.deleted_at
  );
}
