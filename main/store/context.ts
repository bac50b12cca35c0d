import type { Database } from 'better-sqlite3';
import type * as Y from 'yjs';
import type { AuditInput, AuditRecorder } from './audit';
import type { DocStoreApi } from './docs/types';

/** What every store operation works with: the database, the documents and the audit recorder. */
export interface StoreContext {
  db: Database;
  docs: DocStoreApi;
  audit: AuditRecorder;
}

/**
 * Change a document and audit it in the same commit. `fn` runs inside the Yjs transaction, so hashes it
 * computes before and after its own change are exact; it returns the audit entry (or null: nothing to
 * record). Resolves once the change and its audit row are durable.
 */
export async function auditedChange(
  ctx: StoreContext,
  docId: string,
  origin: unknown,
  fn: (doc: Y.Doc) => AuditInput | null,
): Promise<void> {
  let queued: AuditInput | undefined;
  await ctx.docs.transact(
    docId,
    (doc) => {
      const entry = fn(doc);
      if (entry) queued = ctx.audit.enqueue(docId, entry);
    },
    origin,
  );
  if (queued) ctx.audit.settle(ctx.db, docId, queued);
}
