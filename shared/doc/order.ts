import type * as Y from 'yjs';
import { prompts } from './schema';

/**
 * The order the editor lists a set's prompts in: a numeric `position` key on each prompt's Y.Map. It is a
 * presentation attribute, not content: `readSetContent`/`readPrompt` never read it, so versions, content
 * hashes and the audit log stay sorted by name (canonical) whatever order the author prefers.
 */
export const POSITION_KEY = 'position';

function positionOf(pm: Y.Map<unknown>): number | undefined {
  const value = pm.get(POSITION_KEY);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Live prompt ids (not deleted) by position, then name, then id. Prompts without a position (made before
 * ordering existed, or brought back by a restore) come after those with one, by name.
 */
export function promptOrder(doc: Y.Doc): string[] {
  const rows: { id: string; name: string; position: number }[] = [];
  prompts(doc).forEach((pm, id) => {
    if (pm.get('deletedAt')) return;
    rows.push({ id, name: String(pm.get('name') ?? ''), position: positionOf(pm) ?? Number.POSITIVE_INFINITY });
  });
  rows.sort(
    (a, b) =>
      (a.position === b.position ? 0 : a.position < b.position ? -1 : 1) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return rows.map((r) => r.id);
}

/** The position a new prompt gets: after every prompt of the set (deleted ones included, so undo keeps order). */
export function nextPosition(doc: Y.Doc): number {
  let max = -1;
  prompts(doc).forEach((pm) => {
    const p = positionOf(pm);
    if (p !== undefined && p > max) max = p;
  });
  return Math.floor(max) + 1;
}

/** Give the prompts `ids` positions 0..n-1, writing only the keys that change (fewer Yjs updates). */
export function writeOrder(doc: Y.Doc, ids: readonly string[]): void {
  const map = prompts(doc);
  doc.transact(() => {
    ids.forEach((id, i) => {
      const pm = map.get(id);
      if (pm && positionOf(pm) !== i) pm.set(POSITION_KEY, i);
    });
  });
}
