import type { ParsedArgs } from '../../shared/contract/contract';
import type { SyncNotice, SyncStatus, SyncTestResult } from '../../shared/sync/status';

/**
 * The studio's sync with a server, as the dispatch table and the host see it. `main/sync/engine.ts` implements
 * it; everything else (contract, renderer) goes through these methods and the two listeners.
 */
export interface StudioSync {
  status(): SyncStatus;
  configure(args: SyncConfigureArgs): Promise<SyncStatus>;
  test(args: SyncTestArgs): Promise<SyncTestResult>;
  /** Skip the backoff and try now. */
  retry(): SyncStatus;
  onStatus(listener: (status: SyncStatus) => void): () => void;
  onNotice(listener: (notice: SyncNotice) => void): () => void;
  /** Disconnect (pending changes stay stored locally and go out at the next start). */
  close(): Promise<void>;
}

export type SyncConfigureArgs = ParsedArgs<'sync:configure'>;
export type SyncTestArgs = ParsedArgs<'sync:test'>;
