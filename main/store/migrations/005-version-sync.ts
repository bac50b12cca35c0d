import type { Migration } from './types';

/**
 * Versions and the sync server: which local versions the server accepted, and the team's versions.
 *
 * Every version row stays immutable and nothing is ever deleted, so no version can be lost:
 *
 * - `versions` (003) keeps the versions saved here, UNIQUE (set_id, version) as before.
 * - `version_sync` is the changing part, one row per local version of a synced project: `pending` (the
 *   server has not accepted it yet), `accepted` (with the server's `seq`), `clash` (someone else's version
 *   with that number reached the server first: `clash` holds who and when), `replaced` (the author chose
 *   another number: `replaced_by` is the copy saved under it, which is pending in turn). A local version
 *   with no row here is `local` if its project is not synced, and counts as pending once it is (`run`
 *   writes its row before proposing it, in save order by `queued_at`).
 * - `team_versions` keeps the versions others saved, as the server accepted them (immutable too, triggers as
 *   for `versions`). Kept apart from `versions`: a team version may carry the number of a local one in clash,
 *   which UNIQUE (set_id, version) there must keep refusing for saves made here.
 * - `version_sync_projects`: the projects whose versions are synced, with the cursor (`after`, the server's
 *   last `seq` seen) from which the team's versions are pulled.
 */
export const m005VersionSync: Migration = {
  version: 5,
  name: 'version sync: pending, accepted and clashing versions, the team versions',
  up(db) {
    db.exec(`
      CREATE TABLE version_sync (
        version_id  TEXT PRIMARY KEY,
        project_id  TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'clash', 'replaced')),
        queued_at   INTEGER NOT NULL,
        server_seq  INTEGER,
        clash       TEXT CHECK (clash IS NULL OR json_valid(clash)),
        replaced_by TEXT,
        last_error  TEXT,
        updated_at  INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX version_sync_by_state ON version_sync(state, project_id, queued_at);

      CREATE TABLE team_versions (
        id            TEXT PRIMARY KEY,
        project_id    TEXT NOT NULL,
        set_id        TEXT NOT NULL,
        version       TEXT NOT NULL,
        changelog     TEXT NOT NULL,
        author        TEXT NOT NULL,
        created_at    INTEGER NOT NULL,
        content_hash  TEXT NOT NULL CHECK (content_hash GLOB 'sha256-*'),
        change_class  TEXT NOT NULL CHECK (change_class IN ('major', 'minor', 'patch', 'none')),
        override      TEXT,
        content       TEXT NOT NULL CHECK (json_valid(content)),
        seq           INTEGER NOT NULL,
        accepted_from TEXT NOT NULL,
        accepted_at   INTEGER NOT NULL,
        UNIQUE (set_id, version)
      ) STRICT;
      CREATE INDEX team_versions_by_set_time ON team_versions(set_id, created_at);
      CREATE TRIGGER team_versions_immutable_update BEFORE UPDATE ON team_versions
      BEGIN SELECT RAISE(ABORT, 'version_immutable: a team version cannot be changed'); END;
      CREATE TRIGGER team_versions_immutable_delete BEFORE DELETE ON team_versions
      BEGIN SELECT RAISE(ABORT, 'version_immutable: a team version cannot be deleted'); END;

      CREATE TABLE version_sync_projects (
        project_id TEXT PRIMARY KEY,
        after      INTEGER NOT NULL DEFAULT 0 CHECK (after >= 0),
        since      INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
