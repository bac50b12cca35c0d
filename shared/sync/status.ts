/**
 * What the studio says about its sync with a server: the status indicator, the settings section and the
 * notices all read these shapes (main/sync/ builds them, the renderer only shows them).
 */

/**
 * - `off`: no server configured, or sync turned off: the workspace is local only.
 * - `offline`: configured, but the server cannot be reached (edits are kept and sent when it returns).
 * - `connecting`: an attempt is under way.
 * - `syncing`: connected, changes are going one way or the other (`pendingChanges` says how many of ours).
 * - `synced`: connected and the server has every local change.
 * - `error`: the server refused us (bad token, protocol mismatch, no access): retrying will not help until
 *   something is changed; `reason` says what.
 */
export type SyncState = 'off' | 'offline' | 'connecting' | 'syncing' | 'synced' | 'error';

export interface SyncStatus {
  state: SyncState;
  /** One sentence for people: why offline or in error (null when there is nothing to say). */
  reason: string | null;
  /** Machine-readable code of the error (`sync_unauthorized`, `sync_protocol_mismatch`, …), or null. */
  errorCode: string | null;
  /** Whether sync is turned on in settings. */
  enabled: boolean;
  /** The server's URL as configured (ws:// or wss://, or http(s):// which means the same), or null. */
  url: string | null;
  /** Whether a token is stored (the token itself never leaves the main process). */
  hasToken: boolean;
  /** The account the token belongs to, once the server said so. */
  account: string | null;
  /** Whether the demo projects are synced too (off by default: demo content is local). */
  includeDemo: boolean;
  /** Local changes (committed updates) the server has not acknowledged yet. Survives restarts. */
  pendingChanges: number;
  /** Documents with such changes. */
  pendingDocs: number;
  /** Versions saved here that the server has not accepted yet. */
  pendingVersions: number;
  /** Documents kept in sync with the server. */
  documents: number;
  /** ms since epoch when the server last had everything local, or null. */
  lastSyncedAt: number | null;
  /** While offline: when the next reconnection attempt is due (ms since epoch), or null. */
  nextAttemptAt: number | null;
  /** Where the token is kept: the OS's secret storage (desktop), or a file encrypted with a key kept outside the data folder (browser mode). */
  secretStorage: 'os' | 'file';
}

/** What "Test connection" reports when the server answered and accepted the token. */
export interface SyncTestResult {
  account: string;
  serverAdmin: boolean;
  /** The server's sync protocol version (equal to ours, or the test fails). */
  protocol: number;
  /** Projects this account can reach on the server. */
  projects: number;
  /** Round trip of the test request, ms. */
  latencyMs: number;
}

/** Things the user must be told about, raised once each (the renderer shows them as notices). */
export type SyncNotice =
  | {
      /** Two sets with the same name in one project met on the server: the later one was renamed. */
      kind: 'set-renamed';
      projectId: string;
      setId: string;
      from: string;
      to: string;
    }
  | {
      /** Someone else's version with this number reached the server first: choose another number. */
      kind: 'version-clash';
      projectId: string;
      setId: string;
      setName: string;
      version: string;
    }
  | {
      /** The server dropped an edit (read-only access): the local change is kept, not synced. */
      kind: 'write-refused';
      docId: string;
      reason: string;
    };
