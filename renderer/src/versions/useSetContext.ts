import type { Crumb } from '../layout/Breadcrumbs';
import { useQuery } from '../data/useQuery';

/**
 * What the versions screens share: the set's draft content (live: it follows edits made elsewhere), its
 * versions (newest first), and breadcrumbs project › set › <screen>.
 */
export function useSetContext(setId: string) {
  const draft = useQuery('sets:content', { setId });
  const versions = useQuery('versions:list', { setId });
  const projectId = draft.data?.projectId ?? '';
  const project = useQuery('projects:get', { projectId }, { enabled: projectId !== '' });
  const setName = draft.data?.name ?? '…';
  const projectName = project.data?.name ?? '…';
  const crumbs = (screen: string, extra: Crumb[] = []): Crumb[] => [
    { label: 'Projects', href: '/projects' },
    projectId ? { label: projectName, href: `/projects/${projectId}` } : { label: '…' },
    { label: setName, href: `/sets/${setId}` },
    ...extra,
    { label: screen },
  ];
  return { draft, versions, setName, projectName, crumbs };
}
