import type { ReactNode } from 'react';
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { formatShortcut } from '../commands/shortcuts';
import { isMacPlatform, runCommand } from '../commands/registry';
import { SyncIndicator } from '../sync/SyncIndicator';
import { useTheme } from '../theme/ThemeProvider';
import { HeaderSearch } from './HeaderSearch';
import { HeaderSlotContext } from './headerSlot';
import type { IconName } from './icons';
import { Icon } from './icons';
import './shell.css';

const NAV: { href: string; label: string; icon: IconName; match(path: string): boolean }[] = [
  { href: '/', label: 'Dashboard', icon: 'dashboard', match: (p) => p === '/' },
  {
    href: '/projects',
    label: 'Projects',
    icon: 'projects',
    match: (p) => p.startsWith('/projects') || p.startsWith('/sets'),
  },
  { href: '/search', label: 'Search', icon: 'search', match: (p) => p.startsWith('/search') },
  { href: '/reviews', label: 'Reviews', icon: 'review', match: (p) => p.startsWith('/reviews') },
  { href: '/analytics', label: 'Analytics', icon: 'analytics', match: (p) => p.startsWith('/analytics') },
];
const NAV_BOTTOM: typeof NAV = [
  { href: '/trash', label: 'Trash', icon: 'trash', match: (p) => p.startsWith('/trash') },
  { href: '/settings', label: 'Settings', icon: 'settings', match: (p) => p.startsWith('/settings') },
  { href: '/account', label: 'Account', icon: 'account', match: (p) => p.startsWith('/account') },
  { href: '/help', label: 'Help', icon: 'help', match: (p) => p.startsWith('/help') },
];

/** The frame of every screen: sidebar navigation, a header with breadcrumbs, search and the palette button. */
export function AppShell({ children }: { children: ReactNode }) {
  const [path] = useLocation();
  const [slot, setSlot] = useState<HTMLElement | null>(null);
  const { resolved } = useTheme();
  const mac = isMacPlatform();

  const link = (item: (typeof NAV)[number]) => {
    const active = item.match(path);
    return (
      <li key={item.href}>
        <Link
          href={item.href}
          className={active ? 'nav-link active' : 'nav-link'}
          aria-current={active ? 'page' : undefined}
        >
          <Icon name={item.icon} />
          <span>{item.label}</span>
        </Link>
      </li>
    );
  };

  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand" aria-hidden="true">
          <span className="brand-mark">◆</span> Anvil
        </div>
        <nav aria-label="Main" className="sidebar-nav">
          <ul>{NAV.map(link)}</ul>
          <ul className="sidebar-bottom">{NAV_BOTTOM.map(link)}</ul>
        </nav>
      </aside>
      <div className="main-column">
        <header className="topbar">
          <div className="crumb-slot" ref={setSlot} />
          {!path.startsWith('/search') && <HeaderSearch />}
          <SyncIndicator />
          <button
            type="button"
            className="topbar-button"
            aria-label="Open command palette"
            title="Command palette"
            onClick={() => runCommand('palette.open')}
          >
            <Icon name="command" />
            <kbd>{formatShortcut('Mod+K', mac)}</kbd>
          </button>
          <button
            type="button"
            className="icon-button topbar-icon"
            aria-label={resolved === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
            title="Toggle theme"
            onClick={() => runCommand('view.toggleTheme')}
          >
            <Icon name={resolved === 'dark' ? 'sun' : 'moon'} />
          </button>
        </header>
        <HeaderSlotContext.Provider value={slot}>
          <main className="content" id="content">
            {children}
          </main>
        </HeaderSlotContext.Provider>
      </div>
    </div>
  );
}
