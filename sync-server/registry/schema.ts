import type { Database } from 'better-sqlite3';

/** The registry database inside a server data folder (bundles live beside it in `bundles/`). */
export const REGISTRY_FILE = 'registry.db';

export interface RegistryMigration {
  version: number;
  name: string;
  up(db: Database): void;
}

// Every column of `versions` but `deprecated`: the trigger compares them so that a deprecation (the only
// change a published version may see) passes and anything else, by a bug or by hand, is refused.
const FROZEN_VERSION_COLUMNS = [
  'id',
  'name',
  'version',
  'integrity',
  'size',
  'published_at',
  'published_by',
  'author',
  'changelog',
  'change_class',
  'override',
  'description',
  'dependencies',
  'prompts',
  'search_text',
  'team_version_id',
];

/**
 * - `packages`: a name bound to the (project, set) that first published it; `revision` moves with every change
 *   to what its metadata shows, so each process's cached metadata bytes know when they are stale.
 * - `versions`: one row per published (name, version), written once (UNIQUE; triggers refuse DELETE and any
 *   UPDATE but of `deprecated`). `prompts` is `[{ name, description }]` of the bundle, for listings;
 *   `search_text` the lowercased package name, set description and prompt names and descriptions, for search.
 * - `dist_tags`, `edit_modes`, `reviews`, `review_comments`.
 * - `events`: the update feed; the AUTOINCREMENT id is the resume cursor and is never reused.
 * - (2) `experiments`: a package's A/B tests, one row each with its current definition (canonical JSON of the
 *   `Experiment`, `definition_version` its `version`); a partial unique index keeps one running experiment per
 *   prompt; `event_id` is the feed event of its current definition (the latest stopped experiment of a prompt
 *   is the one with the highest). `experiment_definitions`: every definition version ever written, with the feed event that announced
 *   it, inserted once and never changed or deleted (triggers), so an audit row or a lock file naming
 *   `(package, id, version)` can always be read back.
 * Times are ISO strings, as the API carries them.
 */
