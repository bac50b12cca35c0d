import type { Database, Statement } from 'better-sqlite3';

/**
 * Keeping the external-content index `prompt_fts` in step with its view `prompt_search`. FTS5 can only
 * remove a row from an external-content index when given exactly the values it indexed, so every change
 * that alters a row of the view is bracketed: `unindex*` (reads the view as it is, before the change),
 * the change, then `index*` (reads it after). Bracketing a whole set or project covers renames and trash
 * moves, which change `set_name`, `project_name` and `scope` of every prompt below them.
 */
export interface FtsSync {
  unindexPrompt(key: number): void;
  indexPrompt(key: number): void;
  unindexSet(setId: string): void;
  indexSet(setId: string): void;
  unindexProject(projectId: string): void;
  indexProject(projectId: string): void;
}

const COLUMNS = 'name, description, body, set_name, project_name, scope';

const cache = new WeakMap<Database, FtsSync>();

export function ftsSync(db: Database): FtsSync {
  let sync = cache.get(db);
  if (!sync) {
    sync = prepare(db);
    cache.set(db, sync);
  }
  return sync;
}

function prepare(db: Database): FtsSync {
  const remove = (where: string): Statement =>
    db.prepare(
      `INSERT INTO prompt_fts(prompt_fts, rowid, ${COLUMNS}) SELECT 'delete', key, ${COLUMNS} FROM prompt_search WHERE ${where}`,
    );
  const add = (where: string): Statement =>
    db.prepare(`INSERT INTO prompt_fts(rowid, ${COLUMNS}) SELECT key, ${COLUMNS} FROM prompt_search WHERE ${where}`);
  const byProject = 'set_id IN (SELECT id FROM sets WHERE project_id = ?)';
  const stmts = {
    unPrompt: remove('key = ?'),
    inPrompt: add('key = ?'),
    unSet: remove('set_id = ?'),
    inSet: add('set_id = ?'),
    unProject: remove(byProject),
    inProject: add(byProject),
  };
  return {
    unindexPrompt: (key) => void stmts.unPrompt.run(key),
    indexPrompt: (key) => void stmts.inPrompt.run(key),
    unindexSet: (id) => void stmts.unSet.run(id),
    indexSet: (id) => void stmts.inSet.run(id),
    unindexProject: (id) => void stmts.unProject.run(id),
    indexProject: (id) => void stmts.inProject.run(id),
  };
}

/** Throws (SQLITE_CORRUPT_VTAB) when the index disagrees with the view; used by `checkProjection`. */
export function ftsIntegrityCheck(db: Database): string | null {
  try {
    db.prepare(`INSERT INTO prompt_fts(prompt_fts, rank) VALUES ('integrity-check', 1)`).run();
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Recompute the whole index from the view (repair, and after a bulk load). */
export function ftsRebuild(db: Database): void {
  db.prepare(`INSERT INTO prompt_fts(prompt_fts) VALUES ('rebuild')`).run();
}

/**
 * Merge the index's segments into one (FTS5 'optimize'): every commit adds small segments, which automerge
 * keeps in check; a full merge at idle time or on close makes queries read one b-tree per word again.
 */
export function ftsOptimize(db: Database): void {
  db.prepare(`INSERT INTO prompt_fts(prompt_fts) VALUES ('optimize')`).run();
}
