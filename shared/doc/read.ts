import * as Y from 'yjs';
import type { ChatItem, Parameter, Project, Prompt, PromptSetContent } from '../domain';
import { EditMode } from '../domain';
import { dependencies, meta, prompts } from './schema';

/**
 * Plain content of a set document. Deleted prompts are left out; parameters come in their declared order.
 * This is what versions freeze and what the relational projection and search index are built from.
 */
export function readSetContent(doc: Y.Doc): PromptSetContent {
  const m = meta(doc);
  const out: Prompt[] = [];
  prompts(doc).forEach((pm) => {
    if (pm.get('deletedAt')) return;
    const p = readPrompt(pm);
    if (p) out.push(p);
  });
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
  return {
    id: String(m.get('id') ?? ''),
    projectId: String(m.get('projectId') ?? ''),
    name: String(m.get('name') ?? ''),
    description: String(m.get('description') ?? ''),
    dependencies: Object.fromEntries([...dependencies(doc).entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
    prompts: out,
  };
}

export function readPrompt(pm: Y.Map<unknown>): Prompt | undefined {
  const base = {
    id: String(pm.get('id') ?? ''),
    name: String(pm.get('name') ?? ''),
    description: String(pm.get('description') ?? ''),
    parameters: readParameters(pm.get('parameters')),
    model: (pm.get('model') ?? null) as Prompt['model'],
    metadata:
      pm.get('metadata') instanceof Y.Map ? Object.fromEntries((pm.get('metadata') as Y.Map<string>).entries()) : {},
  };
  if (pm.get('kind') === 'chat') {
    const items = pm.get('messages');
    const messages: ChatItem[] =
      items instanceof Y.Array ? (items.toArray() as Y.Map<unknown>[]).map(readChatItem) : [];
    return { ...base, kind: 'chat', messages };
  }
  const template = pm.get('template');
  return { ...base, kind: 'text', template: template instanceof Y.Text ? template.toString() : '' };
}

function readChatItem(m: Y.Map<unknown>): ChatItem {
  if (m.get('type') === 'history') return { type: 'history', name: String(m.get('name') ?? 'history') };
  const content = m.get('content');
  const role = m.get('role');
  return {
    type: 'message',
    role: role === 'system' || role === 'assistant' ? role : 'user',
    content: content instanceof Y.Text ? content.toString() : String(content ?? ''),
  };
}

function readParameters(value: unknown): Parameter[] {
  if (!(value instanceof Y.Map)) return [];
  // A synced or hand-damaged document may hold anything under a key; only objects with a name are parameters.
  const entries = [...(value as Y.Map<unknown>).values()].filter(
    (p): p is Parameter & { position?: number } =>
      typeof p === 'object' && p !== null && typeof (p as { name?: unknown }).name === 'string',
  );
  entries.sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || (a.name < b.name ? -1 : 1));
  return entries.map(({ position: _position, ...p }) => p);
}

export interface ProjectRecord extends Project {
  deletedAt: number | null;
}

export function readProject(doc: Y.Doc): ProjectRecord {
  const m = meta(doc);
  const mode = EditMode.safeParse(m.get('editMode'));
  return {
    id: String(m.get('id') ?? ''),
    name: String(m.get('name') ?? ''),
    description: String(m.get('description') ?? ''),
    editMode: mode.success ? mode.data : 'open',
    deletedAt: typeof m.get('deletedAt') === 'number' ? (m.get('deletedAt') as number) : null,
  };
}

/** When the set was moved to the trash (ms since epoch), or null. */
export function setDeletedAt(doc: Y.Doc): number | null {
  const v = meta(doc).get('deletedAt');
  return typeof v === 'number' ? v : null;
}
