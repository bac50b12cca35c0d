import type { Database, Statement } from 'better-sqlite3';
import type { ParameterRow, ProjectRow, PromptRow, SetRow } from './rows';

/** What the projector reads back of a prompt to decide whether it changed. */
export interface StoredPrompt {
  key: number;
  id: string;
  content_hash: string;
  params_hash: string;
}

/** Prepared once per database (better-sqlite3 statements are bound to their connection). */
export interface ProjectionStatements {
  getProject: Statement<[string], ProjectRow>;
  upsertProject: Statement<[ProjectRow & { updated_at: number }]>;
  getSet: Statement<[string], SetRow>;
  upsertSet: Statement<[SetRow & { updated_at: number }]>;
  touchSet: Statement<[number, string]>;
  promptsOfSet: Statement<[string], StoredPrompt>;
  getPrompt: Statement<[string, string], StoredPrompt>;
  insertPrompt: Statement<[PromptRow & { updated_at: number }]>;
  updatePrompt: Statement<[PromptRow & { key: number; updated_at: number }]>;
  deletePrompt: Statement<[number]>;
  deleteParams: Statement<[string, string]>;
  insertParam: Statement<[ParameterRow]>;
  readCommits: Statement<[], { commits: number }>;
  bumpCommits: Statement<[]>;
}

const cache = new WeakMap<Database, ProjectionStatements>();

export function statements(db: Database): ProjectionStatements {
  let s = cache.get(db);
  if (!s) {
    s = prepare(db);
    cache.set(db, s);
  }
  return s;
}

function prepare(db: Database): ProjectionStatements {
  return {
    getProject: db.prepare('SELECT id, name, description, edit_mode, deleted_at FROM projects WHERE id = ?'),
    upsertProject: db.prepare(`
      INSERT INTO projects (id, name, description, edit_mode, deleted_at, updated_at)
      VALUES (@id, @name, @description, @edit_mode, @deleted_at, @updated_at)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,
        edit_mode = excluded.edit_mode, deleted_at = excluded.deleted_at, updated_at = excluded.updated_at`),
    getSet: db.prepare('SELECT id, project_id, name, description, dependencies, deleted_at FROM sets WHERE id = ?'),
    upsertSet: db.prepare(`
      INSERT INTO sets (id, project_id, name, description, dependencies, deleted_at, updated_at)
      VALUES (@id, @project_id, @name, @description, @dependencies, @deleted_at, @updated_at)
      ON CONFLICT (id) DO UPDATE SET project_id = excluded.project_id, name = excluded.name,
        description = excluded.description, dependencies = excluded.dependencies,
        deleted_at = excluded.deleted_at, updated_at = excluded.updated_at`),
    touchSet: db.prepare('UPDATE sets SET updated_at = ? WHERE id = ?'),
    promptsOfSet: db.prepare('SELECT key, id, content_hash, params_hash FROM prompts WHERE set_id = ?'),
    getPrompt: db.prepare('SELECT key, id, content_hash, params_hash FROM prompts WHERE set_id = ? AND id = ?'),
    insertPrompt: db.prepare(`
      INSERT INTO prompts (id, set_id, name, kind, description, body, model, metadata, content_hash, params_hash, updated_at)
      VALUES (@id, @set_id, @name, @kind, @description, @body, @model, @metadata, @content_hash, @params_hash, @updated_at)`),
    updatePrompt: db.prepare(`
      UPDATE prompts SET name = @name, kind = @kind, description = @description, body = @body, model = @model,
        metadata = @metadata, content_hash = @content_hash, params_hash = @params_hash, updated_at = @updated_at
      WHERE key = @key`),
    deletePrompt: db.prepare('DELETE FROM prompts WHERE key = ?'),
    deleteParams: db.prepare('DELETE FROM parameters WHERE set_id = ? AND prompt_id = ?'),
    insertParam: db.prepare(`
      INSERT INTO parameters (set_id, prompt_id, name, position, type, required, default_value, description)
      VALUES (@set_id, @prompt_id, @name, @position, @type, @required, @default_value, @description)`),
    readCommits: db.prepare('SELECT commits FROM projection_state WHERE id = 1'),
    bumpCommits: db.prepare('UPDATE projection_state SET commits = commits + 1 WHERE id = 1'),
  };
}
