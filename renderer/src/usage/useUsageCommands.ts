import { useLocation } from 'wouter';
import { useCommands } from '../commands/registry';
import { ANALYTICS_HREF } from './shape';

/** The palette's way to the analytics dashboard (also in the sidebar). */
export function useUsageCommands(): void {
  const [, navigate] = useLocation();
  useCommands(
    [
      {
        id: 'nav.analytics',
        title: 'Open analytics',
        group: 'Navigation',
        keywords: ['usage', 'renders', 'latency', 'cost', 'tokens', 'dashboard', 'metrics', 'charts'],
        run: () => navigate(ANALYTICS_HREF),
      },
    ],
    [navigate],
  );
}
