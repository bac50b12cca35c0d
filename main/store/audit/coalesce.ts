import type { Database } from 'better-sqlite3';
import { writeAudit } from './log';

export const MINUTE_MS = 60_000;

interface LastRow {
  id: number;
  at: number;
  actor: string;
  action: string;
}

/**
 * Record that `actor` changed a prompt from `beforeHash` to `afterHash` at `at`. Typing produces a commit
 * every few keystrokes; one row per commit would bury everything else, so a change joins the prompt's latest
 * row when that row is an `edit` by the same actor in the same clock minute: its `after_hash` moves on and
 * its `before_hash` stays the hash from before the first keystroke. Anything recorded about the prompt in
 * between (a rename, a restore) ends the run, so before/after hashes always chain.
 */
export function recordEdit(
  db: Database,
  actor: string,
  at: number,
  promptId: string,
  setId: string,
  beforeHash: string,
  afterHash: string,
): void {
  const last = db
    .prepare<[string], LastRow>('SELECT id, at, actor, action FROM audit WHERE entity_id = ? ORDER BY id DESC LIMIT 1')
    .get(promptId);
  if (
    last &&
    last.action === 'edit' &&
    last.actor === actor &&
    Math.floor(last.at / MINUTE_MS) === Math.floor(at / MINUTE_MS)
  ) {
    db.prepare(
      `UPDATE audit SET after_hash = ?,
         details = json_set(details, '$.commits', coalesce(json_extract(details, '$.commits'), 1) + 1, '$.lastAt', ?)
       WHERE id = ?`,
    ).run(afterHash, at, last.id);
    return;
  }
  writeAudit(db, actor, at, {
    action: 'edit',
    entityKind: 'prompt',
    entityId: promptId,
    beforeHash,
    afterHash,
    details: { setId, commits: 1, lastAt: at },
  });
}
