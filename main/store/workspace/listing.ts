import type { Database } from 'better-sqlite3';
import type { Dependencies } from '../../../shared/domain';
import type { SetInfo } from './sets';

interface SetRow {
  id: string;
  project_id: string;
  name: string;
  description: string;
  dependencies: string;
  deleted_at: number | null;
  prompt_count: number;
}

/**
 * Lists come from the relational projection, not from the documents: listing must not load every set's
 * Y.Doc. The projection is current whenever an operation returns, since each one awaited its commit.
 */
export function listSets(db: Database, projectId: string, includeTrashed: boolean): SetInfo[] {
  const rows = db
    .prepare<[string], SetRow>(
      `SELECT s.id, s.project_id, s.name, s.description, s.dependencies, s.deleted_at,
              (SELECT count(*) FROM prompts p WHERE p.set_id = s.id) AS prompt_count
       FROM sets s WHERE s.project_id = ? ORDER BY s.name, s.id`,
    )
    .all(projectId);
  return rows
    .filter((r) => includeTrashed || r.deleted_at === null)
    .map((r) => ({
      id: r.id,
      projectId: r.project_id,
      name: r.name,
      description: r.description,
      dependencies: JSON.parse(r.dependencies) as Dependencies,
      promptCount: r.prompt_count,
      deletedAt: r.deleted_at,
      trashed: r.deleted_at !== null,
    }));
}
