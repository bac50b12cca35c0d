import { Link } from 'wouter';
import { isMacPlatform, runCommand } from '../commands/registry';
import { formatShortcut } from '../commands/shortcuts';
import { useQuery } from '../data/useQuery';
import { relativeTime } from '../format/time';
import { Icon } from '../layout/icons';
import { LoadState, Page } from '../layout/Page';
import './dashboard.css';

/** The first screen: how much there is, what was touched last, and the ways to start. */
export function DashboardScreen() {
  const overview = useQuery('app:overview', { recentLimit: 12 });
  const mac = isMacPlatform();
  const counts = overview.data?.counts;
  const stats: { label: string; value: number | undefined; href: string }[] = [
    { label: 'Projects', value: counts?.projects, href: '/projects' },
    { label: 'Prompt sets', value: counts?.sets, href: '/projects' },
    { label: 'Prompts', value: counts?.prompts, href: '/search' },
    { label: 'Versions', value: counts?.versions, href: '/projects' },
    { label: 'In the trash', value: counts?.trashed, href: '/trash' },
  ];

  return (
    <Page title="Dashboard" crumbs={[{ label: 'Dashboard' }]}>
      <section aria-label="Counts" className="stats">
        {stats.map((s) => (
          <Link key={s.label} href={s.href} className="stat">
            {/* The space keeps the link's accessible name "2 Projects", not "2Projects". */}
            <span className="stat-value">{s.value ?? '–'}</span> <span className="stat-label">{s.label}</span>
          </Link>
        ))}
      </section>

      <div className="dashboard-grid">
        <section className="panel" aria-labelledby="recent-title">
          <h2 id="recent-title">Recent prompts</h2>
          <LoadState loading={overview.loading} error={overview.error} what="recent prompts" />
          {overview.data && overview.data.recent.length === 0 && (
            <p className="muted">No prompts yet. Create a project, then a prompt set in it.</p>
          )}
          {overview.data && overview.data.recent.length > 0 && (
            <ul className="recent-list" aria-label="Recent prompts">
              {overview.data.recent.map((p) => (
                <li key={p.promptId}>
                  <Link href={`/sets/${p.setId}/${p.promptId}`} className="recent-link">
                    <Icon name="prompt" size={14} />
                    <span className="recent-name">{p.promptName}</span>
                    <span className="muted recent-path">
                      {p.projectName || '…'} / {p.setName}
                    </span>
                    <span className="muted recent-kind">{p.kind}</span>
                    <span className="muted recent-time">{relativeTime(p.updatedAt)}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="panel" aria-labelledby="quick-title">
          <h2 id="quick-title">Quick actions</h2>
          <div className="quick-actions">
            <button type="button" onClick={() => runCommand('project.new')}>
              <Icon name="plus" size={14} /> New project
            </button>
            <button type="button" onClick={() => runCommand('palette.open')}>
              <Icon name="command" size={14} /> Open command palette <kbd>{formatShortcut('Mod+K', mac)}</kbd>
            </button>
            <button type="button" onClick={() => runCommand('nav.search')}>
              <Icon name="search" size={14} /> Search prompts <kbd>{formatShortcut('Mod+Shift+F', mac)}</kbd>
            </button>
            <button type="button" onClick={() => runCommand('nav.help')}>
              <Icon name="help" size={14} /> Keyboard shortcuts and Liquid reference
            </button>
          </div>
        </section>
      </div>
    </Page>
  );
}
