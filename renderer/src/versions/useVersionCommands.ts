import { useLocation } from 'wouter';
import { useCommands } from '../commands/registry';
import { historyHref } from './sides';

/** The set's versions commands, registered by the editor: "Open history" and "Compare versions…". */
export function useVersionCommands(setId: string): void {
  const [, navigate] = useLocation();
  useCommands(
    [
      {
        id: 'versions.history',
        title: 'Open history',
        group: 'Versions',
        keywords: ['versions', 'timeline', 'restore', 'snapshots'],
        run: () => navigate(historyHref(setId)),
      },
      {
        id: 'versions.compare',
        title: 'Compare versions…',
        group: 'Versions',
        keywords: ['diff', 'history', 'draft'],
        // Without sides the compare screen shows the latest version against the draft, with pickers for both.
        run: () => navigate(`/sets/${setId}/compare`),
      },
    ],
    [navigate, setId],
  );
}
