import type { Dependencies, EditMode, PromptSetContent, VersionInfo } from '../domain';

/**
 * What the operations return. Plain JSON shapes (no Dates, no Maps) so they cross IPC and WebSocket as they
 * are; the main process builds them, the renderer only reads them.
 */

export interface ProjectInfo {
  id: string;
  name: string;
  description: string;
  editMode: EditMode;
  /** ms since epoch when moved to the trash, or null. */
  deletedAt: number | null;
  trashed: boolean;
}

export interface SetInfo {
  id: string;
  projectId: string;
  name: string;
  description: string;
  dependencies: Dependencies;
  promptCount: number;
  deletedAt: number | null;
  trashed: boolean;
}

/**
 * A fragment of search snippet text. Matched words are flagged rather than wrapped in markup: the UI renders
 * the parts as text nodes (e.g. `<mark>{text}</mark>` in React), never as HTML, since templates are full of `<`.
 */
export interface SnippetPart {
  text: string;
  match: boolean;
}

export interface SearchHit {
  promptId: string;
  promptName: string;
  kind: 'text' | 'chat';
  setId: string;
  setName: string;
  projectId: string;
  /** '' while the project's document has not been synced yet. */
  projectName: string;
  /** Best fragment of the prompt's templates, matched words marked. */
  snippet: SnippetPart[];
  /** bm25 rank: lower is better. */
  rank: number;
}

export interface VersionWithContent extends VersionInfo {
  content: PromptSetContent;
}

export interface DraftSnapshot {
  id: string;
  setId: string;
  createdAt: string;
  actor: string;
  reason: string;
  contentHash: string;
}

export interface RestoreResult {
  /** The automatic snapshot of the draft as it was before (null when the draft already had that content). */
  snapshot: DraftSnapshot | null;
  /** Hash of the draft after the restore. */
  contentHash: string;
}

export type EntityKind = 'project' | 'set' | 'prompt' | 'setting';

/**
 * What happened, `<entity>.<verb>`; `edit` is a coalesced run of typing (and other content changes) in one
 * prompt by one actor within one minute.
 */
export type AuditAction =
  | 'project.create'
  | 'project.rename'
  | 'project.update'
  | 'project.delete'
  | 'project.restore'
  | 'set.create'
  | 'set.rename'
  | 'set.update'
  | 'set.delete'
  | 'set.restore'
  | 'prompt.create'
  | 'prompt.rename'
  | 'prompt.delete'
  | 'edit'
  | 'version.save'
  | 'version.restore'
  | 'version.renumber'
  | 'draft.snapshot'
  | 'settings.set';

export interface AuditEntry {
  id: number;
  /** ms since epoch */
  at: number;
  actor: string;
  action: AuditAction;
  entityKind: EntityKind;
  entityId: string;
  beforeHash: string | null;
  afterHash: string | null;
  details: Record<string, unknown>;
}
