import { useMemo, useState } from 'react';
import { Link, useLocation } from 'wouter';
import type { ProjectInfo } from '../../../shared/contract';
import { useApi } from '../api';
import { runCommand } from '../commands/registry';
import { NameDialog } from '../components/NameDialog';
import { RowMenu } from '../components/RowMenu';
import { VirtualList } from '../components/VirtualList';
import { useQuery } from '../data/useQuery';
import { Icon } from '../layout/icons';
import { LoadState, Page } from '../layout/Page';
import { notify, notifyError } from '../notices/notices';
import './lists.css';

/** Every live project: open, create, rename, move to the trash (with Undo). */
export function ProjectsScreen() {
  const api = useApi();
  const [, navigate] = useLocation();
  const projects = useQuery('projects:list', {});
  const [filter, setFilter] = useState('');
  const [renaming, setRenaming] = useState<ProjectInfo | null>(null);

  const shown = useMemo(() => {
    const all = projects.data ?? [];
    const f = filter.trim().toLowerCase();
    const list = f ? all.filter((p) => p.name.includes(f) || p.description.toLowerCase().includes(f)) : all;
    return [...list].sort((a, b) => a.name.localeCompare(b.name));
  }, [projects.data, filter]);

  const trash = async (p: ProjectInfo) => {
    try {
      await api.invoke('projects:delete', { projectId: p.id });
      notify({
        kind: 'ok',
        title: 'Moved to the trash',
        message: `Project ${p.name}`,
        action: {
          label: 'Undo',
          run: () => void api.invoke('projects:restore', { projectId: p.id }).catch((e: unknown) => notifyError(e)),
        },
      });
    } catch (err) {
      notifyError(err, `Could not move ${p.name} to the trash`);
    }
  };

  return (
    <Page
      title="Projects"
      crumbs={[{ label: 'Projects' }]}
      fill
      actions={
        <button type="button" className="primary" onClick={() => runCommand('project.new')}>
          <Icon name="plus" size={14} /> New project
        </button>
      }
    >
      <div className="toolbar">
        <input
          type="search"
          aria-label="Filter projects"
          placeholder="Filter projects…"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        {projects.data && (
          <span className="muted">
            {shown.length === projects.data.length
              ? `${projects.data.length} ${projects.data.length === 1 ? 'project' : 'projects'}`
              : `${shown.length} of ${projects.data.length}`}
          </span>
        )}
      </div>
      <LoadState loading={projects.loading} error={projects.error} what="projects" />
      {projects.data && projects.data.length === 0 && (
        <div className="empty">
          <p>No projects yet.</p>
          <button type="button" className="primary" onClick={() => runCommand('project.new')}>
            Create the first project
          </button>
        </div>
      )}
      {projects.data && projects.data.length > 0 && (
        <VirtualList
          label="Projects"
          items={shown}
          rowHeight={48}
          getKey={(p) => p.id}
          renderRow={(p) => (
            <>
              <Icon name="projects" />
              <div className="row-main">
                <Link href={`/projects/${p.id}`} className="row-title">
                  {p.name}
                </Link>
                <span className="row-sub muted">{p.description || 'No description'}</span>
              </div>
              <span className="muted row-meta">{p.editMode !== 'open' ? p.editMode : ''}</span>
              <RowMenu
                name={p.name}
                actions={[
                  { label: 'Open', onSelect: () => navigate(`/projects/${p.id}`) },
                  { label: 'Rename…', onSelect: () => setRenaming(p) },
                  { label: 'Move to trash', danger: true, onSelect: () => void trash(p) },
                ]}
              />
            </>
          )}
        />
      )}
      <NameDialog
        open={renaming !== null}
        onOpenChange={(open) => !open && setRenaming(null)}
        title={`Rename ${renaming?.name ?? ''}`}
        label="Project name"
        initial={renaming?.name ?? ''}
        submitLabel="Rename"
        onSubmit={async (name) => {
          if (!renaming) return;
          await api.invoke('projects:rename', { projectId: renaming.id, name });
        }}
      />
    </Page>
  );
}
