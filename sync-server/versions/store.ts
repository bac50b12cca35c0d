import type { Database } from 'better-sqlite3';
import { AnvilError } from '../../shared/domain';
import type { ProposedVersion, TeamVersion } from '../../shared/sync/api';
import { openVersionsDb } from './open';
import { parseProposedVersion } from './validate';

/**
 * The team's versions on the server: every version a studio proposed and the server accepted, immutable from
 * then on. It only keeps and orders them; who may propose, and whether the set belongs to the project, is the
 * caller's to check (the API backend does). The registry (publish, bundles) builds on these rows.
 */
export interface TeamVersionStore {
  /**
   * Accepts `proposed` for `projectId` from account `from` (`created: true`); the same id with the same payload
   * again answers the stored row (`created: false`: a retry is safe). Throws `version_id_reused` (the id is
   * stored with a different payload) or `version_taken` (another id holds that number of that set; `details.taken`
   * is that TeamVersion), and `invalid_version` / `content_too_large` / `content_hash_mismatch` for bad input.
   */
  propose(projectId: string, from: string, proposed: ProposedVersion): { version: TeamVersion; created: boolean };
  /** The project's versions with `seq > after`, ascending, at most `limit` (1..1000, default 100); `next` = last seq returned, or `after`. */
  list(projectId: string, options?: { after?: number; limit?: number }): { versions: TeamVersion[]; next: number };
  /** By the studio's id. */
  get(id: string): TeamVersion | null;
  /** By number: the version of a set that holds it. */
  find(projectId: string, setId: string, version: string): TeamVersion | null;
  close(): void;
}

export interface TeamVersionStoreOptions {
  /** ms since epoch; tests pass a fake one. */
  clock?: () => number;
}

export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 1000;

interface Row {
  seq: number;
  id: string;
  project_id: string;
  set_id: string;
  version: string;
  changelog: string;
  author: string;
  created_at: string;
  content_hash: string;
  change_class: ProposedVersion['changeClass'];
  override: string | null;
  content: string;
  accepted_from: string;
  accepted_at: string;
}

export function openTeamVersionStore(file: string, options: TeamVersionStoreOptions = {}): TeamVersionStore {
  return createStore(openVersionsDb(file), options.clock ?? Date.now);
}

function createStore(db: Database, clock: () => number): TeamVersionStore {
  const byId = db.prepare<[string], Row>('SELECT * FROM versions WHERE id = ?');
  const byNumber = db.prepare<[string, string, string], Row>(
    'SELECT * FROM versions WHERE project_id = ? AND set_id = ? AND version = ?',
  );
  const page = db.prepare<[string, number, number], Row>(
    'SELECT * FROM versions WHERE project_id = ? AND seq > ? ORDER BY seq LIMIT ?',
  );
  const insert = db.prepare(
    `INSERT INTO versions (id, project_id, set_id, version, changelog, author, created_at, content_hash,
       change_class, override, content, accepted_from, accepted_at)
     VALUES (@id, @project_id, @set_id, @version, @changelog, @author, @created_at, @content_hash,
       @change_class, @override, @content, @accepted_from, @accepted_at)`,
  );

  const proposeTx = db.transaction(
    (projectId: string, from: string, v: ProposedVersion): { version: TeamVersion; created: boolean } => {
      const same = byId.get(v.id);
      if (same) {
        if (samePayload(same, projectId, v)) return { version: toVersion(same), created: false };
        throw new AnvilError({
          code: 'version_id_reused',
          message: `A version with the id ${v.id} was already accepted with different content or fields (${same.project_id}/${same.set_id} ${same.version}); a version's id names one payload.`,
          details: { id: v.id },
        });
      }
      const taken = byNumber.get(projectId, v.setId, v.version);
      if (taken) throw versionTaken(toVersion(taken));
      const row: Omit<Row, 'seq'> = {
        id: v.id,
        project_id: projectId,
        set_id: v.setId,
        version: v.version,
        changelog: v.changelog,
        author: v.author,
        created_at: v.createdAt,
        content_hash: v.contentHash,
        change_class: v.changeClass,
        override: v.override,
        content: v.content,
        accepted_from: from,
        accepted_at: new Date(clock()).toISOString(),
      };
      const seq = Number(insert.run(row).lastInsertRowid);
      return { version: toVersion({ ...row, seq }), created: true };
    },
  );

  return {
    propose(projectId, from, proposed) {
      checkText(projectId, 'project id');
      checkText(from, 'account');
      const v = parseProposedVersion(proposed);
      try {
        // IMMEDIATE: another process on the same file (a second server, a tool) waits instead of racing.
        return proposeTx.immediate(projectId, from, v);
      } catch (err) {
        // A writer outside this process took the number (or id) between our check and our insert.
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
          return proposeTx.immediate(projectId, from, v);
        throw err;
      }
    },

    list(projectId, options = {}) {
      const after = options.after ?? 0;
      const limit = options.limit ?? DEFAULT_LIST_LIMIT;
      if (!Number.isSafeInteger(after) || after < 0)
        throw new AnvilError({ code: 'invalid_query', message: `after must be a whole number ≥ 0 (got ${after}).` });
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT)
        throw new AnvilError({
          code: 'invalid_query',
          message: `limit must be a whole number from 1 to ${MAX_LIST_LIMIT} (got ${limit}).`,
        });
      const rows = page.all(projectId, after, limit);
      return { versions: rows.map(toVersion), next: rows.at(-1)?.seq ?? after };
    },

    get(id) {
      const row = byId.get(id);
      return row ? toVersion(row) : null;
    },

    find(projectId, setId, version) {
      const row = byNumber.get(projectId, setId, version);
      return row ? toVersion(row) : null;
    },

    close() {
      if (db.open) db.close();
    },
  };
}

export function versionTaken(taken: TeamVersion): AnvilError {
  return new AnvilError({
    code: 'version_taken',
    message: `Version ${taken.version} of this set was already accepted from ${taken.author} (${taken.acceptedAt}); pick another number.`,
    details: { taken },
  });
}

function samePayload(row: Row, projectId: string, v: ProposedVersion): boolean {
  return (
    row.project_id === projectId &&
    row.set_id === v.setId &&
    row.version === v.version &&
    row.changelog === v.changelog &&
    row.author === v.author &&
    row.created_at === v.createdAt &&
    row.content_hash === v.contentHash &&
    row.change_class === v.changeClass &&
    row.override === v.override &&
    row.content === v.content
  );
}

function toVersion(r: Row): TeamVersion {
  return {
    seq: r.seq,
    id: r.id,
    projectId: r.project_id,
    setId: r.set_id,
    version: r.version,
    changelog: r.changelog,
    author: r.author,
    createdAt: r.created_at,
    contentHash: r.content_hash,
    changeClass: r.change_class,
    override: r.override,
    content: r.content,
    acceptedFrom: r.accepted_from,
    acceptedAt: r.accepted_at,
  };
}

function checkText(value: string, what: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > 256)
    throw new AnvilError({ code: 'invalid_version', message: `The ${what} must be 1 to 256 characters.` });
}
