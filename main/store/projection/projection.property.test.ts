import fc from 'fast-check';
import { describe, it } from 'vitest';
import * as Y from 'yjs';
import type { Database } from 'better-sqlite3';
import { readSetContent } from '../../../shared/doc';
import { openDatabase } from '../db';
import { search } from '../search';
import type { Projector } from '../docs/types';
import { checkProjection, createProjector, rebuildProjection } from './index';
import type { ProjectedDoc } from './index';
import { int, pick, RandomWorkspace, rng } from './random-edits';
import { commitDocs } from './testing';

// Bounded in `npm test`; ANVIL_SOAK=1 runs many more and longer sequences.
const SOAK = process.env.ANVIL_SOAK === '1';
const RUNS = SOAK ? 100 : 12;
const STEPS = SOAK ? 800 : 150;

/**
 * One random history: edits in random groups, each group committed (only the documents it touched, as the
 * DocStore does) and checked against the documents. Along the way: commits that roll back (their documents
 * are committed again with the next group, as the DocStore retries), restarts (a fresh projector over the
 * same database, documents reloaded as new Y.Docs) and full rebuilds.
 */
function run(seed: number): void {
  const r = rng(seed);
  const db = openDatabase(':memory:');
  const ws = new RandomWorkspace(r);
  ws.addProject();
  ws.addSet();
  let projector: Projector = createProjector();
  let steps = 0;
  while (steps < STEPS) {
    for (let n = 1 + int(r, 8); n > 0; n--, steps++) ws.step();
    const group = [...ws.touched];
    const event = r();
    if (event < 0.06) {
      try {
        db.transaction(() => {
          projector(
            db,
            group.map((d) => ({ ...d, origins: new Set() })),
          );
          throw new Error('simulated failure after projecting');
        })();
      } catch {
        // rolled back; `touched` keeps these documents for the next group
      }
      continue;
    }
    commitDocs(db, projector, group);
    ws.touched.clear();
    if (event > 0.97) {
      projector = createProjector();
      reload(ws.docs);
    } else if (event > 0.95) {
      rebuildProjection(db, ws.docs);
    }
    const problems = checkProjection(db, ws.docs, 5);
    if (problems.length > 0) throw new Error(`seed ${seed}, after ${steps} edits:\n${problems.join('\n')}`);
    findsSomePrompt(db, ws.docs, r, seed);
  }
  db.close();
}

/** Search sees the projection: a random live prompt is found by its name within its set. */
function findsSomePrompt(db: Database, docs: ProjectedDoc[], r: () => number, seed: number): void {
  const sets = docs.filter((d) => d.kind === 'set');
  if (sets.length === 0) return;
  const d = pick(r, sets);
  const live = readSetContent(d.doc).prompts;
  if (live.length === 0) return;
  const p = pick(r, live);
  const found = search(db, `${p.name} `, { setId: d.docId, includeTrashed: true, limit: 100 });
  if (!found.ok || !found.value.some((h) => h.promptId === p.id && h.setId === d.docId))
    throw new Error(`seed ${seed}: searching "${p.name}" in ${d.docId} did not find prompt ${p.id}`);
}

/** Replace every document by a fresh Y.Doc with the same state, as after restarting the app. */
function reload(docs: ProjectedDoc[]): void {
  for (const d of docs) {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(d.doc));
    d.doc = copy;
  }
}

describe('projection property', () => {
  it(
    'agrees with the documents after every group of random edits',
    () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => run(seed)),
        { numRuns: RUNS },
      );
    },
    SOAK ? 900_000 : 30_000,
  );
});
