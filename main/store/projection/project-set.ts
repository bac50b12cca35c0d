import * as Y from 'yjs';
import type { Prompt } from '../../../shared/domain';
import { dependencies, meta, prompts, readPrompt, setDeletedAt } from '../../../shared/doc';
import type { FtsSync } from './fts';
import type { SetRow } from './rows';
import { promptRows, setRow } from './rows';
import type { ProjectionStatements, StoredPrompt } from './statements';

/** What projecting one set document needs: statements, index sync, the commit time. */
export interface SetContext {
  s: ProjectionStatements;
  fts: FtsSync;
  now: number;
}

/** The set's own fields as `readSetContent` reads them, without reading every prompt. */
export function readSetRow(setId: string, doc: Y.Doc): SetRow {
  const m = meta(doc);
  const deps = Object.fromEntries([...dependencies(doc).entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  return setRow(
    setId,
    {
      projectId: String(m.get('projectId') ?? ''),
      name: String(m.get('name') ?? ''),
      description: String(m.get('description') ?? ''),
      dependencies: deps,
    },
    setDeletedAt(doc),
  );
}

/**
 * Upsert the set row if any field differs. A change of name, project or trash state alters what the index
 * holds for every prompt of the set (set_name, project_name, scope), so those prompts are re-indexed.
 */
export function upsertSet(ctx: SetContext, next: SetRow): void {
  const prev = ctx.s.getSet.get(next.id);
  if (prev && sameSet(prev, next)) return;
  const reindex =
    prev !== undefined &&
    (prev.name !== next.name || prev.project_id !== next.project_id || prev.deleted_at !== next.deleted_at);
  if (reindex) ctx.fts.unindexSet(next.id);
  ctx.s.upsertSet.run({ ...next, updated_at: ctx.now });
  if (reindex) ctx.fts.indexSet(next.id);
}

function sameSet(a: SetRow, b: SetRow): boolean {
  return (
    a.project_id === b.project_id &&
    a.name === b.name &&
    a.description === b.description &&
    a.dependencies === b.dependencies &&
    a.deleted_at === b.deleted_at
  );
}

/**
 * A live prompt under `key`, or undefined when absent, trashed, or unreadable: a prompt map so malformed
 * that the shared reader throws (say, a null parameter from a foreign peer) is left out of the listing
 * rather than failing the commit of everyone's edits.
 */
function livePrompt(doc: Y.Doc, key: string): Prompt | undefined {
  const pm = prompts(doc).get(key);
  if (!(pm instanceof Y.Map) || pm.get('deletedAt')) return undefined;
  try {
    return readPrompt(pm);
  } catch {
    return undefined;
  }
}

/** Compare every prompt of the document with what is projected (first sight of a document, or repair). */
export function reconcileAllPrompts(ctx: SetContext, setId: string, doc: Y.Doc): boolean {
  const stored = new Map(ctx.s.promptsOfSet.all(setId).map((r) => [r.id, r]));
  let changed = false;
  for (const key of prompts(doc).keys()) {
    const p = livePrompt(doc, key);
    if (!p) continue;
    if (applyPrompt(ctx, setId, key, p, stored.get(key))) changed = true;
    stored.delete(key);
  }
  for (const gone of stored.values()) removePrompt(ctx, gone);
  return changed || stored.size > 0;
}

/** Re-read only the prompts the tracker saw change. */
export function reconcilePrompts(ctx: SetContext, setId: string, doc: Y.Doc, keys: Iterable<string>): boolean {
  let changed = false;
  for (const key of keys) {
    const stored = ctx.s.getPrompt.get(setId, key);
    const p = livePrompt(doc, key);
    if (p) {
      if (applyPrompt(ctx, setId, key, p, stored)) changed = true;
    } else if (stored) {
      removePrompt(ctx, stored);
      changed = true;
    }
  }
  return changed;
}

/** Insert or update one prompt; returns whether anything was written. */
function applyPrompt(
  ctx: SetContext,
  setId: string,
  key: string,
  p: Prompt,
  stored: StoredPrompt | undefined,
): boolean {
  const { row, params } = promptRows(setId, key, p);
  if (!stored) {
    const rowid = Number(ctx.s.insertPrompt.run({ ...row, updated_at: ctx.now }).lastInsertRowid);
    ctx.fts.indexPrompt(rowid);
    for (const param of params) ctx.s.insertParam.run(param);
    return true;
  }
  const contentChanged = stored.content_hash !== row.content_hash;
  const paramsChanged = stored.params_hash !== row.params_hash;
  if (!contentChanged && !paramsChanged) return false;
  if (contentChanged) ctx.fts.unindexPrompt(stored.key);
  ctx.s.updatePrompt.run({ ...row, key: stored.key, updated_at: ctx.now });
  if (contentChanged) ctx.fts.indexPrompt(stored.key);
  if (paramsChanged) {
    ctx.s.deleteParams.run(setId, key);
    for (const param of params) ctx.s.insertParam.run(param);
  }
  return true;
}

function removePrompt(ctx: SetContext, stored: StoredPrompt): void {
  ctx.fts.unindexPrompt(stored.key);
  // Parameters go with the prompt (ON DELETE CASCADE).
  ctx.s.deletePrompt.run(stored.key);
}
