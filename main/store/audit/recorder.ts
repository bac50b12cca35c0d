import type { Database } from 'better-sqlite3';
import type * as Y from 'yjs';
import { ORIGIN, promptMap, prompts, readPrompt } from '../../../shared/doc';
import type { CommittedDoc, DocStoreApi, Projector } from '../docs/types';
import { hashOf } from '../hash';
import type { SetTracker } from '../projection/tracker';
import { setTracking } from '../projection/tracker';
import { recordEdit } from './coalesce';
import { auditStatements } from './statements';
import type { AuditInput } from './log';
import { writeAudit } from './log';

export interface AuditRecorderOptions {
  /** Who the local edits are by (the signed-in account, or the OS user offline). */
  actor: string;
  /** Clock (ms since epoch); tests inject one that crosses minutes. */
  now?: () => number;
}

export interface AuditRecorder {
  /** Give this to the DocStore: it writes the audit rows inside each commit transaction. */
  projector: Projector;
  /**
   * Record `entry` in the same commit as the current pending change of document `docId`, so the change and
   * its audit row are durable together or not at all. Call it while (or right after) making the change.
   */
  enqueue(docId: string, entry: AuditInput): AuditInput;
  /**
   * Write `entry` now if no commit took it (its change turned out empty, so no commit carried the document);
   * call after the change's `transact` resolved.
   */
  settle(db: Database, docId: string, entry: AuditInput): void;
  /**
   * Let the recorder learn which commits landed. A failed commit (disk full) rolls back the audit rows it
   * wrote, and the DocStore retries its updates later; with this, the entries and dirty prompts that commit
   * took are handed to the retry instead of being lost. Returns the unsubscribe function.
   */
  watch(docs: DocStoreApi): () => void;
  readonly actor: string;
  readonly now: () => number;
}

/** What one projector call consumed, to give back if its transaction does not commit. */
interface Taken {
  entries: [string, AuditInput[]][];
  trackers: [SetTracker, number, Set<string>][];
}

/**
 * The audit log's view of document commits. Why a projector rather than the workspace's own calls: every
 * change reaches the documents through the DocStore, including the renderer's Yjs updates typed straight
 * into Monaco, which never pass through a workspace method, and only a projector sees them all, inside the
 * commit transaction. Two kinds of rows come out of it:
 *   - entries the workspace enqueued for an operation it knows (create, rename, delete, restore…), written
 *     with the commit that persists that operation's change;
 *   - `edit` rows: any other change of a prompt's content (template, messages, parameters, model…) in a
 *     commit whose transactions include a `local` one, coalesced per prompt, actor and minute (coalesce.ts).
 *     `remote` changes (sync) are the other author's edits and are audited where they were made; `restore`
 *     is audited by its operation. A prompt named by an enqueued entry in the same commit gets no `edit` row.
 * `audit_prompt_state` keeps each prompt's last committed hash, the `before` of its next edit; it is written
 * for every origin, so a sync or a restore never makes the next local edit start from a stale hash.
 */
export function createAuditRecorder(options: AuditRecorderOptions): AuditRecorder {
  const now = options.now ?? Date.now;
  const { actor } = options;
  const pending = new Map<string, AuditInput[]>();
  const track = setTracking();
  let watched = false;
  let taken: Taken | null = null;

  /** The last call's transaction never reported committed: it rolled back, so take its work up again. */
  const giveBack = (t: Taken): void => {
    for (const [docId, entries] of t.entries) pending.set(docId, [...entries, ...(pending.get(docId) ?? [])]);
    for (const [tracker, generation, ids] of t.trackers) {
      if (generation !== 0) tracker.generation = generation;
      for (const id of ids) tracker.prompts.add(id);
    }
  };

  const projector: Projector = (db, docs) => {
    if (taken && watched) giveBack(taken);
    const t: Taken = { entries: [], trackers: [] };
    taken = t;
    const at = now();
    for (const d of docs) {
      const entries = pending.get(d.docId) ?? [];
      pending.delete(d.docId);
      if (entries.length > 0) t.entries.push([d.docId, entries]);
      for (const e of entries) writeAudit(db, actor, at, e);
      if (d.kind !== 'set') continue;
      const covered = new Set(entries.filter((e) => e.entityKind === 'prompt').map((e) => e.entityId));
      const local = d.origins.has(ORIGIN.local);
      const tracker = track(d.doc);
      t.trackers.push([tracker, tracker.generation, tracker.prompts]);
      for (const change of changedPrompts(db, d, tracker)) {
        if (change.before !== null && local && !covered.has(change.promptId)) {
          recordEdit(db, actor, at, change.promptId, d.docId, change.before, change.after);
        }
      }
    }
  };

  return {
    projector,
    actor,
    now,
    enqueue(docId, entry) {
      const list = pending.get(docId) ?? [];
      const queued = { ...entry, at: entry.at ?? now() };
      list.push(queued);
      pending.set(docId, list);
      return queued;
    },
    watch(docs) {
      watched = true;
      return docs.onCommitted(() => {
        taken = null;
      });
    },
    settle(db, docId, entry) {
      const list = pending.get(docId);
      const i = list?.indexOf(entry) ?? -1;
      if (!list || i < 0) return;
      list.splice(i, 1);
      if (list.length === 0) pending.delete(docId);
      writeAudit(db, actor, now(), entry);
    },
  };
}

interface PromptChange {
  promptId: string;
  /** null: the prompt was not in the last commit (new, or its first commit since this table existed). */
  before: string | null;
  after: string;
}

/**
 * Prompts whose hash differs from the last committed one, with `audit_prompt_state` brought up to date.
 * Observers name the prompts touched since the last commit; a document seen for the first time is compared
 * in full, since changes before the observers were attached (loading, migration) are unknown to them.
 */
function changedPrompts(db: Database, d: CommittedDoc, tracker: SetTracker): PromptChange[] {
  const full = tracker.generation !== 0;
  tracker.generation = 0;
  tracker.meta = false;
  const ids = full ? allPromptIds(db, d.docId, d.doc) : tracker.prompts;
  tracker.prompts = new Set();
  const s = auditStatements(db);
  const out: PromptChange[] = [];
  for (const promptId of ids) {
    const pm = promptMap(d.doc, promptId);
    const prompt = pm && !pm.get('deletedAt') ? readPrompt(pm) : undefined;
    const before = s.getState.get(d.docId, promptId)?.hash ?? null;
    if (!prompt) {
      if (before !== null) s.dropState.run(d.docId, promptId);
      continue;
    }
    const after = hashOf(prompt);
    if (after === before) continue;
    s.putState.run(d.docId, promptId, after);
    out.push({ promptId, before, after });
  }
  return out;
}

function allPromptIds(db: Database, setId: string, doc: Y.Doc): Set<string> {
  const ids = new Set(prompts(doc).keys());
  for (const id of auditStatements(db).statesOfSet.all(setId)) ids.add(id);
  return ids;
}