export const REGISTRY_MIGRATIONS: readonly RegistryMigration[] = [
  {
    version: 1,
    name: 'registry',
    up(db) {
      db.exec(`
        CREATE TABLE packages (
          name        TEXT PRIMARY KEY,
          project_id  TEXT NOT NULL,
          set_id      TEXT NOT NULL,
          created_at  TEXT NOT NULL,
          modified_at TEXT NOT NULL,
          revision    INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE INDEX packages_by_set ON packages(project_id, set_id);

        CREATE TABLE versions (
          id              INTEGER PRIMARY KEY,
          name            TEXT NOT NULL REFERENCES packages(name),
          version         TEXT NOT NULL,
          integrity       TEXT NOT NULL,
          size            INTEGER NOT NULL,
          published_at    TEXT NOT NULL,
          published_by    TEXT NOT NULL,
          author          TEXT NOT NULL,
          changelog       TEXT NOT NULL,
          change_class    TEXT NOT NULL CHECK (change_class IN ('major', 'minor', 'patch', 'none')),
          override        TEXT,
          description     TEXT NOT NULL,
          dependencies    TEXT NOT NULL,
          prompts         TEXT NOT NULL,
          search_text     TEXT NOT NULL,
          team_version_id TEXT NOT NULL,
          deprecated      TEXT,
          UNIQUE (name, version)
        ) STRICT;
        CREATE TRIGGER versions_immutable_delete BEFORE DELETE ON versions
        BEGIN SELECT RAISE(ABORT, 'version_immutable: a published version cannot be deleted'); END;
        CREATE TRIGGER versions_immutable_update BEFORE UPDATE ON versions
        WHEN ${FROZEN_VERSION_COLUMNS.map((c) => `NEW.${c} IS NOT OLD.${c}`).join(' OR ')}
        BEGIN SELECT RAISE(ABORT, 'version_immutable: a published version can only be deprecated'); END;

        CREATE TABLE dist_tags (
          name       TEXT NOT NULL REFERENCES packages(name),
          tag        TEXT NOT NULL,
          version    TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          PRIMARY KEY (name, tag),
          FOREIGN KEY (name, version) REFERENCES versions(name, version)
        ) STRICT;

        CREATE TABLE events (
          id         INTEGER PRIMARY KEY AUTOINCREMENT,
          type       TEXT NOT NULL CHECK (type IN ('publish', 'dist-tag', 'deprecate')),
          name       TEXT NOT NULL,
          project_id TEXT NOT NULL,
          set_id     TEXT NOT NULL,
          payload    TEXT NOT NULL,
          at         TEXT NOT NULL
        ) STRICT;
        CREATE INDEX events_by_project ON events(project_id, id);

        CREATE TABLE edit_modes (
          project_id TEXT PRIMARY KEY,
          mode       TEXT NOT NULL CHECK (mode IN ('open', 'review', 'locked')),
          updated_at TEXT NOT NULL,
          updated_by TEXT NOT NULL
        ) STRICT;

        CREATE TABLE reviews (
          id            TEXT PRIMARY KEY,
          project_id    TEXT NOT NULL,
          set_id        TEXT NOT NULL,
          name          TEXT NOT NULL,
          version       TEXT NOT NULL,
          version_id    TEXT NOT NULL,
          author_id     TEXT NOT NULL,
          author_name   TEXT NOT NULL,
          state         TEXT NOT NULL
                        CHECK (state IN ('open', 'changes_requested', 'approved', 'rejected', 'withdrawn')),
          created_at    TEXT NOT NULL,
          updated_at    TEXT NOT NULL,
          base_version  TEXT,
          notes         TEXT NOT NULL,
          override      TEXT,
          decided_by    TEXT,
          decided_at    TEXT,
          decision_note TEXT
        ) STRICT;
        CREATE INDEX reviews_by_project ON reviews(project_id, state, created_at);
        CREATE INDEX reviews_by_version ON reviews(project_id, set_id, version);

        CREATE TABLE review_comments (
          seq         INTEGER PRIMARY KEY,
          id          TEXT NOT NULL UNIQUE,
          review_id   TEXT NOT NULL REFERENCES reviews(id),
          author_id   TEXT NOT NULL,
          author_name TEXT NOT NULL,
          body        TEXT NOT NULL,
          anchor      TEXT,
          created_at  TEXT NOT NULL
        ) STRICT;
        CREATE INDEX review_comments_by_review ON review_comments(review_id, seq);
      `);
    },
  },
  {
    version: 2,
    name: 'experiments',
    up(db) {
      // `events.type` gains 'experiment': SQLite cannot alter a CHECK, so the table is rebuilt with the same
      // rows and ids, and its AUTOINCREMENT counter carried over (an id is never reused, even one never kept).
      const seq = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'events'").get()?.seq;
      db.exec(`
        CREATE TABLE events_v2 (
          id         INTEGER PRIMARY KEY AUTOINCREMENT,
          type       TEXT NOT NULL CHECK (type IN ('publish', 'dist-tag', 'deprecate', 'experiment')),
          name       TEXT NOT NULL,
          project_id TEXT NOT NULL,
          set_id     TEXT NOT NULL,
          payload    TEXT NOT NULL,
          at         TEXT NOT NULL
        ) STRICT;
        INSERT INTO events_v2 (id, type, name, project_id, set_id, payload, at)
          SELECT id, type, name, project_id, set_id, payload, at FROM events ORDER BY id;
        DROP TABLE events;
        ALTER TABLE events_v2 RENAME TO events;
        CREATE INDEX events_by_project ON events(project_id, id);

        CREATE TABLE experiments (
          name               TEXT NOT NULL REFERENCES packages(name),
          id                 TEXT NOT NULL,
          prompt             TEXT NOT NULL,
          definition         TEXT NOT NULL,
          definition_version INTEGER NOT NULL CHECK (definition_version >= 1),
          status             TEXT NOT NULL CHECK (status IN ('running', 'stopped')),
          created_at         TEXT NOT NULL,
          created_by         TEXT NOT NULL,
          updated_at         TEXT NOT NULL,
          updated_by         TEXT NOT NULL,
          event_id           INTEGER NOT NULL,
          PRIMARY KEY (name, id)
        ) STRICT;
        CREATE UNIQUE INDEX experiments_one_running ON experiments(prompt) WHERE status = 'running';

        CREATE TABLE experiment_definitions (
          name               TEXT NOT NULL,
          id                 TEXT NOT NULL,
          definition_version INTEGER NOT NULL,
          definition         TEXT NOT NULL,
          status             TEXT NOT NULL CHECK (status IN ('running', 'stopped')),
          created_at         TEXT NOT NULL,
          created_by         TEXT NOT NULL,
          event_id           INTEGER NOT NULL,
          PRIMARY KEY (name, id, definition_version),
          FOREIGN KEY (name, id) REFERENCES experiments(name, id)
        ) STRICT;
        CREATE TRIGGER experiment_definitions_immutable_delete BEFORE DELETE ON experiment_definitions
        BEGIN SELECT RAISE(ABORT, 'definition_immutable: an experiment definition cannot be deleted'); END;
        CREATE TRIGGER experiment_definitions_immutable_update BEFORE UPDATE ON experiment_definitions
        BEGIN SELECT RAISE(ABORT, 'definition_immutable: an experiment definition cannot be changed'); END;
      `);
      if (seq !== undefined) db.prepare("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'events'").run(seq);
    },
  },
];
