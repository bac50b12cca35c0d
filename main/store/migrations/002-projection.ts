import type { Migration } from './types';

/**
 * The relational projection of the Yjs drafts (for listing) and its FTS5 search index. Nothing here is a
 * source of truth: `main/store/projection/` writes these rows in the same transaction as the document
 * updates, and `rebuildProjection` can recompute them all from the documents.
 *
 * Keys are document and prompt ids, never names (names are attributes that can change and clash).
 * `sets.project_id` has no foreign key on purpose: sync can deliver a set's document before its project's,
 * and the set must still be listed and searchable (its project name reads as '' until the project arrives).
 *
 * Search: `prompt_fts` is an external-content FTS5 table over the view `prompt_search`, so prompt text is
 * stored once. The projector keeps it in step explicitly: it removes a row from the index with the view's
 * values before a change that alters them and indexes the row again after (`projection/fts.ts`).
 *   - columns: name, description, body (all template sources), set_name, project_name for context, and
 *     `scope`: tokens `s<hex(set id)>`, `p<hex(project id)>` and `trashed`, so the set/project filters and the
 *     trash exclusion are evaluated inside the index (and capped ranking stays exact under filters). Each
 *     scope token starts with U+E000 (private use: a token character for unicode61), which the query
 *     builder strips from user words, so no user word can match one and user words need no column filter
 *     (a column filter makes FTS5 read position lists: +50% on a word found in most prompts).
 *   - tokenizer: unicode61 with `_` as a token character, so `user_name` is one token (`user*` finds it);
 *     no porter stemming, because stemmed index terms break prefix matching while typing ("summariz*").
 *   - prefix indexes for 2 and 3 characters: as-you-type queries are prefix queries on the last word.
 *   - ranking: bm25 with per-column weights, chosen in `search/search.ts`.
 */
export const m002Projection: Migration = {
  version: 2,
  name: 'projection of drafts: projects, sets, prompts, parameters and FTS5 search',
  up(db) {
    db.exec(`
      CREATE TABLE projects (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        description TEXT NOT NULL,
        edit_mode   TEXT NOT NULL,
        deleted_at  INTEGER,
        updated_at  INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE sets (
        id           TEXT PRIMARY KEY,
        project_id   TEXT NOT NULL,
        name         TEXT NOT NULL,
        description  TEXT NOT NULL,
        dependencies TEXT NOT NULL,
        deleted_at   INTEGER,
        updated_at   INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX sets_by_project ON sets(project_id);

      -- key: the integer rowid the FTS index refers to. content_hash/params_hash fingerprint what was
      -- projected, so a commit that left a prompt unchanged costs one comparison, not a rewrite.
      CREATE TABLE prompts (
        key          INTEGER PRIMARY KEY,
        id           TEXT NOT NULL,
        set_id       TEXT NOT NULL REFERENCES sets(id) ON DELETE CASCADE,
        name         TEXT NOT NULL,
        kind         TEXT NOT NULL,
        description  TEXT NOT NULL,
        body         TEXT NOT NULL,
        model        TEXT,
        metadata     TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        params_hash  TEXT NOT NULL,
        updated_at   INTEGER NOT NULL,
        UNIQUE (set_id, id)
      ) STRICT;

      -- type and default_value hold JSON; default_value is NULL when the parameter has no default.
      CREATE TABLE parameters (
        set_id        TEXT NOT NULL,
        prompt_id     TEXT NOT NULL,
        name          TEXT NOT NULL,
        position      INTEGER NOT NULL,
        type          TEXT NOT NULL,
        required      INTEGER NOT NULL CHECK (required IN (0, 1)),
        default_value TEXT,
        description   TEXT NOT NULL,
        PRIMARY KEY (set_id, prompt_id, name),
        FOREIGN KEY (set_id, prompt_id) REFERENCES prompts(set_id, id) ON DELETE CASCADE
      ) STRICT;

      CREATE VIEW prompt_search AS
      SELECT p.key, p.set_id, s.project_id, p.name, p.description, p.body,
             s.name AS set_name,
             coalesce(pr.name, '') AS project_name,
             char(57344) || 's' || hex(s.id) || ' ' || char(57344) || 'p' || hex(s.project_id) ||
               CASE WHEN s.deleted_at IS NOT NULL OR pr.deleted_at IS NOT NULL THEN ' ' || char(57344) || 'trashed' ELSE '' END AS scope
      FROM prompts p
      JOIN sets s ON s.id = p.set_id
      LEFT JOIN projects pr ON pr.id = s.project_id;

      CREATE VIRTUAL TABLE prompt_fts USING fts5(
        name, description, body, set_name, project_name, scope,
        content = 'prompt_search', content_rowid = 'key',
        tokenize = "unicode61 remove_diacritics 2 tokenchars '_'",
        prefix = '2 3'
      );
      -- commits: counts projector commits; a projector that finds another count than the one it wrote knows
      -- its last transaction rolled back (or someone rebuilt) and reconciles documents in full.
      -- version: the projection code's PROJECTION_VERSION the rows were built with; 0 = never built, so a
      -- workspace migrated from before this step (documents, no rows) is rebuilt from its documents at open.
      CREATE TABLE projection_state (
        id      INTEGER PRIMARY KEY CHECK (id = 1),
        commits INTEGER NOT NULL,
        version INTEGER NOT NULL
      ) STRICT;
      INSERT INTO projection_state (id, commits, version) VALUES (1, 0, 0);

    `);
  },
};
