import { useLocation } from 'wouter';
import { useTheme } from '../theme/ThemeProvider';
import { useCommands } from './registry';

/**
 * The commands available on every screen: navigation, the palette, the theme and "New project". The desktop
 * menu sends some of these ids as `app:command` events.
 */
export function useGlobalCommands(ui: { togglePalette(): void; newProject(): void }): void {
  const [, navigate] = useLocation();
  const { resolved, setTheme } = useTheme();
  useCommands(
    [
      {
        id: 'palette.open',
        title: 'Open command palette',
        group: 'Navigation',
        shortcut: 'Mod+K',
        keywords: ['find', 'go to', 'commands'],
        run: ui.togglePalette,
      },
      {
        id: 'nav.search',
        title: 'Search prompts',
        group: 'Navigation',
        shortcut: 'Mod+Shift+F',
        keywords: ['find', 'full text'],
        run: () => navigate('/search'),
      },
      {
        id: 'nav.dashboard',
        title: 'Go to dashboard',
        group: 'Navigation',
        keywords: ['home'],
        run: () => navigate('/'),
      },
      { id: 'nav.projects', title: 'Go to projects', group: 'Navigation', run: () => navigate('/projects') },
      {
        id: 'nav.settings',
        title: 'Open settings',
        group: 'Navigation',
        shortcut: 'Mod+,',
        keywords: ['preferences', 'theme', 'identity'],
        run: () => navigate('/settings'),
      },
      {
        id: 'nav.help',
        title: 'Open help',
        group: 'Navigation',
        keywords: ['shortcuts', 'liquid', 'filters', 'tags', 'reference'],
        run: () => navigate('/help'),
      },
      { id: 'nav.account', title: 'Open account', group: 'Navigation', run: () => navigate('/account') },
      {
        id: 'nav.trash',
        title: 'Open trash',
        group: 'Navigation',
        keywords: ['restore', 'deleted'],
        run: () => navigate('/trash'),
      },
      {
        id: 'view.toggleTheme',
        title: resolved === 'dark' ? 'Switch to light theme' : 'Switch to dark theme',
        group: 'View',
        keywords: ['theme', 'dark', 'light', 'colors'],
        run: () => setTheme(resolved === 'dark' ? 'light' : 'dark'),
      },
      { id: 'project.new', title: 'New project', group: 'Projects', keywords: ['create'], run: ui.newProject },
    ],
    [navigate, resolved, setTheme, ui.togglePalette, ui.newProject],
  );
}
