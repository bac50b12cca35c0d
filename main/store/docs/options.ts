import type { AnvilError } from '../../../shared/domain';
import type { Projector } from './types';

export interface DocStoreOptions {
  /** Run inside every commit transaction, in order (projection, search index, audit). */
  projectors?: Projector[];
  /** Longest an edit waits for its group to commit, in ms (0 to 100; default 20). */
  maxDelayMs?: number;
  /** Compact a document once it has more update rows than this (default 300). */
  compactEvery?: number;
  /** Commit without waiting for the delay once this many bytes are queued (default 1 MiB). */
  maxPendingBytes?: number;
  /** Clock for `created_at` columns (ms since epoch). */
  now?: () => number;
  /** Failures no caller awaits (edits typed straight into a Y.Doc, automatic compaction): show them. */
  onError?: (err: AnvilError) => void;
}

/**
 * 20 ms: long enough that a burst of typing shares one sync to disk (a few ms each with synchronous=FULL),
 * short enough that the commit itself and a busy event loop still fit in the 100 ms an edit may wait.
 */
export function resolveOptions(o: DocStoreOptions): Required<DocStoreOptions> {
  const maxDelayMs = o.maxDelayMs ?? 20;
  if (!(maxDelayMs >= 0 && maxDelayMs <= 100))
    throw new RangeError(`maxDelayMs must be within 0..100, not ${maxDelayMs}`);
  return {
    projectors: o.projectors ?? [],
    maxDelayMs,
    compactEvery: o.compactEvery ?? 300,
    maxPendingBytes: o.maxPendingBytes ?? 1 << 20,
    now: o.now ?? Date.now,
    onError: o.onError ?? (() => undefined),
  };
}
