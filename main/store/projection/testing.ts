import type { Database } from 'better-sqlite3';
import type { Prompt, PromptSetContent } from '../../../shared/domain';
import { ORIGIN } from '../../../shared/doc';
import type { Projector } from '../docs/types';
import type { ProjectedDoc } from './rebuild';

/**
 * Helpers for tests of the projection (and of anything built on it): run a projector the way the DocStore
 * does, inside one transaction, and build small contents. Not used by production code.
 */
export function commitDocs(db: Database, projector: Projector, docs: readonly ProjectedDoc[]): void {
  db.transaction(() =>
    projector(
      db,
      docs.map((d) => ({ ...d, origins: new Set([ORIGIN.local]) })),
    ),
  )();
}

export { textPrompt } from '../../../shared/domain/fixtures';

export function setContent(id: string, projectId: string, name: string, prompts: Prompt[]): PromptSetContent {
  return { id, projectId, name, description: '', dependencies: {}, prompts };
}
