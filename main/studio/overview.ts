import type { Database } from 'better-sqlite3';
import type { CatalogEntry, Overview, RecentPrompt } from '../../shared/contract/studio';

/**
 * The dashboard's numbers and the palette's catalog, read from the relational projection (migration 002),
 * never from the documents: neither may load every set's Y.Doc. "Live" means not in the trash, and a set in a
 * trashed project is as gone as a trashed set.
 */
const LIVE_SETS = `FROM sets s JOIN projects pr ON pr.id = s.project_id
  WHERE s.deleted_at IS NULL AND pr.deleted_at IS NULL`;

export function overview(db: Database, recentLimit = 10): Overview {
  const one = (sql: string): number => db.prepare<[], number>(sql).pluck().get() ?? 0;
  const counts = {
    projects: one('SELECT count(*) FROM projects WHERE deleted_at IS NULL'),
    sets: one(`SELECT count(*) ${LIVE_SETS}`),
    prompts: one(`SELECT count(*) FROM prompts p WHERE p.set_id IN (SELECT s.id ${LIVE_SETS})`),
    versions: one(`SELECT count(*) FROM versions v WHERE v.set_id IN (SELECT s.id ${LIVE_SETS})`),
    trashed:
      one('SELECT count(*) FROM projects WHERE deleted_at IS NOT NULL') +
      one('SELECT count(*) FROM sets WHERE deleted_at IS NOT NULL'),
  };
  const recent = db
    .prepare<[number], RecentPrompt>(
      `SELECT p.id AS promptId, p.name AS promptName, p.kind AS kind, s.id AS setId, s.name AS setName,
              pr.id AS projectId, pr.name AS projectName, p.updated_at AS updatedAt
       FROM prompts p JOIN sets s ON s.id = p.set_id JOIN projects pr ON pr.id = s.project_id
       WHERE s.deleted_at IS NULL AND pr.deleted_at IS NULL
       ORDER BY p.updated_at DESC, p.key DESC LIMIT ?`,
    )
    .all(recentLimit);
  return { counts, recent };
}

/** Every live project, set and prompt, by name within kind, for the fuzzy finder. */
export function catalog(db: Database): CatalogEntry[] {
  const projects = db
    .prepare<[], { id: string; name: string }>(
      'SELECT id, name FROM projects WHERE deleted_at IS NULL ORDER BY name, id',
    )
    .all()
    .map((r): CatalogEntry => ({ kind: 'project', ...r }));
  const sets = db
    .prepare<[], { id: string; name: string; projectId: string; projectName: string }>(
      `SELECT s.id, s.name, pr.id AS projectId, pr.name AS projectName ${LIVE_SETS} ORDER BY pr.name, s.name, s.id`,
    )
    .all()
    .map((r): CatalogEntry => ({ kind: 'set', ...r }));
  const prompts = db
    .prepare<[], { id: string; name: string; setId: string; setName: string; projectId: string; projectName: string }>(
      `SELECT p.id, p.name, s.id AS setId, s.name AS setName, pr.id AS projectId, pr.name AS projectName
       FROM prompts p JOIN sets s ON s.id = p.set_id JOIN projects pr ON pr.id = s.project_id
       WHERE s.deleted_at IS NULL AND pr.deleted_at IS NULL ORDER BY pr.name, s.name, p.name, p.id`,
    )
    .all()
    .map((r): CatalogEntry => ({ kind: 'prompt', ...r }));
  return [...projects, ...sets, ...prompts];
}
