import { useCallback, useMemo } from 'react';
import type { AnvilApi } from '../../../shared/contract';
import { useApi } from '../api';
import { VirtualList } from '../components/VirtualList';
import { useLiveAsync } from '../data/useLiveAsync';
import { relativeTime } from '../format/time';
import { Icon } from '../layout/icons';
import { LoadState, Page } from '../layout/Page';
import { notify, notifyError } from '../notices/notices';
import './lists.css';

interface TrashItem {
  kind: 'project' | 'set';
  id: string;
  name: string;
  /** For a set: the project it belongs to. */
  projectName?: string;
  deletedAt: number;
}

/**
 * Trashed projects, and trashed sets of live projects (a trashed project's sets come back with it). There is
 * no single "list the trash" operation, so sets are gathered project by project, in parallel.
 */
async function loadTrash(api: AnvilApi): Promise<TrashItem[]> {
  const projects = await api.invoke('projects:list', { includeTrashed: true });
  const items: TrashItem[] = projects
    .filter((p) => p.trashed)
    .map((p) => ({ kind: 'project', id: p.id, name: p.name, deletedAt: p.deletedAt ?? 0 }));
  const live = projects.filter((p) => !p.trashed);
  const setLists = await Promise.all(
    live.map((p) => api.invoke('sets:list', { projectId: p.id, includeTrashed: true })),
  );
  setLists.forEach((sets, i) => {
    for (const s of sets)
      if (s.trashed)
        items.push({ kind: 'set', id: s.id, name: s.name, projectName: live[i]?.name, deletedAt: s.deletedAt ?? 0 });
  });
  return items.sort((a, b) => b.deletedAt - a.deletedAt);
}

export function TrashScreen() {
  const api = useApi();
  const load = useCallback(() => loadTrash(api), [api]);
  const trash = useLiveAsync(load, 'trash');
  const items = useMemo(() => trash.data ?? [], [trash.data]);

  const restore = async (item: TrashItem) => {
    try {
      if (item.kind === 'project') await api.invoke('projects:restore', { projectId: item.id });
      else await api.invoke('sets:restore', { setId: item.id });
      notify({
        kind: 'ok',
        title: 'Restored',
        message: `${item.kind === 'project' ? 'Project' : 'Prompt set'} ${item.name}`,
      });
      trash.reload();
    } catch (err) {
      notifyError(err, `Could not restore ${item.name}`);
    }
  };

  return (
    <Page
      title="Trash"
      subtitle="Projects and prompt sets moved to the trash. Restore brings one back with everything in it."
      crumbs={[{ label: 'Trash' }]}
      fill
    >
      <LoadState loading={trash.loading && !trash.data} error={trash.error} what="the trash" />
      {trash.data && items.length === 0 && <div className="empty">The trash is empty.</div>}
      {items.length > 0 && (
        <VirtualList
          label="Trashed items"
          items={items}
          rowHeight={48}
          getKey={(t) => `${t.kind}:${t.id}`}
          renderRow={(t) => (
            <>
              <Icon name={t.kind === 'project' ? 'projects' : 'set'} />
              <div className="row-main">
                <span className="row-title">{t.name}</span>
                <span className="row-sub muted">
                  {t.kind === 'project' ? 'Project' : `Prompt set in ${t.projectName ?? 'a project'}`}
                </span>
              </div>
              <span className="muted row-meta">deleted {relativeTime(t.deletedAt)}</span>
              <button type="button" aria-label={`Restore ${t.name}`} onClick={() => void restore(t)}>
                Restore
              </button>
            </>
          )}
        />
      )}
    </Page>
  );
}
