import type { Database } from 'better-sqlite3';
import type { TeamVersion } from '../../../shared/sync/api';
import type { VersionRow } from './rows';

/**
 * The store's side of version sync (tables of migration 005): which local versions wait for the server, what
 * it answered, and the team's versions pulled from it. `main/sync/versions-sync.ts` drives these against the
 * server; every function is one transaction or part of the caller's.
 */

/** A pending local version, ready to propose, in save order. */
export interface PendingVersion extends VersionRow {
  project_id: string;
}

/**
 * Mark projects as synced and queue their local versions that have no sync row yet (saved before the project
 * was synced, or since the last run), in save order. Idempotent.
 */
export function enrollProjects(db: Database, projectIds: readonly string[], now: number): void {
  const ids = JSON.stringify(projectIds);
  db.transaction(() => {
    db.prepare(
      `INSERT OR IGNORE INTO version_sync_projects (project_id, after, since) SELECT value, 0, ? FROM json_each(?)`,
    ).run(now, ids);
    db.prepare(
      `INSERT INTO version_sync (version_id, project_id, state, queued_at, updated_at)
       SELECT v.id, st.project_id, 'pending', v.created_at, ?
         FROM versions v JOIN sets st ON st.id = v.set_id
        WHERE st.project_id IN (SELECT value FROM json_each(?))
          AND NOT EXISTS (SELECT 1 FROM version_sync s WHERE s.version_id = v.id)
        ORDER BY v.created_at, v.rowid`,
    ).run(now, ids);
  }).immediate();
}

export function pendingVersions(db: Database, projectId: string): PendingVersion[] {
  return db
    .prepare<[string], PendingVersion>(
      `SELECT v.*, s.project_id FROM version_sync s JOIN versions v ON v.id = s.version_id
        WHERE s.state = 'pending' AND s.project_id = ? ORDER BY s.queued_at, v.rowid`,
    )
    .all(projectId);
}

/** Local versions the server has not accepted: queued ones, and those of synced projects not queued yet. */
export function countPending(db: Database): number {
  return db
    .prepare<[], number>(
      `SELECT (SELECT count(*) FROM version_sync WHERE state = 'pending')
            + (SELECT count(*) FROM versions v JOIN sets st ON st.id = v.set_id
                 JOIN version_sync_projects p ON p.project_id = st.project_id
                WHERE NOT EXISTS (SELECT 1 FROM version_sync s WHERE s.version_id = v.id))`,
    )
    .pluck()
    .get() as number;
}

export function markAccepted(db: Database, versionId: string, seq: number, now: number): boolean {
  return (
    db
      .prepare(
        `UPDATE version_sync SET state = 'accepted', server_seq = ?, last_error = NULL, updated_at = ?
          WHERE version_id = ? AND state = 'pending'`,
      )
      .run(seq, now, versionId).changes > 0
  );
}

/** Leave it pending, remembering why the server refused it this time. */
export function markError(db: Database, versionId: string, message: string, now: number): void {
  db.prepare(`UPDATE version_sync SET last_error = ?, updated_at = ? WHERE version_id = ? AND state = 'pending'`).run(
    message.slice(0, 1000),
    now,
    versionId,
  );
}

/**
 * Someone else's version took the number: ours becomes `clash` (with who and when), theirs is kept as a team
 * version. True if the state changed (so the notice is raised once).
 */
export function markClash(db: Database, versionId: string, taken: TeamVersion, now: number): boolean {
  return db
    .transaction(() => {
      insertTeamVersion(db, taken);
      const clash = JSON.stringify({
        id: taken.id,
        author: taken.author,
        createdAt: taken.createdAt,
        acceptedFrom: taken.acceptedFrom,
        seq: taken.seq,
      });
      return (
        db
          .prepare(
            `UPDATE version_sync SET state = 'clash', clash = ?, last_error = NULL, updated_at = ?
              WHERE version_id = ? AND state = 'pending'`,
          )
          .run(clash, now, versionId).changes > 0
      );
    })
    .immediate();
}

export function pullCursor(db: Database, projectId: string): number {
  return (
    db
      .prepare<[string], number>('SELECT after FROM version_sync_projects WHERE project_id = ?')
      .pluck()
      .get(projectId) ?? 0
  );
}

/**
 * One page of the team's versions, and the cursor after it, in one transaction. Our own versions come back
 * too: they are marked accepted (an acceptance whose answer was lost on the way). Returns the sets touched.
 */
export function applyTeamPage(
  db: Database,
  projectId: string,
  versions: readonly TeamVersion[],
  next: number,
  now: number,
): Set<string> {
  const touched = new Set<string>();
  db.transaction(() => {
    const local = db.prepare<[string], { id: string }>('SELECT id FROM versions WHERE id = ?');
    for (const v of versions) {
      if (local.get(v.id)) {
        if (markAccepted(db, v.id, v.seq, now)) touched.add(v.setId);
      } else if (insertTeamVersion(db, v)) touched.add(v.setId);
    }
    db.prepare('UPDATE version_sync_projects SET after = max(after, ?) WHERE project_id = ?').run(next, projectId);
  }).immediate();
  return touched;
}

function insertTeamVersion(db: Database, v: TeamVersion): boolean {
  return (
    db
      .prepare(
        `INSERT OR IGNORE INTO team_versions (id, project_id, set_id, version, changelog, author, created_at,
           content_hash, change_class, override, content, seq, accepted_from, accepted_at)
         VALUES (@id, @projectId, @setId, @version, @changelog, @author, @createdAt, @contentHash, @changeClass,
           @override, @content, @seq, @acceptedFrom, @acceptedAt)`,
      )
      .run({
        ...v,
        createdAt: Date.parse(v.createdAt),
        acceptedAt: Date.parse(v.acceptedAt),
      }).changes > 0
  );
}

/** Names of sets, for notices (a set not projected here yet is named by its id). */
export function setName(db: Database, setId: string): string {
  return db.prepare<[string], string>('SELECT name FROM sets WHERE id = ?').pluck().get(setId) ?? setId;
}
