import { useLocation } from 'wouter';
import { useApi } from '../api';
import { useCommands } from '../commands/registry';
import { notify } from '../notices/notices';
import { describeSync } from './describe';
import { SYNC_SETTINGS_HREF } from './SyncIndicator';
import { setSyncStatus } from './useSyncStatus';

/** Palette commands of sync: retry now, and open the sync settings. */
export function useSyncCommands(): void {
  const api = useApi();
  const [, navigate] = useLocation();
  useCommands(
    [
      {
        id: 'sync.retry',
        title: 'Sync: retry now',
        group: 'Sync',
        keywords: ['reconnect', 'server', 'offline', 'connect'],
        run: async () => {
          const status = await api.invoke('sync:retry', {});
          setSyncStatus(api, status);
          const d = describeSync(status);
          notify({ kind: status.state === 'error' ? 'error' : 'info', title: `Sync: ${d.label}`, message: d.detail });
        },
      },
      {
        id: 'sync.openSettings',
        title: 'Sync: open settings',
        group: 'Sync',
        keywords: ['server', 'token', 'team', 'connection'],
        run: () => navigate(SYNC_SETTINGS_HREF),
      },
    ],
    [api, navigate],
  );
}
