import { useEffect } from 'react';
import { useLocation } from 'wouter';
import type { SyncNotice } from '../../../shared/sync/status';
import { useApi } from '../api';
import type { Notice } from '../notices/notices';
import { notify } from '../notices/notices';

/** A sync notice in words, with the follow-up it calls for (the set, or its history). */
export function syncNoticeText(notice: SyncNotice, navigate: (to: string) => void): Omit<Notice, 'id'> {
  switch (notice.kind) {
    case 'set-renamed':
      return {
        kind: 'info',
        sticky: true,
        title: 'Prompt set renamed',
        message: `Your set "${notice.from}" was renamed to "${notice.to}": a colleague created one with that name first. Both sets are kept.`,
        action: { label: 'Open the set', run: () => navigate(`/sets/${notice.setId}`) },
      };
    case 'version-clash':
      return {
        kind: 'error',
        title: 'Version number taken',
        message: `A colleague saved ${notice.setName} ${notice.version} first. Your version is kept here, not shared: save it again under another number.`,
        action: { label: 'Open the history', run: () => navigate(`/sets/${notice.setId}/history`) },
      };
    case 'write-refused':
      return {
        kind: 'error',
        title: 'Change not synced',
        message: `The server did not accept a change: ${notice.reason}. It is kept in this studio.`,
      };
  }
}

/** Shows the main process's `sync:notice` events as notices (each event once). */
export function useSyncNotices(): void {
  const api = useApi();
  const [, navigate] = useLocation();
  useEffect(() => api.on('sync:notice', (notice) => notify(syncNoticeText(notice, navigate))), [api, navigate]);
}
