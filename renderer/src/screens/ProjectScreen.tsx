import { useMemo, useState } from 'react';
import { Link, useLocation } from 'wouter';
import type { SetInfo } from '../../../shared/contract';
import { useApi } from '../api';
import { useCommands } from '../commands/registry';
import { NameDialog } from '../components/NameDialog';
import { RowMenu } from '../components/RowMenu';
import { VirtualList } from '../components/VirtualList';
import { useQuery } from '../data/useQuery';
import { Icon } from '../layout/icons';
import { LoadState, Page } from '../layout/Page';
import { notify, notifyError } from '../notices/notices';
import { EditModeControl } from '../registry/EditModeControl';
import './lists.css';

/** One project: its prompt sets (create, rename, move to the trash), and the project's own rename/trash. */
export function ProjectScreen({ projectId }: { projectId: string }) {
  const api = useApi();
  const [, navigate] = useLocation();
  const project = useQuery('projects:get', { projectId });
  const sets = useQuery('sets:list', { projectId });
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<SetInfo | null>(null);
  const [renamingProject, setRenamingProject] = useState(false);
  const name = project.data?.name ?? '…';

  useCommands(
    [{ id: 'set.new', title: 'New prompt set in this project', group: 'Projects', run: () => setCreating(true) }],
    [],
  );

  const sorted = useMemo(() => [...(sets.data ?? [])].sort((a, b) => a.name.localeCompare(b.name)), [sets.data]);

  const trashSet = async (s: SetInfo) => {
    try {
      await api.invoke('sets:delete', { setId: s.id });
      notify({
        kind: 'ok',
        title: 'Moved to the trash',
        message: `Prompt set ${s.name}`,
        action: {
          label: 'Undo',
          run: () => void api.invoke('sets:restore', { setId: s.id }).catch((e: unknown) => notifyError(e)),
        },
      });
    } catch (err) {
      notifyError(err, `Could not move ${s.name} to the trash`);
    }
  };

  const trashProject = async () => {
    try {
      await api.invoke('projects:delete', { projectId });
      notify({ kind: 'ok', title: 'Moved to the trash', message: `Project ${name}` });
      navigate('/projects');
    } catch (err) {
      notifyError(err, `Could not move ${name} to the trash`);
    }
  };

  if (project.error)
    return (
      <Page title="Project not found" crumbs={[{ label: 'Projects', href: '/projects' }, { label: 'Not found' }]}>
        <p role="alert">{project.error.message}</p>
        <Link href="/projects">Back to projects</Link>
      </Page>
    );

  return (
    <Page
      title={name}
      subtitle={project.data?.description || undefined}
      crumbs={[{ label: 'Projects', href: '/projects' }, { label: name }]}
      fill
      actions={
        <>
          <button type="button" className="primary" onClick={() => setCreating(true)} disabled={!project.data}>
            <Icon name="plus" size={14} /> New prompt set
          </button>
          <RowMenu
            name={name}
            actions={[
              { label: 'Rename project…', onSelect: () => setRenamingProject(true) },
              { label: 'Move project to trash', danger: true, onSelect: () => void trashProject() },
            ]}
          />
        </>
      }
    >
      {project.data?.trashed && (
        <div className="banner" role="status">
          This project is in the trash.
          <button
            type="button"
            onClick={() => void api.invoke('projects:restore', { projectId }).catch((e: unknown) => notifyError(e))}
          >
            Restore project
          </button>
        </div>
      )}
      {project.data && !project.data.trashed && <EditModeControl projectId={projectId} />}
      <LoadState loading={sets.loading} error={sets.error} what="prompt sets" />
      {sets.data && sets.data.length === 0 && (
        <div className="empty">
          <p>No prompt sets in this project yet.</p>
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            Create a prompt set
          </button>
        </div>
      )}
      {sets.data && sets.data.length > 0 && (
        <VirtualList
          label="Prompt sets"
          items={sorted}
          rowHeight={48}
          getKey={(s) => s.id}
          renderRow={(s) => (
            <>
              <Icon name="set" />
              <div className="row-main">
                <Link href={`/sets/${s.id}`} className="row-title">
                  {s.name}
                </Link>
                <span className="row-sub muted">{s.description || `@${name}/${s.name}`}</span>
              </div>
              <span className="muted row-meta">
                {s.promptCount} {s.promptCount === 1 ? 'prompt' : 'prompts'}
              </span>
              <RowMenu
                name={s.name}
                actions={[
                  { label: 'Open', onSelect: () => navigate(`/sets/${s.id}`) },
                  { label: 'Rename…', onSelect: () => setRenaming(s) },
                  { label: 'Move to trash', danger: true, onSelect: () => void trashSet(s) },
                ]}
              />
            </>
          )}
        />
      )}
      <NameDialog
        open={creating}
        onOpenChange={setCreating}
        title="New prompt set"
        label="Prompt set name"
        description={`Its address will be @${name}/<name>. Lowercase a-z, 0-9, ".", "_" and "-".`}
        submitLabel="Create prompt set"
        onSubmit={async (setName) => {
          const created = await api.invoke('sets:create', { projectId, name: setName });
          notify({ kind: 'ok', title: 'Prompt set created', message: created.name });
          navigate(`/sets/${created.id}`);
        }}
      />
      <NameDialog
        open={renaming !== null}
        onOpenChange={(open) => !open && setRenaming(null)}
        title={`Rename ${renaming?.name ?? ''}`}
        label="Prompt set name"
        initial={renaming?.name ?? ''}
        submitLabel="Rename"
        onSubmit={async (setName) => {
          if (renaming) await api.invoke('sets:rename', { setId: renaming.id, name: setName });
        }}
      />
      <NameDialog
        open={renamingProject}
        onOpenChange={setRenamingProject}
        title={`Rename ${name}`}
        label="Project name"
        initial={project.data?.name ?? ''}
        submitLabel="Rename"
        onSubmit={async (projectName) => {
          await api.invoke('projects:rename', { projectId, name: projectName });
        }}
      />
    </Page>
  );
}
