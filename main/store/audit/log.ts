import type { Database } from 'better-sqlite3';
import { auditStatements } from './statements';
import type { EntityKind, AuditAction, AuditEntry } from '../../../shared/contract/results';
export type { EntityKind, AuditAction, AuditEntry };

/** An entry to record; `at` defaults to the audit clock. */
export interface AuditInput {
  action: AuditAction;
  entityKind: EntityKind;
  entityId: string;
  beforeHash: string | null;
  afterHash: string | null;
  details?: Record<string, unknown>;
  at?: number;
}

/** Append one row. Callers run it inside the transaction of the change it records. */
export function writeAudit(db: Database, actor: string, at: number, e: AuditInput): number {
  const info = auditStatements(db).insert.run(
    e.at ?? at,
    actor,
    e.action,
    e.entityKind,
    e.entityId,
    e.beforeHash,
    e.afterHash,
    JSON.stringify(e.details ?? {}),
  );
  return Number(info.lastInsertRowid);
}

export interface ListAuditOptions {
  /** Only rows about this project, set, prompt or setting key. */
  entityId?: string | undefined;
  /** Rows per page, 1..1000 (default 100). */
  limit?: number | undefined;
  /** Paging: only rows older than this id. */
  beforeId?: number | undefined;
}

interface Row {
  id: number;
  at: number;
  actor: string;
  action: AuditAction;
  entity_kind: EntityKind;
  entity_id: string;
  before_hash: string | null;
  after_hash: string | null;
  details: string;
}

/** Newest first. */
export function listAudit(db: Database, options: ListAuditOptions = {}): AuditEntry[] {
  const limit = Math.min(1000, Math.max(1, Math.floor(options.limit ?? 100)));
  const beforeId = options.beforeId ?? Number.MAX_SAFE_INTEGER;
  const rows =
    options.entityId === undefined
      ? db
          .prepare<[number, number], Row>('SELECT * FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?')
          .all(beforeId, limit)
      : db
          .prepare<[string, number, number], Row>(
            'SELECT * FROM audit WHERE entity_id = ? AND id < ? ORDER BY id DESC LIMIT ?',
          )
          .all(options.entityId, beforeId, limit);
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    entityKind: r.entity_kind,
    entityId: r.entity_id,
    beforeHash: r.before_hash,
    afterHash: r.after_hash,
    details: JSON.parse(r.details) as Record<string, unknown>,
  }));
}
