import type { Database } from 'better-sqlite3';

/** The accounts database's name inside a server data folder (the server and the admin CLI open the same file). */
export const ACCOUNTS_FILE = 'accounts.db';

/** One forward-only schema step; `version` is its position (1, 2, …) and ends up in PRAGMA user_version. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

/**
 * The accounts database (`accounts.db` in the server's data folder), kept apart from the documents so the
 * secrets-bearing tables can be backed up, inspected and permissioned on their own.
 *
 * - `accounts`: names are what people type (`anvil user role alice …`); ids are what everything else keeps.
 * - `roles`: one row per account and project; no row means no access (projects are private by default).
 * - `tokens`: only the SHA-256 of each token is stored; the token itself is shown once and never kept.
 * - `audit`: append-only. Triggers refuse UPDATE and DELETE, like the versions table of the local store, so
 *   neither a bug nor a hand-run statement can rewrite history. `details` never holds a token.
 * - `meta`: facts about the store itself (whether the first-start admin was made).
 * Times are ms since epoch.
 */
export const ACCOUNT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts, roles, tokens, audit',
    up(db) {
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
        CREATE TABLE accounts (
          id           TEXT PRIMARY KEY,
          name         TEXT NOT NULL UNIQUE,
          server_admin INTEGER NOT NULL CHECK (server_admin IN (0, 1)),
          created_at   INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE roles (
          account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
          project_id TEXT NOT NULL,
          role       TEXT NOT NULL CHECK (role IN ('admin', 'context_engineer', 'viewer')),
          granted_at INTEGER NOT NULL,
          PRIMARY KEY (account_id, project_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX roles_by_project ON roles(project_id);
        CREATE TABLE tokens (
          id           TEXT PRIMARY KEY,
          account_id   TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
          hash         TEXT NOT NULL UNIQUE,
          created_at   INTEGER NOT NULL,
          expires_at   INTEGER,
          revoked_at   INTEGER,
          last_used_at INTEGER
        ) STRICT;
        CREATE INDEX tokens_by_account ON tokens(account_id);
        CREATE TABLE audit (
          id          INTEGER PRIMARY KEY,
          at          INTEGER NOT NULL,
          actor       TEXT NOT NULL,
          action      TEXT NOT NULL,
          entity_kind TEXT NOT NULL,
          entity_id   TEXT NOT NULL,
          details     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
        ) STRICT;
        CREATE INDEX audit_by_entity ON audit(entity_id, at);
        CREATE INDEX audit_by_actor ON audit(actor, at);
        CREATE INDEX audit_by_time ON audit(at);
        CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit_immutable: an audit row cannot be changed'); END;
        CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit_immutable: an audit row cannot be deleted'); END;
      `);
    },
  },
  {
    version: 2,
    name: 'projects registry',
    // Projects a studio registered through the API (`POST /api/projects`): their display name and who made them.
    // Older data knows projects only as role rows; those still count as registered (see `projectExists`).
    up(db) {
      db.exec(`
        CREATE TABLE projects (
          id         TEXT PRIMARY KEY,
          name       TEXT NOT NULL,
          created_by TEXT NOT NULL,
          created_at INTEGER NOT NULL
        ) STRICT;
      `);
    },
  },
];
