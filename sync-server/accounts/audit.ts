import type { Database } from 'better-sqlite3';
import { accountError } from './errors';

/** What the server's audit log records: who (`actor`), did what (`action`), to what (`entityKind`/`entityId`). */
export interface ServerAuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  entityKind: string;
  entityId: string;
  details: Record<string, unknown>;
}

export interface ServerAuditInput {
  actor: string;
  /** Dotted lowercase words: `user.add`, `role.set`, `token.revoke`, `doc.connect`, `doc.edit`… */
  action: string;
  /** `account`, `token`, `project`, `document`, `server`… */
  entityKind: string;
  entityId: string;
  details?: Record<string, unknown>;
  /** Defaults to the store's clock. */
  at?: number;
}

export interface ServerAuditQuery {
  entityKind?: string;
  entityId?: string;
  actor?: string;
  action?: string;
  /** Inclusive lower bound (ms since epoch). */
  since?: number;
  /** Exclusive upper bound (ms since epoch). */
  until?: number;
  /** Paging: only rows with a smaller id. */
  beforeId?: number;
  /** 1..1000, default 100. */
  limit?: number;
}

export interface ServerAudit {
  /** Append one row (the log is append-only: there is no update or delete). Returns its id. */
  append(entry: ServerAuditInput): number;
  /** Newest first. */
  query(q?: ServerAuditQuery): ServerAuditEntry[];
}

const ACTION = /^[a-z][a-z_]*(\.[a-z][a-z_]*)*$/;
const MAX_DETAILS = 16 * 1024;

interface Row {
  id: number;
  at: number;
  actor: string;
  action: string;
  entity_kind: string;
  entity_id: string;
  details: string;
}

export function createServerAudit(db: Database, clock: () => number): ServerAudit {
  const insert = db.prepare(
    'INSERT INTO audit (at, actor, action, entity_kind, entity_id, details) VALUES (?, ?, ?, ?, ?, ?)',
  );
  return {
    append(e) {
      check(e);
      const details = JSON.stringify(e.details ?? {});
      if (details.length > MAX_DETAILS)
        throw accountError(
          'invalid_audit_entry',
          `Audit details are ${details.length} characters; at most ${MAX_DETAILS}.`,
        );
      const info = insert.run(e.at ?? clock(), e.actor, e.action, e.entityKind, e.entityId, details);
      return Number(info.lastInsertRowid);
    },
    query(q = {}) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      const eq = (column: string, value: string | undefined) => {
        if (value === undefined) return;
        where.push(`${column} = ?`);
        args.push(value);
      };
      const bound = (clause: string, value: number | undefined, field: string) => {
        if (value === undefined) return;
        where.push(clause);
        args.push(num(value, field));
      };
      eq('entity_kind', q.entityKind);
      eq('entity_id', q.entityId);
      eq('actor', q.actor);
      eq('action', q.action);
      bound('at >= ?', q.since, 'since');
      bound('at < ?', q.until, 'until');
      bound('id < ?', q.beforeId, 'beforeId');
      const limit = Math.min(1000, Math.max(1, Math.floor(q.limit ?? 100)));
      const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
      return db
        .prepare<(string | number)[], Row>(sql)
        .all(...args, limit)
        .map((r) => ({
          id: r.id,
          at: r.at,
          actor: r.actor,
          action: r.action,
          entityKind: r.entity_kind,
          entityId: r.entity_id,
          details: JSON.parse(r.details) as Record<string, unknown>,
        }));
    },
  };
}

function check(e: ServerAuditInput): void {
  if (!ACTION.test(e.action))
    throw accountError('invalid_audit_entry', `"${e.action}" is not an audit action (dotted lowercase words).`);
  for (const [field, value] of [
    ['actor', e.actor],
    ['entityKind', e.entityKind],
    ['entityId', e.entityId],
  ] as const) {
    if (typeof value !== 'string' || value.length === 0 || value.length > 256)
      throw accountError('invalid_audit_entry', `The audit entry's ${field} must be 1 to 256 characters.`);
  }
}

function num(value: number, field: string): number {
  if (!Number.isFinite(value)) throw accountError('invalid_audit_query', `${field} must be a finite number.`);
  return value;
}
