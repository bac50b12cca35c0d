import type { Migration } from './types';

/**
 * Versions, draft snapshots and the audit log: the history of a workspace, as opposed to its drafts.
 *
 * `versions` rows are immutable. Triggers refuse UPDATE and DELETE, so not even a bug in our own code (or a
 * hand-run statement) can rewrite a version that may already be published or pinned in a lock file.
 * `content` is the canonical JSON of the frozen `PromptSetContent`; `content_hash` is `sha256-<hex>` of it.
 * `set_id` carries no foreign key: versions outlive the projection rows of their set (which are rebuilt).
 * `created_at` is ms since epoch (sortable); the API speaks ISO strings.
 *
 * `draft_snapshots` keeps a draft before something overwrites it (restoring a version), so it is never lost.
 *
 * `audit` records who did what to which entity, with content hashes before and after. Edits of a prompt are
 * coalesced per actor and minute into one row whose `after_hash` moves on (see `audit/edits.ts`), so audit
 * rows are not immutable. `audit_prompt_state` holds the last committed hash of each draft prompt: the
 * "before" of the next edit, kept in the same transaction as the documents so it cannot drift from them.
 */
export const m003VersionsAudit: Migration = {
  version: 3,
  name: 'versions, draft snapshots and the audit log',
  up(db) {
    db.exec(`
      CREATE TABLE versions (
        id           TEXT PRIMARY KEY,
        set_id       TEXT NOT NULL,
        version      TEXT NOT NULL,
        changelog    TEXT NOT NULL,
        author       TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        content_hash TEXT NOT NULL CHECK (content_hash GLOB 'sha256-*'),
        change_class TEXT NOT NULL CHECK (change_class IN ('major', 'minor', 'patch', 'none')),
        override     TEXT,
        content      TEXT NOT NULL CHECK (json_valid(content)),
        UNIQUE (set_id, version)
      ) STRICT;
      CREATE INDEX versions_by_set_time ON versions(set_id, created_at);
      CREATE TRIGGER versions_immutable_update BEFORE UPDATE ON versions
      BEGIN SELECT RAISE(ABORT, 'version_immutable: a saved version cannot be changed'); END;
      CREATE TRIGGER versions_immutable_delete BEFORE DELETE ON versions
      BEGIN SELECT RAISE(ABORT, 'version_immutable: a saved version cannot be deleted'); END;

      CREATE TABLE draft_snapshots (
        id           TEXT PRIMARY KEY,
        set_id       TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        actor        TEXT NOT NULL,
        reason       TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        content      TEXT NOT NULL CHECK (json_valid(content))
      ) STRICT;
      CREATE INDEX draft_snapshots_by_set ON draft_snapshots(set_id, created_at);

      CREATE TABLE audit (
        id          INTEGER PRIMARY KEY,
        at          INTEGER NOT NULL,
        actor       TEXT NOT NULL,
        action      TEXT NOT NULL,
        entity_kind TEXT NOT NULL,
        entity_id   TEXT NOT NULL,
        before_hash TEXT,
        after_hash  TEXT,
        details     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
      ) STRICT;
      CREATE INDEX audit_by_entity ON audit(entity_id, id);
      CREATE INDEX audit_by_time ON audit(at);

      CREATE TABLE audit_prompt_state (
        set_id    TEXT NOT NULL,
        prompt_id TEXT NOT NULL,
        hash      TEXT NOT NULL,
        PRIMARY KEY (set_id, prompt_id)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
