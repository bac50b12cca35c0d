import type { ParsedArgs } from '../../shared/contract/contract';
import type { SyncNotice, SyncStatus, SyncTestResult } from '../../shared/sync/status';
import type { SyncHttp } from './http';

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

/**
 * Where the server token is kept: never in plain text. The desktop app uses Electron's `safeStorage` (the OS
 * keychain / DPAPI / libsecret); browser mode encrypts it with a key kept outside the data folder
 * (`main/sync/secrets.ts`), so a copied or shared data folder does not carry a usable token.
 */
export interface SecretStore {
  readonly kind: 'os' | 'file';
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}

/**
 * Versions saved in the studio and the team's versions on the server (`main/sync/versions-sync.ts`). The engine
 * calls `run` whenever it is connected (at connect, after a local save, and every so often) with the projects it
 * syncs; `run` proposes pending local versions, pulls the team's new ones and raises `version-clash` notices.
 */
export interface VersionSyncApi {
  run(http: SyncHttp, projectIds: readonly string[]): Promise<void>;
  /** Local versions the server has not accepted yet. */
  pending(): number;
  onNotice(listener: (notice: SyncNotice) => void): () => void;
  /** A local version was saved (so the engine can run soon) or the team's versions changed. */
  onChange(listener: (change: VersionChange) => void): () => void;
}

/** Which sets' version lists changed (for `store:changed`), and whether by a save here (`local`) or the server. */
export interface VersionChange {
  setIds: string[];
  local: boolean;
}
