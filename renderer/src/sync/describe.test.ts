import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../shared/sync/status';
import { describeSync } from './describe';

const base: SyncStatus = {
  state: 'off',
  reason: null,
  errorCode: null,
  enabled: false,
  url: null,
  hasToken: false,
  account: null,
  includeDemo: false,
  pendingChanges: 0,
  pendingDocs: 0,
  pendingVersions: 0,
  documents: 0,
  lastSyncedAt: null,
  nextAttemptAt: null,
  secretStorage: 'file',
};

describe('describeSync', () => {
  it('says what each state means', () => {
    expect(describeSync(base)).toMatchObject({ label: 'Sync off', tone: 'off' });
    expect(describeSync(base).detail).toContain('No team server');
    const url = 'ws://127.0.0.1:4321';
    expect(describeSync({ ...base, url }).detail).toContain('turned off');
    expect(describeSync({ ...base, url, state: 'connecting' }).label).toBe('Connecting…');
    expect(describeSync({ ...base, url, state: 'syncing', pendingChanges: 3 }).label).toBe('Syncing 3 changes');
    expect(describeSync({ ...base, url, state: 'syncing', pendingChanges: 1 }).label).toBe('Syncing 1 change');
    expect(describeSync({ ...base, url, state: 'synced', account: 'ada' }).detail).toBe(
      `Up to date with ${url} as ada.`,
    );
    const error = describeSync({ ...base, url, state: 'error', reason: 'The token was revoked.' });
    expect(error).toMatchObject({ label: 'Sync error', detail: 'The token was revoked.', tone: 'error' });
  });

  it('offline: the reason, what is kept, and when the next attempt is', () => {
    const d = describeSync(
      {
        ...base,
        state: 'offline',
        url: 'ws://x',
        reason: 'Cannot reach ws://x.',
        pendingChanges: 2,
        nextAttemptAt: 10_500,
      },
      1_000,
    );
    expect(d.detail).toBe('Cannot reach ws://x. 2 changes kept to send. Next attempt in 10 s.');
  });
});
