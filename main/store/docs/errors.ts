import { AnvilError } from '../../../shared/domain';
import { diskFull, isDiskFull } from '../errors';

/** Errors of the document store. Each names the document or file concerned and says what happens next. */

export function docCorrupt(file: string, docId: string, cause: string): AnvilError {
  return new AnvilError({
    code: 'store_corrupt',
    message: `The saved history of document ${docId} in ${file} cannot be read (${cause}). Other documents are unaffected; the stored rows were left untouched.`,
    path: docId,
  });
}

export function docTooNew(docId: string, cause: string): AnvilError {
  return new AnvilError({ code: 'doc_too_new', message: `Document ${docId}: ${cause}.`, path: docId });
}

export function unknownDoc(docId: string): AnvilError {
  return new AnvilError({
    code: 'doc_not_found',
    message: `There is no document ${docId} in this workspace.`,
    path: docId,
  });
}

export function docExists(docId: string): AnvilError {
  return new AnvilError({ code: 'doc_exists', message: `A document with id ${docId} already exists.`, path: docId });
}

export function storeClosed(file: string): AnvilError {
  return new AnvilError({ code: 'store_closed', message: `The document store of ${file} is closed.`, path: file });
}

export function invalidUpdate(docId: string, cause: string): AnvilError {
  return new AnvilError({
    code: 'invalid_update',
    message: `An update for document ${docId} could not be decoded (${cause}) and was refused.`,
    path: docId,
  });
}

/**
 * What the waiters of a failed group commit see. The changes themselves are still queued in memory and are
 * written by the next commit, so the message says so.
 */
export function commitFailed(file: string, err: unknown): AnvilError {
  if (isDiskFull(err)) return diskFull(file);
  if (err instanceof AnvilError) return err;
  const cause = err instanceof Error ? err.message : String(err);
  return new AnvilError({
    code: 'commit_failed',
    message: `Saving changes to ${file} failed (${cause}). Nothing was lost: the changes stay queued and are saved again with the next commit.`,
    path: file,
    details: { cause },
  });
}
