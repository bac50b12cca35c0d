import type { Database } from 'better-sqlite3';

/** The team versions database inside a server data folder. */
export const VERSIONS_FILE = 'versions.db';

export interface VersionsMigration {
  version: number;
  name: string;
  up(db: Database): void;
}

/**
 * `versions`: one immutable row per accepted version. `seq` is the server's order of acceptance (the cursor
 * studios page with); `id` is the studio's id (a retry finds its row); a number is unique per project and set
 * (the first to arrive keeps it). Triggers refuse UPDATE and DELETE: an accepted version is never rewritten,
 * by a bug or by hand. Times are ISO strings, as the API carries them.
 */
export const VERSIONS_MIGRATIONS: readonly VersionsMigration[] = [
  {
    version: 1,
    name: 'versions',
    up(db) {
      db.exec(`
        CREATE TABLE versions (
          seq           INTEGER PRIMARY KEY,
          id            TEXT NOT NULL,
          project_id    TEXT NOT NULL,
          set_id        TEXT NOT NULL,
          version       TEXT NOT NULL,
          changelog     TEXT NOT NULL,
          author        TEXT NOT NULL,
          created_at    TEXT NOT NULL,
          content_hash  TEXT NOT NULL,
          change_class  TEXT NOT NULL CHECK (change_class IN ('major', 'minor', 'patch', 'none')),
          override      TEXT,
          content       TEXT NOT NULL,
          accepted_from TEXT NOT NULL,
          accepted_at   TEXT NOT NULL,
          UNIQUE (id),
          UNIQUE (project_id, set_id, version)
        ) STRICT;
        CREATE INDEX versions_by_project ON versions(project_id, seq);
        CREATE TRIGGER versions_immutable_update BEFORE UPDATE ON versions
        BEGIN SELECT RAISE(ABORT, 'version_immutable: an accepted version cannot be changed'); END;
        CREATE TRIGGER versions_immutable_delete BEFORE DELETE ON versions
        BEGIN SELECT RAISE(ABORT, 'version_immutable: an accepted version cannot be deleted'); END;
      `);
    },
  },
];
