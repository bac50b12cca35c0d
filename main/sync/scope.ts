import { DEMO } from '../store/seed';
import type { Workspace } from '../store/workspace';
import { readProject } from '../../shared/doc';

/** Settings key: ids of the demo projects, recorded by the studio host when it seeds the demo. */
export const DEMO_PROJECTS_KEY = 'studio.demoProjects';

/**
 * The demo projects of this workspace: local content, never synced unless the user chooses to.
 *
 * The host records their ids when it seeds the demo. A workspace seeded before that was recorded has no list:
 * then the projects named like the demo specs (`main/store/seed`) are taken for the demo, and that guess is
 * recorded once, so a project of the same name that arrives later from a colleague is not mistaken for it.
 */
export async function demoProjectIds(ws: Workspace): Promise<Set<string>> {
  const recorded = await ws.settings.get({ key: DEMO_PROJECTS_KEY });
  if (Array.isArray(recorded)) return new Set(recorded.filter((id): id is string => typeof id === 'string'));
  const demoNames = new Set(DEMO.map((p) => p.name));
  const docs = ws.internals.docs;
  const ids = docs.list('project').filter((id) => {
    const doc = docs.get(id);
    return doc !== undefined && demoNames.has(readProject(doc).name);
  });
  await ws.settings.set({ key: DEMO_PROJECTS_KEY, value: ids });
  return new Set(ids);
}

/** Record the projects the demo seed just made (the workspace had none before). */
export async function recordDemoProjects(ws: Workspace): Promise<void> {
  const ids = (await ws.projects.list({ includeTrashed: true })).map((p) => p.id);
  await ws.settings.set({ key: DEMO_PROJECTS_KEY, value: ids });
}
