import type { Database } from 'better-sqlite3';
import { writeAudit } from './log';
import { auditStatements } from './statements';

export const MINUTE_MS = 60_000;

/**
 * Record that `actor` changed a prompt from `beforeHash` to `afterHash` at `at`. Typing produces a commit
 * every few keystrokes; one row per commit would bury everything else, so a change joins the prompt's latest
 * row when that row is an `edit` by the same actor in the same clock minute: its `after_hash` moves on and
 * its `before_hash` stays the hash from before the first keystroke. Anything else that changed the prompt in
 * between (a rename, a restored version, a colleague's synced edit) ends the run: a row is extended only
 * when its `after_hash` is this change's `before`, so each row's hashes describe exactly its own edits.
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
  const s = auditStatements(db);
  const last = s.lastOfEntity.get(promptId);
  if (
    last &&
    last.action === 'edit' &&
    last.actor === actor &&
    last.after_hash === beforeHash &&
    Math.floor(last.at / MINUTE_MS) === Math.floor(at / MINUTE_MS)
  ) {
    s.extendEdit.run(afterHash, at, last.id);
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
