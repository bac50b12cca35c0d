import type * as Y from 'yjs';
import { DOC_SCHEMA_VERSION, ORIGIN, meta } from './schema';

/**
 * Document migrations, like SQL migrations: forward-only, numbered, each run once in one transaction with
 * the `migration` origin. Documents arrive from disk, from older studios over sync and from bundles, so a
 * reader first lifts a document to the current layout. A document newer than this code is refused rather
 * than guessed at, since writing to it could destroy fields this version does not know.
 */
export interface DocMigration {
  to: number;
  describe: string;
  up(doc: Y.Doc): void;
}

export const DOC_MIGRATIONS: DocMigration[] = [
  {
    to: 1,
    describe: 'documents from before schema versioning get schemaVersion 1 and an explicit deletedAt',
    up(doc) {
      const m = meta(doc);
      if (!m.has('deletedAt')) m.set('deletedAt', null);
    },
  },
];

export class DocTooNewError extends Error {
  constructor(readonly found: number) {
    super(
      `this document has layout version ${found}, newer than this studio understands (${DOC_SCHEMA_VERSION}); update Anvil`,
    );
    this.name = 'DocTooNewError';
  }
}

/** Lift `doc` to DOC_SCHEMA_VERSION; returns the migrations applied (empty when already current). */
export function migrateDoc(doc: Y.Doc, migrations: DocMigration[] = DOC_MIGRATIONS): number[] {
  const m = meta(doc);
  const found = typeof m.get('schemaVersion') === 'number' ? (m.get('schemaVersion') as number) : 0;
  const target = migrations.reduce((max, mig) => Math.max(max, mig.to), 0);
  if (found > target) throw new DocTooNewError(found);
  const applied: number[] = [];
  for (const mig of [...migrations].sort((a, b) => a.to - b.to)) {
    if (mig.to <= found) continue;
    doc.transact(() => {
      mig.up(doc);
      m.set('schemaVersion', mig.to);
    }, ORIGIN.migration);
    applied.push(mig.to);
  }
  return applied;
}
