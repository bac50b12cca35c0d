import type { Database } from 'better-sqlite3';
import type * as Y from 'yjs';
import type { DocKind } from '../../../shared/doc';

/** One document touched by a commit, with the Yjs origins of the transactions it saw. */
export interface CommittedDoc {
  docId: string;
  kind: DocKind;
  doc: Y.Doc;
  /** Origins of the transactions in this group (`local`, `remote`, `restore`, …), for audit and sync. */
  origins: ReadonlySet<unknown>;
}

/**
 * Runs inside the commit transaction, after the updates are written: the relational projection, the search
 * index and the audit log change in the same SQLite transaction as the documents, so they always agree.
 * Throwing aborts the whole commit.
 */
export type Projector = (db: Database, docs: readonly CommittedDoc[]) => void;

/**
 * Persistence of Yjs documents as updates in SQLite, with group commit: edits are acknowledged (their promise
 * resolves) only once their group has committed with synchronous=FULL, and no edit waits more than
 * `maxDelayMs` (default ≤ 100) for its commit.
 */
export interface DocStoreApi {
  /** Persist a new document (its full state as the first update). Rejects if the id exists. `origin` tags the
   * creation for projectors (default `local`; sync creates what a colleague made with `remote`). */
  create(docId: string, kind: DocKind, doc: Y.Doc, origin?: unknown): Promise<void>;
  /** The live document, loaded (and migrated) on first use; undefined if unknown. */
  get(docId: string): Y.Doc | undefined;
  /** Every stored document id of a kind. */
  list(kind: DocKind): string[];
  /** Run `fn` in one Yjs transaction on the document; resolves when the change is durable. */
  transact(docId: string, fn: (doc: Y.Doc) => void, origin?: unknown): Promise<void>;
  /** Apply an update from elsewhere (sync, import); resolves when durable. */
  applyUpdate(docId: string, update: Uint8Array, origin?: unknown): Promise<void>;
  /** Commit everything pending now. */
  flush(): Promise<void>;
  /** Replace a document's stored updates by one merged update (same state, fewer rows). */
  compact(docId: string): void;
  /** Listeners run after a group committed (outside the transaction), e.g. to notify the UI or sync. */
  onCommitted(listener: (docs: readonly CommittedDoc[]) => void): () => void;
  /** Flush, compact what is worth it, stop timers. */
  close(): Promise<void>;
}
