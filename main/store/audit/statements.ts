import type { Database, Statement } from 'better-sqlite3';

/**
 * The audit statements, prepared once per database: the recorder runs inside every group commit, and
 * preparing costs more than running these one-row statements.
 */
export interface AuditStatements {
  insert: Statement<[number, string, string, string, string, string | null, string | null, string]>;
  lastOfEntity: Statement<
    [string],
    { id: number; at: number; actor: string; action: string; after_hash: string | null }
  >;
  extendEdit: Statement<[string, number, number]>;
  getState: Statement<[string, string], { hash: string }>;
  putState: Statement<[string, string, string]>;
  dropState: Statement<[string, string]>;
  statesOfSet: Statement<[string], string>;
}

const cache = new WeakMap<Database, AuditStatements>();

export function auditStatements(db: Database): AuditStatements {
  let s = cache.get(db);
  if (!s) {
    s = {
      insert: db.prepare(
        `INSERT INTO audit (at, actor, action, entity_kind, entity_id, before_hash, after_hash, details)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      lastOfEntity: db.prepare(
        'SELECT id, at, actor, action, after_hash FROM audit WHERE entity_id = ? ORDER BY id DESC LIMIT 1',
      ),
      extendEdit: db.prepare(
        `UPDATE audit SET after_hash = ?,
           details = json_set(details, '$.commits', coalesce(json_extract(details, '$.commits'), 1) + 1, '$.lastAt', ?)
         WHERE id = ?`,
      ),
      getState: db.prepare('SELECT hash FROM audit_prompt_state WHERE set_id = ? AND prompt_id = ?'),
      putState: db.prepare('INSERT OR REPLACE INTO audit_prompt_state (set_id, prompt_id, hash) VALUES (?, ?, ?)'),
      dropState: db.prepare('DELETE FROM audit_prompt_state WHERE set_id = ? AND prompt_id = ?'),
      statesOfSet: db.prepare<[string], string>('SELECT prompt_id FROM audit_prompt_state WHERE set_id = ?').pluck(),
    };
    cache.set(db, s);
  }
  return s;
}
