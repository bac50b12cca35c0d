import * as Y from 'yjs';
import type { ChatItem, Parameter, Project, Prompt, PromptSetContent } from '../domain';
import { ModelSettings } from '../domain';
import { DOC_SCHEMA_VERSION, ORIGIN, dependencies, meta, promptMap, prompts } from './schema';

/** A new project document. */
export function createProjectDoc(project: Project, doc = new Y.Doc()): Y.Doc {
  doc.transact(() => {
    const m = meta(doc);
    m.set('schemaVersion', DOC_SCHEMA_VERSION);
    m.set('kind', 'project');
    m.set('id', project.id);
    m.set('name', project.name);
    m.set('description', project.description);
    m.set('editMode', project.editMode);
    m.set('deletedAt', null);
  }, ORIGIN.local);
  return doc;
}

/** A new set document holding the given content (prompts included). */
export function createSetDoc(content: PromptSetContent, doc = new Y.Doc()): Y.Doc {
  doc.transact(() => {
    const m = meta(doc);
    m.set('schemaVersion', DOC_SCHEMA_VERSION);
    m.set('kind', 'set');
    m.set('deletedAt', null);
    writeSetContent(doc, content);
  }, ORIGIN.local);
  return doc;
}

/**
 * Replace the document's content by `content` (restore a version, import). Prompts that keep their id keep
 * their Y.Map, and a template is rewritten only where it differs, so collaborators' cursors survive.
 */
export function writeSetContent(doc: Y.Doc, content: PromptSetContent, origin: unknown = ORIGIN.restore): void {
  doc.transact(() => {
    const m = meta(doc);
    setIfChanged(m, 'id', content.id);
    setIfChanged(m, 'projectId', content.projectId);
    setIfChanged(m, 'name', content.name);
    setIfChanged(m, 'description', content.description);
    const deps = dependencies(doc);
    for (const key of [...deps.keys()]) if (!(key in content.dependencies)) deps.delete(key);
    for (const [key, range] of Object.entries(content.dependencies)) if (deps.get(key) !== range) deps.set(key, range);
    const map = prompts(doc);
    const keep = new Set(content.prompts.map((p) => p.id));
    for (const id of [...map.keys()]) if (!keep.has(id)) map.delete(id);
    for (const p of content.prompts) upsertPrompt(doc, p);
  }, origin);
}

/** Add a prompt, or overwrite an existing one with the same id. */
export function upsertPrompt(doc: Y.Doc, prompt: Prompt): void {
  doc.transact(() => {
    let pm = promptMap(doc, prompt.id);
    if (!pm) {
      pm = new Y.Map<unknown>();
      prompts(doc).set(prompt.id, pm);
      pm.set('id', prompt.id);
      pm.set('parameters', new Y.Map());
      pm.set('metadata', new Y.Map());
    }
    setIfChanged(pm, 'name', prompt.name);
    setIfChanged(pm, 'description', prompt.description);
    setIfChanged(pm, 'kind', prompt.kind);
    if (pm.get('deletedAt') !== null) pm.set('deletedAt', null);
    if (prompt.kind === 'text') {
      if (pm.has('messages')) pm.delete('messages');
      let text = pm.get('template');
      if (!(text instanceof Y.Text)) {
        text = new Y.Text();
        pm.set('template', text);
      }
      replaceText(text as Y.Text, prompt.template);
    } else {
      if (pm.has('template')) pm.delete('template');
      writeMessages(pm, prompt.messages);
    }
    setParameters(doc, prompt.id, prompt.parameters);
    setModel(doc, prompt.id, prompt.model);
    const md = pm.get('metadata') as Y.Map<string>;
    for (const key of [...md.keys()]) if (!(key in prompt.metadata)) md.delete(key);
    for (const [k, v] of Object.entries(prompt.metadata)) if (md.get(k) !== v) md.set(k, v);
  });
}

