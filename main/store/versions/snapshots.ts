import type { Database } from 'better-sqlite3';
import { canonicalJson, newId } from '../../../shared/domain';
import type { PromptSetContent } from '../../../shared/domain';
import { writeAudit } from '../audit';
import { hashJson } from '../hash';
import type { DraftSnapshot } from '../../../shared/contract/results';
export type { DraftSnapshot };

interface Row {
  id: string;
  set_id: string;
  created_at: number;
  actor: string;
  reason: string;
  content_hash: string;
  content: string;
}

/**
 * Keep a copy of a draft before something overwrites it, in one transaction with its audit row, so a
 * restore that turns out to be a mistake can itself be undone.
 */
export function snapshotDraft(
  db: Database,
  actor: string,
  at: number,
  content: PromptSetContent,
  reason: string,
): DraftSnapshot {
  const json = canonicalJson(content);
  const row: Row = {
    id: newId(),
    set_id: content.id,
    created_at: at,
    actor,
    reason,
    content_hash: hashJson(json),
    content: json,
  };
  db.transaction(() => {
    db.prepare(
      'INSERT INTO draft_snapshots VALUES (@id, @set_id, @created_at, @actor, @reason, @content_hash, @content)',
    ).run(row);
    writeAudit(db, actor, at, {
      action: 'draft.snapshot',
      entityKind: 'set',
      entityId: content.id,
      beforeHash: row.content_hash,
      afterHash: row.content_hash,
      details: { snapshotId: row.id, reason },
    });
  })();
  return toSnapshot(row);
}

/** Newest first, without content. */
export function listSnapshots(db: Database, setId: string): DraftSnapshot[] {
  return db
    .prepare<[string], Row>('SELECT * FROM draft_snapshots WHERE set_id = ? ORDER BY created_at DESC, rowid DESC')
    .all(setId)
    .map(toSnapshot);
}

export function getSnapshot(
  db: Database,
  snapshotId: string,
): (DraftSnapshot & { content: PromptSetContent }) | undefined {
  const row = db.prepare<[string], Row>('SELECT * FROM draft_snapshots WHERE id = ?').get(snapshotId);
  return row && { ...toSnapshot(row), content: JSON.parse(row.content) as PromptSetContent };
}

function toSnapshot(r: Row): DraftSnapshot {
  return {
    id: r.id,
    setId: r.set_id,
    createdAt: new Date(r.created_at).toISOString(),
    actor: r.actor,
    reason: r.reason,
    contentHash: r.content_hash,
  };
}
