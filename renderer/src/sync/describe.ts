import type { SyncState, SyncStatus } from '../../../shared/sync/status';

/** What the indicator and the settings say about a sync status: a short label and one sentence more. */
export interface SyncDescription {
  state: SyncState;
  label: string;
  detail: string;
  /** How the indicator is coloured: all good, working, attention needed, or nothing to say. */
  tone: 'ok' | 'busy' | 'warn' | 'error' | 'off';
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `now` is passed in so the "next attempt in" countdown is testable. */
export function describeSync(status: SyncStatus, now = Date.now()): SyncDescription {
  const server = status.url ?? 'the server';
  switch (status.state) {
    case 'off':
      return {
        state: 'off',
        label: 'Sync off',
        detail: status.url
          ? `Sync with ${server} is turned off: changes stay in this studio.`
          : 'No team server is configured: this studio works offline only.',
        tone: 'off',
      };
    case 'offline': {
      const wait = status.nextAttemptAt === null ? null : Math.max(0, Math.ceil((status.nextAttemptAt - now) / 1000));
      const pending = status.pendingChanges > 0 ? ` ${plural(status.pendingChanges, 'change')} kept to send.` : '';
      return {
        state: 'offline',
        label: 'Offline',
        detail: `${status.reason ?? `Cannot reach ${server}.`}${pending}${wait === null ? '' : ` Next attempt in ${wait} s.`}`,
        tone: 'warn',
      };
    }
    case 'connecting':
      return { state: 'connecting', label: 'Connecting…', detail: `Connecting to ${server}.`, tone: 'busy' };
    case 'syncing':
      return {
        state: 'syncing',
        label: status.pendingChanges > 0 ? `Syncing ${plural(status.pendingChanges, 'change')}` : 'Syncing…',
        detail: `Exchanging changes with ${server}.`,
        tone: 'busy',
      };
    case 'synced': {
      const versions =
        status.pendingVersions > 0 ? ` ${plural(status.pendingVersions, 'version')} waiting for the server.` : '';
      return {
        state: 'synced',
        label: 'Synced',
        detail: `Up to date with ${server}${status.account ? ` as ${status.account}` : ''}.${versions}`,
        tone: 'ok',
      };
    }
    case 'error':
      return {
        state: 'error',
        label: 'Sync error',
        detail: status.reason ?? 'The server refused this studio.',
        tone: 'error',
      };
  }
}
