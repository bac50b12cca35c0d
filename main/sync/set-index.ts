import type * as Y from 'yjs';
import { ORIGIN, meta, setDeletedAt, setIndex } from '../../shared/doc';
import type { SetIndexEntry } from '../../shared/doc';
import { NAME_MAX } from '../../shared/domain';
import type { SyncNotice } from '../../shared/sync/status';
import type { Workspace } from '../store/workspace';

/** The project a set document belongs to (its meta), or null when the document is not a set. */
export function projectOfSet(doc: Y.Doc): string | null {
  const m = meta(doc);
  const projectId = m.get('projectId');
  return m.get('kind') === 'set' && typeof projectId === 'string' ? projectId : null;
}

/** Local set documents by project. */
export function localSetsByProject(ws: Workspace): Map<string, string[]> {
  const docs = ws.internals.docs;
  const byProject = new Map<string, string[]>();
  for (const setId of docs.list('set')) {
    const doc = docs.get(setId);
    const projectId = doc ? projectOfSet(doc) : null;
    if (!projectId) continue;
    const list = byProject.get(projectId) ?? [];
    list.push(setId);
    byProject.set(projectId, list);
  }
  return byProject;
}

/** When a set was created, as the audit log remembers it (sets from before sync), else now. */
function createdAtOf(ws: Workspace, setId: string): number {
  const at = ws.internals.db
    .prepare<[string], number>("SELECT min(at) FROM audit WHERE entity_id = ? AND action = 'set.create'")
    .pluck()
    .get(setId);
  return typeof at === 'number' ? at : Date.now();
}

/**
 * Add the project's local sets missing from its index (origin `local`: it is this studio's news to tell).
 * Resolves once durable; does nothing when all are there.
 */
export async function indexLocalSets(
  ws: Workspace,
  projectId: string,
  setIds: readonly string[],
  studioId: string,
): Promise<void> {
  const docs = ws.internals.docs;
  const project = docs.get(projectId);
  if (!project) return;
  const index = setIndex(project);
  const missing = setIds.filter((id) => !index.has(id));
  if (missing.length === 0) return;
  const entries = missing.map((id): [string, SetIndexEntry] => [
    id,
    { createdAt: createdAtOf(ws, id), createdBy: studioId },
  ]);
  await docs.transact(
    projectId,
    (doc) => {
      const idx = setIndex(doc);
      for (const [id, entry] of entries) if (!idx.has(id)) idx.set(id, entry);
    },
    ORIGIN.local,
  );
}

/**
 * Two live sets of one project with the same name (made offline on two machines): both are kept, and each
 * later one (by `createdAt`, then id) gets the next free `<name>-<n>`, n ≥ 2. Names allow only `a-z0-9._-`, so
 * the suffix is `-2`, not ` (2)`. Every studio computes the same plan from the same documents, but only the
 * studio that created a set renames it (so two studios never race to rename the same set); the others see
 * the rename arrive. Returns the notices for the sets this studio renamed.
 */
export async function resolveNameClashes(ws: Workspace, projectId: string, studioId: string): Promise<SyncNotice[]> {
  const docs = ws.internals.docs;
  const project = docs.get(projectId);
  if (!project) return [];
  const index = setIndex(project);
  const live: { id: string; name: string; entry: SetIndexEntry | undefined }[] = [];
  const taken = new Set<string>();
  for (const id of docs.list('set')) {
    const doc = docs.get(id);
    if (!doc || projectOfSet(doc) !== projectId) continue;
    const name = meta(doc).get('name');
    if (typeof name !== 'string') continue;
    if (setDeletedAt(doc) !== null) continue;
    taken.add(name);
    live.push({ id, name, entry: index.get(id) });
  }
  const byName = new Map<string, typeof live>();
  for (const s of live) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const notices: SyncNotice[] = [];
  for (const [name, group] of byName) {
    if (group.length < 2) continue;
    // Sets not in the index yet are newest (their studio has not told anyone): they are the later ones.
    group.sort(
      (a, b) =>
        (a.entry?.createdAt ?? Infinity) - (b.entry?.createdAt ?? Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    for (const later of group.slice(1)) {
      const to = nextFree(name, taken);
      taken.add(to);
      if (later.entry?.createdBy !== studioId) continue;
      try {
        await ws.sets.rename({ setId: later.id, name: to });
        notices.push({ kind: 'set-renamed', projectId, setId: later.id, from: name, to });
      } catch {
        // Renamed meanwhile (the name was taken by an arriving set): the next check plans again.
      }
    }
  }
  return notices;
}

function nextFree(name: string, taken: ReadonlySet<string>): string {
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${name.slice(0, NAME_MAX - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
