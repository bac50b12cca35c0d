import type { Database as Db } from 'better-sqlite3';
import type { Migration } from '../storage/open-migrated';
import { openMigratedDb } from '../storage/open-migrated';
import { fillDailyRollups } from './rollup';

/** The usage database inside a server data folder. */
export const USAGE_FILE = 'usage.db';

/**
 * - `events`: every accepted event as sent (raw), kept for the retention then pruned by `at`. Its primary key is
 *   the event id: a re-sent batch finds its events there and is not counted twice. Events older than the
 *   retention are refused at ingestion, so a pruned id can never be counted again.
 * - `rollups`: one row per project, hour (ms at the start of the UTC hour), package, prompt, version, experiment,
 *   variant, model and error code, updated in the same transaction as the raw insert. Dimensions that are null in the
 *   event are '' here, so the primary key really is unique (SQLite keys treat NULLs as distinct). `latency` is a
 *   sparse histogram as text (`histogram.ts`); `cost_nusd` is USD × 1e9 as an integer, so sums are exact; `metrics` is
 *   JSON `{ name: [sum, count, sumSquares] }` of the outcome metrics.
 * - `drops`: events SDKs reported they had to drop (spool full), per hour, account and client.
 *
 * Migration 2 adds the experiment id beside the variant key (variant keys are unique within one experiment only,
 * and two experiments of one prompt may run at once): a nullable `events.experiment`, and `rollups` rebuilt with
 * `experiment` in its primary key, its rows copied with experiment '' (events before it carried none).
 *
 * Migration 3 adds `rollups_daily`: the same columns and key as `rollups` with `day` (ms at the start of the UTC
 * day) for `hour`, each row the sum of its day's hourly rows of the same key, filled from the hourly rows here
 * (`fillDailyRollups`) and upserted beside them by every ingestion transaction after. Queries read whole days of a
 * range from it (24 times fewer rows) and the partial-day edges from `rollups`. Nothing deletes rollups; whatever
 * ever prunes them must prune a day's daily rows only once every hour of that day is pruned.
 */
export const USAGE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    up(db) {
      db.exec(`
        CREATE TABLE events (
          id               TEXT PRIMARY KEY,
          type             TEXT NOT NULL,
          at               INTEGER NOT NULL,
          received_at      INTEGER NOT NULL,
          project_id       TEXT NOT NULL,
          account_id       TEXT NOT NULL,
          name             TEXT NOT NULL,
          prompt           TEXT NOT NULL,
          version          TEXT,
          variant          TEXT,
          model            TEXT,
          error            TEXT,
          latency_ms       REAL,
          input_tokens     INTEGER,
          output_tokens    INTEGER,
          model_latency_ms REAL,
          cost_usd         REAL,
          fallback         INTEGER,
          render_id        TEXT,
          metrics          TEXT,
          params           TEXT
        ) STRICT;
        CREATE INDEX events_by_at ON events(at);

        CREATE TABLE rollups (
          project_id    TEXT NOT NULL,
          hour          INTEGER NOT NULL,
          name          TEXT NOT NULL,
          prompt        TEXT NOT NULL,
          version       TEXT NOT NULL,
          variant       TEXT NOT NULL,
          model         TEXT NOT NULL,
          error         TEXT NOT NULL,
          renders       INTEGER NOT NULL,
          errors        INTEGER NOT NULL,
          fallbacks     INTEGER NOT NULL,
          latency       TEXT,
          input_tokens  INTEGER NOT NULL,
          output_tokens INTEGER NOT NULL,
          cost_nusd     INTEGER NOT NULL,
          outcomes      INTEGER NOT NULL,
          metrics       TEXT,
          PRIMARY KEY (project_id, hour, name, prompt, version, variant, model, error)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX rollups_by_name ON rollups(name, hour);

        CREATE TABLE drops (
          hour       INTEGER NOT NULL,
          account_id TEXT NOT NULL,
          client     TEXT NOT NULL,
          dropped    INTEGER NOT NULL,
          PRIMARY KEY (hour, account_id, client)
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
  {
    version: 2,
    up(db) {
      // SQLite cannot change a primary key: `rollups` is rebuilt with the same rows under the new key, where no
      // two of them can collide (every copied row has experiment '').
      db.exec(`
        ALTER TABLE events ADD COLUMN experiment TEXT;

        CREATE TABLE rollups_v2 (
          project_id    TEXT NOT NULL,
          hour          INTEGER NOT NULL,
          name          TEXT NOT NULL,
          prompt        TEXT NOT NULL,
          version       TEXT NOT NULL,
          experiment    TEXT NOT NULL,
          variant       TEXT NOT NULL,
          model         TEXT NOT NULL,
          error         TEXT NOT NULL,
          renders       INTEGER NOT NULL,
          errors        INTEGER NOT NULL,
          fallbacks     INTEGER NOT NULL,
          latency       TEXT,
          input_tokens  INTEGER NOT NULL,
          output_tokens INTEGER NOT NULL,
          cost_nusd     INTEGER NOT NULL,
          outcomes      INTEGER NOT NULL,
          metrics       TEXT,
          PRIMARY KEY (project_id, hour, name, prompt, version, experiment, variant, model, error)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO rollups_v2 (project_id, hour, name, prompt, version, experiment, variant, model, error, renders,
            errors, fallbacks, latency, input_tokens, output_tokens, cost_nusd, outcomes, metrics)
          SELECT project_id, hour, name, prompt, version, '', variant, model, error, renders, errors, fallbacks,
            latency, input_tokens, output_tokens, cost_nusd, outcomes, metrics
          FROM rollups;
        DROP TABLE rollups;
        ALTER TABLE rollups_v2 RENAME TO rollups;
        CREATE INDEX rollups_by_name ON rollups(name, hour);
      `);
    },
  },
  {
    version: 3,
    up(db) {
      db.exec(`
        CREATE TABLE rollups_daily (
          project_id    TEXT NOT NULL,
          day           INTEGER NOT NULL,
          name          TEXT NOT NULL,
          prompt        TEXT NOT NULL,
          version       TEXT NOT NULL,
          experiment    TEXT NOT NULL,
          variant       TEXT NOT NULL,
          model         TEXT NOT NULL,
          error         TEXT NOT NULL,
          renders       INTEGER NOT NULL,
          errors        INTEGER NOT NULL,
          fallbacks     INTEGER NOT NULL,
          latency       TEXT,
          input_tokens  INTEGER NOT NULL,
          output_tokens INTEGER NOT NULL,
          cost_nusd     INTEGER NOT NULL,
          outcomes      INTEGER NOT NULL,
          metrics       TEXT,
          PRIMARY KEY (project_id, day, name, prompt, version, experiment, variant, model, error)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX rollups_daily_by_name ON rollups_daily(name, day);
      `);
      fillDailyRollups(db);
    },
  },
];

/** The usage database (`openMigratedDb`): an event answered "accepted" survives power loss. */
export function openUsageDb(file: string, migrations: readonly Migration[] = USAGE_MIGRATIONS): Db {
  return openMigratedDb(file, { label: 'usage', migrations });
}
