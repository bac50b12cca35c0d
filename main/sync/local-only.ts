import { AnvilError } from '../../shared/domain';
import type { SyncStatus } from '../../shared/sync/status';
import type { StudioSync } from './types';

/** Scaffolding until the engine is wired: sync is off and cannot be turned on. */
export function localOnlySync(): StudioSync {
  const status: SyncStatus = {
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
  const unavailable = () =>
    Promise.reject(new AnvilError({ code: 'not_implemented', message: 'Sync is not available in this build.' }));
  return {
    status: () => status,
    configure: unavailable,
    test: unavailable,
    retry: () => status,
    onStatus: () => () => {},
    onNotice: () => () => {},
    close: async () => {},
  };
}
