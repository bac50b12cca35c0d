import type { Database } from 'better-sqlite3';
import semver from 'semver';
import type { EditMode, FeedEvent } from '../../shared/registry/types';
import type { CommentRow, DefinitionRow, EventRow, ExperimentRow, PackageRow, ReviewRow, VersionRow } from './rows';

/** The registry's statements, prepared once per process; each is one read or write of registry.db. */
export function createTables(db: Database) {
  const packageByName = db.prepare<[string], PackageRow>('SELECT * FROM packages WHERE name = ?');
  const packagesOfProject = db.prepare<[string], PackageRow>(
    'SELECT * FROM packages WHERE project_id = ? ORDER BY name',
  );
  const packagesOfSet = db.prepare<[string, string], PackageRow>(
    'SELECT * FROM packages WHERE project_id = ? AND set_id = ? ORDER BY name',
  );
  const insertPackage = db.prepare(
    'INSERT INTO packages (name, project_id, set_id, created_at, modified_at, revision) VALUES (?, ?, ?, ?, ?, 1)',
  );
  const touchPackage = db.prepare('UPDATE packages SET revision = revision + 1, modified_at = ? WHERE name = ?');
  const versionsOf = db.prepare<[string], VersionRow>('SELECT * FROM versions WHERE name = ? ORDER BY id');
  const versionOf = db.prepare<[string, string], VersionRow>('SELECT * FROM versions WHERE name = ? AND version = ?');
  const insertVersion = db.prepare(
    `INSERT INTO versions (name, version, integrity, size, published_at, published_by, author, changelog,
       change_class, override, description, dependencies, prompts, search_text, team_version_id, deprecated)
     VALUES (@name, @version, @integrity, @size, @published_at, @published_by, @author, @changelog,
       @change_class, @override, @description, @dependencies, @prompts, @search_text, @team_version_id, NULL)`,
  );
  const setDeprecated = db.prepare('UPDATE versions SET deprecated = ? WHERE name = ? AND version = ?');
  const tagsOf = db.prepare<[string], { tag: string; version: string }>(
    'SELECT tag, version FROM dist_tags WHERE name = ? ORDER BY tag',
  );
  const upsertTag = db.prepare(
    `INSERT INTO dist_tags (name, tag, version, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (name, tag) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
  );
  const deleteTag = db.prepare('DELETE FROM dist_tags WHERE name = ? AND tag = ?');
  const insertEvent = db.prepare(
    'INSERT INTO events (type, name, project_id, set_id, payload, at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const eventsAfter = db.prepare<[number, number], EventRow>('SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?');
  const lastEvent = db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM events');
  const modeOf = db.prepare<[string], { mode: EditMode }>('SELECT mode FROM edit_modes WHERE project_id = ?');
  const upsertMode = db.prepare(
    `INSERT INTO edit_modes (project_id, mode, updated_at, updated_by) VALUES (?, ?, ?, ?)
     ON CONFLICT (project_id) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at,
       updated_by = excluded.updated_by`,
  );
  const reviewById = db.prepare<[string], ReviewRow>('SELECT * FROM reviews WHERE id = ?');
  const pendingReview = db.prepare<[string, string, string], ReviewRow>(
    `SELECT * FROM reviews WHERE project_id = ? AND set_id = ? AND version = ?
       AND state IN ('open', 'changes_requested') ORDER BY created_at LIMIT 1`,
  );
  const commentsOf = db.prepare<[string], CommentRow>('SELECT * FROM review_comments WHERE review_id = ? ORDER BY seq');
  const experimentsOf = db.prepare<[string], ExperimentRow>('SELECT * FROM experiments WHERE name = ? ORDER BY id');
  const experimentOf = db.prepare<[string, string], ExperimentRow>(
    'SELECT * FROM experiments WHERE name = ? AND id = ?',
  );
  const runningOn = db.prepare<[string], ExperimentRow>(
    "SELECT * FROM experiments WHERE prompt = ? AND status = 'running'",
  );
  const insertExperiment = db.prepare(
    `INSERT INTO experiments (name, id, prompt, definition, definition_version, status, created_at, created_by,
       updated_at, updated_by, event_id)
     VALUES (@name, @id, @prompt, @definition, @definition_version, @status, @created_at, @created_by,
       @updated_at, @updated_by, @event_id)`,
  );
  const updateExperiment = db.prepare(
    `UPDATE experiments SET prompt = @prompt, definition = @definition, definition_version = @definition_version,
       status = @status, updated_at = @updated_at, updated_by = @updated_by, event_id = @event_id WHERE name = @name AND id = @id`,
  );
  const insertDefinition = db.prepare(
    `INSERT INTO experiment_definitions (name, id, definition_version, definition, status, created_at, created_by,
       event_id)
     VALUES (@name, @id, @definition_version, @definition, @status, @created_at, @created_by, @event_id)`,
  );
  const definitionsOf = db.prepare<[string, string], DefinitionRow>(
    'SELECT * FROM experiment_definitions WHERE name = ? AND id = ? ORDER BY definition_version',
  );

  return {
    db,
    packageByName: (name: string) => packageByName.get(name),
    packagesOf: (projectId: string, setId?: string) =>
      setId === undefined ? packagesOfProject.all(projectId) : packagesOfSet.all(projectId, setId),
    insertPackage: (name: string, projectId: string, setId: string, at: string) =>
      insertPackage.run(name, projectId, setId, at, at),
    touchPackage: (name: string, at: string) => touchPackage.run(at, name),
    /** In semver order. */
    versionsOf: (name: string) => versionsOf.all(name).sort((a, b) => semver.compare(a.version, b.version)),
    versionOf: (name: string, version: string) => versionOf.get(name, version),
    insertVersion: (row: Omit<VersionRow, 'id' | 'deprecated'>) => insertVersion.run(row),
    setDeprecated: (name: string, version: string, message: string | null) => setDeprecated.run(message, name, version),
    tagsOf: (name: string): Record<string, string> =>
      Object.fromEntries(tagsOf.all(name).map((t) => [t.tag, t.version])),
    setTag: (name: string, tag: string, version: string, at: string) => upsertTag.run(name, tag, version, at),
    deleteTag: (name: string, tag: string) => deleteTag.run(name, tag),
    /** Appends a feed event in the caller's transaction; returns its id. */
    insertEvent: (
      type: FeedEvent['type'],
      pkg: Pick<PackageRow, 'name' | 'project_id' | 'set_id'>,
      payload: Record<string, unknown>,
      at: string,
    ) =>
      Number(insertEvent.run(type, pkg.name, pkg.project_id, pkg.set_id, JSON.stringify(payload), at).lastInsertRowid),
    eventsAfter: (after: number, limit: number) => eventsAfter.all(after, limit),
    lastEventId: () => lastEvent.get()?.id ?? 0,
    modeOf: (projectId: string): EditMode => modeOf.get(projectId)?.mode ?? 'open',
    setMode: (projectId: string, mode: EditMode, at: string, by: string) => upsertMode.run(projectId, mode, at, by),
    reviewById: (id: string) => reviewById.get(id),
    pendingReview: (projectId: string, setId: string, version: string) => pendingReview.get(projectId, setId, version),
    commentsOf: (reviewId: string) => commentsOf.all(reviewId),
    /** By id. */
    experimentsOf: (name: string) => experimentsOf.all(name),
    experimentOf: (name: string, id: string) => experimentOf.get(name, id),
    /** The running experiment on a prompt (`@p/s/prompt`), if any (the schema allows one). */
    runningOn: (prompt: string) => runningOn.get(prompt),
    /** Writes the experiment's current row (created or changed) in the caller's transaction. */
    saveExperiment: (row: ExperimentRow, created: boolean) =>
      created ? insertExperiment.run(row) : updateExperiment.run(row),
    insertDefinition: (row: DefinitionRow) => insertDefinition.run(row),
    /** Every definition version of an experiment, oldest first. */
    definitionsOf: (name: string, id: string) => definitionsOf.all(name, id),
  };
}

export type Tables = ReturnType<typeof createTables>;
