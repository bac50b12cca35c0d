import type { Database } from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Y from 'yjs';
import { createSetDoc, templateText } from '../../../shared/doc';
import { openDatabase } from '../db';
import type { Migration } from '../migrations';
import { MIGRATIONS } from '../migrations';

/** Helpers for the document store's tests, its kill -9 children and the edits bench. Not used in production. */

/** How much fault, fuzz and load tests do: bounded in `npm test`, large under ANVIL_SOAK=1. */
export const SOAK = process.env.ANVIL_SOAK === '1';

export function tempDbFile(name = 'docs.db'): string {
  return join(mkdtempSync(join(tmpdir(), 'anvil-docs-')), name);
}

/** A workspace database on disk with the real pragmas (WAL, synchronous=FULL), only the documents schema. */
export function openDocsDb(file: string, migrations: readonly Migration[] = MIGRATIONS): Database {
  return openDatabase(file, { migrations });
}

export const PROMPT_ID = 'p1';

/** A set document with one text prompt whose template starts as `template`. */
export function draftDoc(template = '', setId = 'set-1'): Y.Doc {
  return createSetDoc({
    id: setId,
    projectId: 'proj-1',
    name: 'drafts',
    description: '',
    dependencies: {},
    prompts: [
      { id: PROMPT_ID, name: 'p', description: '', kind: 'text', template, parameters: [], model: null, metadata: {} },
    ],
  });
}

/** The template text of `draftDoc`'s prompt: what an editor binding would type into. */
export const draftText = (doc: Y.Doc): Y.Text => templateText(doc, PROMPT_ID);

/**
 * A schema step that takes a while (one big INSERT … SELECT), for killing a process in the middle of a
 * migration. It announces itself on stdout when it starts, so the parent knows when to strike.
 */
export function slowMigration(version: number, rows: number): Migration {
  return {
    version,
    name: `slow test step: ${rows} rows`,
    up(db) {
      process.stdout.write('migrating\n');
      db.exec('CREATE TABLE big (n INTEGER PRIMARY KEY, pad BLOB NOT NULL) STRICT');
      db.prepare(
        'INSERT INTO big (n, pad) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) SELECT x, randomblob(64) FROM c',
      ).run(rows);
    },
  };
}
