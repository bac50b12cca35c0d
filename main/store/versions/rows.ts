import type { Database } from 'better-sqlite3';
import type { ChangeClass, PromptSetContent, VersionInfo } from '../../../shared/domain';
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

export function toInfo(r: Omit<VersionRow, 'content'>): VersionInfo {
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
  };
}

const INFO_COLUMNS = 'id, set_id, version, changelog, author, created_at, content_hash, change_class, override';

/** A set's versions, newest first, without their content. */
export function listVersions(db: Database, setId: string): VersionInfo[] {
  return db
    .prepare<[string], Omit<VersionRow, 'content'>>(
      `SELECT ${INFO_COLUMNS} FROM versions WHERE set_id = ? ORDER BY created_at DESC, rowid DESC`,
    )
    .all(setId)
    .map(toInfo);
}

export function versionRow(db: Database, setId: string, version: string): VersionRow | undefined {
  return db
    .prepare<[string, string], VersionRow>('SELECT * FROM versions WHERE set_id = ? AND version = ?')
    .get(setId, version);
}

/** One version with its frozen content, or undefined. */
export function getVersion(db: Database, setId: string, version: string): VersionWithContent | undefined {
  const row = versionRow(db, setId, version);
  return row && { ...toInfo(row), content: JSON.parse(row.content) as PromptSetContent };
}

export function insertVersion(db: Database, row: VersionRow): void {
  db.prepare(
    `INSERT INTO versions (id, set_id, version, changelog, author, created_at, content_hash, change_class, override, content)
     VALUES (@id, @set_id, @version, @changelog, @author, @created_at, @content_hash, @change_class, @override, @content)`,
  ).run(row);
}
