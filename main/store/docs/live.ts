import type * as Y from 'yjs';
import type { DocKind } from '../../../shared/doc';

/** A loaded document and what the store knows of its rows. */
export interface LiveDoc {
  doc: Y.Doc;
  kind: DocKind;
  /** Whether its `docs` row is committed (a new document's row goes in with its first commit). */
  saved: boolean;
  rows: number;
  createdAt: number;
  detach: () => void;
}

/** Start queueing every update `doc` emits, whoever makes it: the store's calls, an editor binding, sync. */
export function attachLive(
  doc: Y.Doc,
  state: Omit<LiveDoc, 'doc' | 'detach'>,
  onUpdate: (update: Uint8Array, origin: unknown) => void,
): LiveDoc {
  doc.on('update', onUpdate);
  return { ...state, doc, detach: () => doc.off('update', onUpdate) };
}
