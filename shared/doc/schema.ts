import type * as Y from 'yjs';

/**
 * Layout of the Yjs documents that hold drafts. One document per project (its own attributes) and one per
 * prompt set (the set and all its prompts), keyed by stable ids: names are attributes and may change or
 * clash. Everything a user types lives in Y.Text, so concurrent edits of one template merge character by
 * character; small structured values (a parameter, model settings) are plain JSON under a Y.Map key, so
 * concurrent edits of different parameters merge and the same parameter resolves last-writer-wins.
 *
 *   set doc                                       project doc
 *   ├─ meta: Y.Map                                ├─ meta: Y.Map
 *   │   schemaVersion, kind:'set', id, projectId,  │   schemaVersion, kind:'project', id, name,
 *   │   name, description, deletedAt               │   description, editMode, deletedAt
 *   │                                             └─ sets: Y.Map<setId → SetIndexEntry>  (kept by sync)
 *   ├─ dependencies: Y.Map<range>   ("@acme/common" → "^1.0.0")
 *   └─ prompts: Y.Map<promptId → Y.Map>
 *        id, name, description, kind, deletedAt,
 *        template: Y.Text                (text prompts)
 *        messages: Y.Array<Y.Map>        (chat prompts: {type:'message', role, content: Y.Text} | {type:'history', name})
 *        parameters: Y.Map<name → Parameter JSON + position>
 *        model: ModelSettings JSON | null
 *        metadata: Y.Map<string>
 */
export const DOC_SCHEMA_VERSION = 1;

export type DocKind = 'project' | 'set';

export const meta = (doc: Y.Doc): Y.Map<unknown> => doc.getMap('meta');
export const dependencies = (doc: Y.Doc): Y.Map<string> => doc.getMap('dependencies');
export const prompts = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap('prompts');

/**
 * The project's sets as sync knows them: the sync engine adds an entry for every set of a synced project, so a
 * colleague's new set reaches the other studios through the project document and is then connected too.
 * Keyed by id, so two studios adding sets never conflict; trashed sets keep their entry (the trash state is in
 * the set document). `createdAt`/`createdBy` order two sets that met under the same name: the later one is
 * renamed, by the studio that created it only.
 */
export interface SetIndexEntry {
  /** ms since epoch the set was created (or first indexed, for sets from before sync). */
  createdAt: number;
  /** The sync id of the studio (workspace) that created it. */
  createdBy: string;
}

export const setIndex = (doc: Y.Doc): Y.Map<SetIndexEntry> => doc.getMap('sets');

export function docKind(doc: Y.Doc): DocKind | undefined {
  const kind = meta(doc).get('kind');
  return kind === 'project' || kind === 'set' ? kind : undefined;
}

export function promptMap(doc: Y.Doc, promptId: string): Y.Map<unknown> | undefined {
  return prompts(doc).get(promptId);
}

/** Origins tag transactions so listeners (persistence, sync, audit) can tell who changed what. */
export const ORIGIN = {
  local: 'local',
  remote: 'remote',
  migration: 'migration',
  restore: 'restore',
  load: 'load',
} as const;
