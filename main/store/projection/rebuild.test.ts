import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createProjectDoc, createSetDoc, templateText } from '../../../shared/doc';
import { openDatabase } from '../db';
import { MIGRATIONS } from '../migrations';
import { search } from '../search';
import {
  checkProjection,
  createProjector,
  optimizeSearchIndex,
  projectionNeedsRebuild,
  rebuildProjection,
} from './index';
import type { ProjectedDoc } from './index';
import { commitDocs, setContent, textPrompt } from './testing';

describe('rebuildProjection', () => {
  it('fills the projection of a workspace that had documents before migration 002', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'anvil-proj-')), 'w.db');
    const v1 = openDatabase(file, { migrations: MIGRATIONS.slice(0, 1) });
    const docs: ProjectedDoc[] = [
      {
        docId: 'proj-1',
        kind: 'project',
        doc: createProjectDoc({ id: 'proj-1', name: 'acme', description: '', editMode: 'open' }),
      },
      {
        docId: 'set-1',
        kind: 'set',
        doc: createSetDoc(setContent('set-1', 'proj-1', 'support', [textPrompt('p1', 'greeting', 'Hello there')])),
      },
    ];
    const ins = v1.prepare('INSERT INTO docs (doc_id, kind, created_at) VALUES (?, ?, 0)');
    const upd = v1.prepare('INSERT INTO doc_updates (doc_id, data, created_at) VALUES (?, ?, 0)');
    for (const d of docs) {
      ins.run(d.docId, d.kind);
      upd.run(d.docId, Y.encodeStateAsUpdate(d.doc));
    }
    v1.close();

    const db = openDatabase(file);
    expect(projectionNeedsRebuild(db)).toBe(true);
    // What the opener does: load every document from its updates, rebuild, then commit as usual.
    const loaded = (
      db.prepare('SELECT d.doc_id AS docId, d.kind, u.data FROM docs d JOIN doc_updates u USING (doc_id)').all() as {
        docId: string;
        kind: 'project' | 'set';
        data: Buffer;
      }[]
    ).map((r): ProjectedDoc => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, r.data);
      return { docId: r.docId, kind: r.kind, doc };
    });
    rebuildProjection(db, loaded);
    expect(projectionNeedsRebuild(db)).toBe(false);
    expect(checkProjection(db, loaded)).toEqual([]);
    const hits = search(db, 'hello');
    expect(hits.ok && hits.value.map((h) => [h.promptId, h.projectName])).toEqual([['p1', 'acme']]);
    db.close();
  });

  it('keeps search and projection intact through an index optimize', () => {
    const db = openDatabase(':memory:');
    const projector = createProjector();
    const set: ProjectedDoc = {
      docId: 's',
      kind: 'set',
      doc: createSetDoc(setContent('s', 'p', 'x', [textPrompt('a', 'alpha', 'one two')])),
    };
    for (let i = 0; i < 30; i++) {
      templateText(set.doc, 'a').insert(0, `w${i} `);
      commitDocs(db, projector, [set]);
    }
    optimizeSearchIndex(db);
    expect(checkProjection(db, [set])).toEqual([]);
    expect(search(db, 'w17 ')).toMatchObject({ ok: true, value: [{ promptId: 'a' }] });
  });
});
