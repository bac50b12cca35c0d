import type { Database } from 'better-sqlite3';
import type { ChangeClass, PromptSetContent, VersionInfo, VersionSync } from '../../../shared/domain';
import type { VersionWithContent } from '../../../shared/contract/results';
export type { VersionWithContent };

export interface VersionRow {
  id: string;
  set_id: string;
  version: string;
  changelog: string;
  author: string;
  created_at: number;
  content_hash: string;
  change_class: ChangeClass;
  override: string | null;
  content: string;
}

/** A version row of either table with its sync columns (`origin` says which table). */
interface SyncedRow extends Omit<VersionRow, 'content'> {
  origin: 'local' | 'team';
  state: 'pending' | 'accepted' | 'clash' | 'replaced' | null;
  project_synced: 0 | 1;
  clash: string | null;
  replaced_version: string | null;
  last_error: string | null;
}

export function toInfo(r: Omit<VersionRow, 'content'>, sync?: VersionSync): VersionInfo {
  return {
    id: r.id,
    setId: r.set_id,
    version: r.version,
    changelog: r.changelog,
    author: r.author,
    createdAt: new Date(r.created_at).toISOString(),
    contentHash: r.content_hash,
    changeClass: r.change_class,
    override: r.override,
    ...(sync ? { sync } : {}),
  };
}

function syncOf(r: SyncedRow): VersionSync {
  if (r.origin === 'team') return { state: 'team' };
  if (r.state === null) return { state: r.project_synced ? 'pending' : 'local' };
  const sync: VersionSync = { state: r.state };
  if (r.clash) {
    const c = JSON.parse(r.clash) as { author: string; createdAt: string };
    sync.clashWith = { author: c.author, createdAt: c.createdAt };
  }
  if (r.replaced_version) sync.replacedBy = r.replaced_version;
  if (r.last_error && r.state === 'pending') sync.lastError = r.last_error;
  return sync;
}

function infoOf(r: SyncedRow): VersionInfo {
  return toInfo(r, syncOf(r));
}

const INFO_COLUMNS = 'id, set_id, version, changelog, author, created_at, content_hash, change_class, override';

/**
 * Both tables as one, with each local row's sync state. `project_synced`: the set's project is synced (so a
 * local version with no `version_sync` row yet counts as pending).
 */
const SYNCED = `
  SELECT 'local' AS origin, ${INFO_COLUMNS.split(', ')
    .map((c) => `v.${c}`)
    .join(', ')}, v.rowid AS ord,
         s.state, s.clash, s.last_error,
         (SELECT r.version FROM versions r WHERE r.id = s.replaced_by) AS replaced_version,
         EXISTS (SELECT 1 FROM sets st JOIN version_sync_projects p ON p.project_id = st.project_id
                 WHERE st.id = v.set_id) AS project_synced
    FROM versions v LEFT JOIN version_sync s ON s.version_id = v.id
  UNION ALL
  SELECT 'team' AS origin, ${INFO_COLUMNS}, seq AS ord, NULL, NULL, NULL, NULL, 1 FROM team_versions`;

/**
 * A set's versions, newest first, without their content: the versions saved here and the team's. A local
 * version replaced by a renumbered copy is left out (the copy and the team's version of that number are
 * listed); while a clash is open, the local version is listed and the team's of that number is not, so each
 * number appears once in the list.
 */
export function listVersions(db: Database, setId: string): VersionInfo[] {
  return db
    .prepare<[{ setId: string }], SyncedRow>(
      `SELECT * FROM (${SYNCED}) AS a
        WHERE a.set_id = @setId AND (a.state IS NULL OR a.state <> 'replaced')
          AND NOT (a.origin = 'team' AND EXISTS (
            SELECT 1 FROM versions l LEFT JOIN version_sync ls ON ls.version_id = l.id
             WHERE l.set_id = a.set_id AND l.version = a.version AND (ls.state IS NULL OR ls.state <> 'replaced')))
        ORDER BY a.created_at DESC, a.ord DESC`,
    )
    .all({ setId })
    .map(infoOf);
}

export function versionRow(db: Database, setId: string, version: string): VersionRow | undefined {
  return db
    .prepare<[string, string], VersionRow>('SELECT * FROM versions WHERE set_id = ? AND version = ?')
    .get(setId, version);
}

/**
 * One version with its frozen content, or undefined. By number: the local version unless it was replaced
 * after a clash, else the team's. By `id`: exactly that one (a team version hidden behind an open clash, or a
 * replaced local one).
 */
export function getVersion(db: Database, setId: string, version: string, id?: string): VersionWithContent | undefined {
  const row = db
    .prepare<[{ setId: string; version: string; id: string | null }], SyncedRow & { content: string }>(
      `SELECT a.*, COALESCE(v.content, t.content) AS content FROM (${SYNCED}) AS a
         LEFT JOIN versions v ON a.origin = 'local' AND v.id = a.id
         LEFT JOIN team_versions t ON a.origin = 'team' AND t.id = a.id
        WHERE a.set_id = @setId AND (@id IS NULL AND a.version = @version OR a.id = @id)
        ORDER BY a.state = 'replaced', a.origin = 'team'
        LIMIT 1`,
    )
    .get({ setId, version, id: id ?? null });
  return row && { ...infoOf(row), content: JSON.parse(row.content) as PromptSetContent };
}

/** Every number known for a set (local and team) with its content, for the semver rules of a new number. */
export function knownVersions(db: Database, setId: string): VersionRow[] {
  return db
    .prepare<[{ setId: string }], VersionRow>(
      `SELECT ${INFO_COLUMNS}, content FROM versions WHERE set_id = @setId
       UNION ALL
       SELECT ${INFO_COLUMNS}, content FROM team_versions t WHERE set_id = @setId
          AND NOT EXISTS (SELECT 1 FROM versions l WHERE l.set_id = t.set_id AND l.version = t.version)`,
    )
    .all({ setId });
}

export function insertVersion(db: Database, row: VersionRow): void {
  db.prepare(
    `INSERT INTO versions (id, set_id, version, changelog, author, created_at, content_hash, change_class, override, content)
     VALUES (@id, @set_id, @version, @changelog, @author, @created_at, @content_hash, @change_class, @override, @content)`,
  ).run(row);
}
