import { useEffect } from 'react';
import { useLocation } from 'wouter';
import { useApi } from '../api';
import { useCommands } from '../commands/registry';
import { notify } from '../notices/notices';
import { registryNoticeText } from './format';
import { REVIEWS_HREF, reviewHref } from './ReviewQueueScreen';

/**
 * The registry's global part of the studio: the "Open review queue" command, and the author's notifications (a
 * request approved and published, rejected, changes requested, commented) shown as notices that stay until read,
 * with the way to the review. The main process tells each change once.
 */
export function useRegistry(): void {
  const api = useApi();
  const [, navigate] = useLocation();
  useCommands(
    [
      {
        id: 'nav.reviews',
        title: 'Open review queue',
        group: 'Navigation',
        keywords: ['review', 'approve', 'publish', 'registry', 'requests'],
        run: () => navigate(REVIEWS_HREF),
      },
    ],
    [navigate],
  );
  useEffect(
    () =>
      api.on('registry:notice', (n) =>
        notify({
          ...registryNoticeText(n),
          sticky: true,
          action: { label: 'Open the review', run: () => navigate(reviewHref(n.reviewId)) },
        }),
      ),
    [api, navigate],
  );
}