/** Update chat items in place when their shape is unchanged, so typing in one message is not a rewrite. */
function writeMessages(pm: Y.Map<unknown>, items: ChatItem[]): void {
  const existing = pm.get('messages');
  const same =
    existing instanceof Y.Array &&
    existing.length === items.length &&
    items.every((item, i) => (existing.get(i) as Y.Map<unknown>).get('type') === item.type);
  if (!same) {
    pm.set('messages', Y.Array.from(items.map(chatItemMap)));
    return;
  }
  items.forEach((item, i) => {
    const m = (existing as Y.Array<Y.Map<unknown>>).get(i);
    if (item.type === 'history') return setIfChanged(m, 'name', item.name);
    setIfChanged(m, 'role', item.role);
    replaceText(m.get('content') as Y.Text, item.content);
  });
}

function chatItemMap(item: ChatItem): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  m.set('type', item.type);
  if (item.type === 'message') {
    m.set('role', item.role);
    m.set('content', new Y.Text(item.content));
  } else {
    m.set('name', item.name);
  }
  return m;
}

function setIfChanged(map: Y.Map<unknown>, key: string, value: unknown): void {
  if (map.get(key) !== value) map.set(key, value);
}

/**
 * Rewrite a Y.Text to `next` touching only the middle span that differs (common prefix and suffix kept), so
 * a whole-text replacement from a form or a restore still merges with concurrent typing elsewhere.
 */
export function replaceText(text: Y.Text, next: string): void {
  const prev = text.toString();
  if (prev === next) return;
  let start = 0;
  const max = Math.min(prev.length, next.length);
  while (start < max && prev.charCodeAt(start) === next.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && prev.charCodeAt(prev.length - 1 - end) === next.charCodeAt(next.length - 1 - end)) end++;
  const doc = text.doc;
  if (!doc) throw new Error('a Y.Text must belong to a document before it is edited');
  doc.transact(() => {
    text.delete(start, prev.length - start - end);
    text.insert(start, next.slice(start, next.length - end));
  });
}

/** Declared parameters, keyed by name so concurrent edits of different parameters both survive. */
export function setParameters(doc: Y.Doc, promptId: string, params: Parameter[]): void {
  const pm = requirePrompt(doc, promptId);
  const map = pm.get('parameters') as Y.Map<unknown>;
  doc.transact(() => {
    const names = new Set(params.map((p) => p.name));
    for (const key of [...map.keys()]) if (!names.has(key)) map.delete(key);
    params.forEach((p, position) => {
      const value = { ...p, position };
      if (JSON.stringify(map.get(p.name)) !== JSON.stringify(value)) map.set(p.name, value);
    });
  });
}

export function setModel(doc: Y.Doc, promptId: string, model: ModelSettings | null): void {
  const pm = requirePrompt(doc, promptId);
  const value = model === null ? null : ModelSettings.parse(model);
  if (JSON.stringify(pm.get('model') ?? null) !== JSON.stringify(value)) pm.set('model', value);
}

/** Remove a prompt for good from the draft (versions still hold it). */
export function removePrompt(doc: Y.Doc, promptId: string): void {
  prompts(doc).delete(promptId);
}

export function requirePrompt(doc: Y.Doc, promptId: string): Y.Map<unknown> {
  const pm = promptMap(doc, promptId);
  if (!pm) throw new Error(`prompt ${promptId} is not in this set`);
  return pm;
}

/** The Y.Text of a text prompt's template, or of one chat message's content: what an editor binds to. */
export function templateText(doc: Y.Doc, promptId: string, messageIndex?: number): Y.Text {
  const pm = requirePrompt(doc, promptId);
  if (messageIndex === undefined) {
    const t = pm.get('template');
    if (t instanceof Y.Text) return t;
    throw new Error(`prompt ${promptId} is not a text prompt`);
  }
  const item = (pm.get('messages') as Y.Array<Y.Map<unknown>> | undefined)?.get(messageIndex);
  const content = item?.get('content');
  if (content instanceof Y.Text) return content;
  throw new Error(`prompt ${promptId} has no message ${messageIndex}`);
}
