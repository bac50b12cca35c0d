import { useEffect, useState } from 'react';
import * as Y from 'yjs';
import { promptOrder } from '../../../shared/doc/order';
import { meta, prompts } from '../../../shared/doc/schema';

/** One row of the prompt list. */
export interface PromptRow {
  id: string;
  name: string;
  kind: 'text' | 'chat';
}

/** What the prompt list and breadcrumbs show of a set document: names, kinds and order, not content. */
export interface SetStructure {
  name: string;
  projectId: string;
  deletedAt: number | null;
  rows: PromptRow[];
}

export function readStructure(doc: Y.Doc): SetStructure {
  const m = meta(doc);
  const map = prompts(doc);
  const rows = promptOrder(doc).map((id): PromptRow => {
    const pm = map.get(id);
    return { id, name: String(pm?.get('name') ?? ''), kind: pm?.get('kind') === 'chat' ? 'chat' : 'text' };
  });
  const deletedAt = m.get('deletedAt');
  return {
    name: String(m.get('name') ?? ''),
    projectId: String(m.get('projectId') ?? ''),
    deletedAt: typeof deletedAt === 'number' ? deletedAt : null,
    rows,
  };
}

// Keys of a prompt's own map that change what the list shows; everything else (template text, parameters,
// messages) is content and must not cost a re-sort of thousands of rows per keystroke.
const ROW_KEYS = new Set(['name', 'kind', 'position', 'deletedAt']);

/** True when a deep change to the `prompts` map touches the list (a prompt added/removed, renamed, moved). */
export function touchesStructure(events: readonly Y.YEvent<Y.AbstractType<unknown>>[], root: Y.Map<unknown>): boolean {
  for (const e of events) {
    if (e.target === root) return true;
    if (e.target.parent === root && e instanceof Y.YMapEvent)
      for (const key of e.keysChanged) if (ROW_KEYS.has(key)) return true;
  }
  return false;
}

/** The set's structure, recomputed only when it changes (not on every keystroke in a template). */
export function useSetStructure(doc: Y.Doc | null): SetStructure | null {
  const [structure, setStructure] = useState<{ doc: Y.Doc; value: SetStructure } | null>(null);
  useEffect(() => {
    if (!doc) return;
    setStructure({ doc, value: readStructure(doc) });
    const root = prompts(doc);
    const onDeep = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      if (touchesStructure(events, root as Y.Map<unknown>)) setStructure({ doc, value: readStructure(doc) });
    };
    const metaMap = meta(doc);
    const onMeta = () => setStructure({ doc, value: readStructure(doc) });
    root.observeDeep(onDeep);
    metaMap.observe(onMeta);
    return () => {
      root.unobserveDeep(onDeep);
      metaMap.unobserve(onMeta);
    };
  }, [doc]);
  return structure && structure.doc === doc ? structure.value : null;
}
