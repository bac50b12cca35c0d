import type * as Y from 'yjs';
import { docKind } from '../../../shared/doc';
import type { DocKind } from '../../../shared/doc';
import type { StoreContext } from '../context';
import { notFound } from './errors';
import type { Lock } from './lock';

export interface WorkspaceContext extends StoreContext {
  /** Serialises operations that check names before writing them. */
  names: Lock;
}

/** The live document of a project or set, or a `<kind>_not_found` error. */
export function requireDoc(ctx: StoreContext, id: string, kind: DocKind): Y.Doc {
  const doc = ctx.docs.get(id);
  if (!doc || docKind(doc) !== kind) throw notFound(kind, id);
  return doc;
}
