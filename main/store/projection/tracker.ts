import type * as Y from 'yjs';
import { dependencies, meta, prompts } from '../../../shared/doc';

/**
 * What changed in a set document since it was last projected, so a commit that typed one character in one
 * prompt of a large set re-reads that prompt only. Yjs observers fire synchronously at the end of every
 * transaction, whatever its origin (local edit, sync, restore), so nothing slips past them once attached.
 * A document seen for the first time (or after a rollback, see `projector.ts`) is reconciled in full.
 */
export interface SetTracker {
  /** Projector generation this tracker's "clean" state belongs to; an older one means: reconcile all. */
  generation: number;
  /** meta or dependencies changed (name, project, trash, description…). */
  meta: boolean;
  /** Keys (prompt ids) of the `prompts` map whose entry was added, removed or changed inside. */
  prompts: Set<string>;
}

/**
 * One tracking per projector (each projector clears the dirty state it consumed). Returns the tracker of a
 * set document, attaching observers on first use (generation -1: never projected).
 */
export function setTracking(): (doc: Y.Doc) => SetTracker {
  const trackers = new WeakMap<Y.Doc, SetTracker>();
  return (doc) => trackers.get(doc) ?? attach(doc, trackers);
}

function attach(doc: Y.Doc, trackers: WeakMap<Y.Doc, SetTracker>): SetTracker {
  const tracker: SetTracker = { generation: -1, meta: false, prompts: new Set() };
  trackers.set(doc, tracker);
  const markMeta = (): void => {
    tracker.meta = true;
  };
  meta(doc).observe(markMeta);
  dependencies(doc).observe(markMeta);
  const map = prompts(doc);
  map.observeDeep((events) => {
    for (const e of events) {
      if (e.target === map) {
        for (const key of (e as Y.YMapEvent<unknown>).keysChanged) tracker.prompts.add(key);
      } else {
        const key = e.path[0];
        if (typeof key === 'string') tracker.prompts.add(key);
      }
    }
  });
  return tracker;
}
