import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  createProjectDoc,
  createSetDoc,
  meta,
  prompts,
  removePrompt,
  setParameters,
  templateText,
} from '../../../shared/doc';
import { openDatabase } from '../db';
import { checkProjection, createProjector, rebuildProjection } from './index';
import type { ProjectedDoc } from './index';
import { commitDocs, setContent, textPrompt } from './testing';

const project = (id = 'proj-1', name = 'acme'): ProjectedDoc => ({
  docId: id,
  kind: 'project',
  doc: createProjectDoc({ id, name, description: 'the team', editMode: 'review' }),
});

const set = (id = 'set-1', projectId = 'proj-1', n = 3): ProjectedDoc => ({
  docId: id,
  kind: 'set',
  doc: createSetDoc(
    setContent(
      id,
      projectId,
      'support',
      Array.from({ length: n }, (_, i) =>
        textPrompt(`p${i}`, `prompt-${i}`, `Hello {{ name }} number ${i}`, {
          parameters: [{ name: 'name', type: { type: 'string' }, required: true, description: 'who', default: 'ana' }],
        }),
      ),
    ),
  ),
});

const ftsHits = (db: ReturnType<typeof openDatabase>, match: string): number[] =>
  (
    db.prepare('SELECT rowid FROM prompt_fts WHERE prompt_fts MATCH ? ORDER BY rowid').all(match) as { rowid: number }[]
  ).map((r) => r.rowid);

describe('projector', () => {
  it('projects projects, sets, prompts and parameters, and indexes them', () => {
    const db = openDatabase(':memory:');
    const docs = [project(), set()];
    commitDocs(db, createProjector(), docs);
    expect(checkProjection(db, docs)).toEqual([]);
    expect(db.prepare('SELECT name, edit_mode FROM projects').all()).toEqual([{ name: 'acme', edit_mode: 'review' }]);
    expect(db.prepare('SELECT count(*) AS n FROM prompts').get()).toEqual({ n: 3 });
    expect(
      db.prepare(`SELECT name, type, required, default_value FROM parameters WHERE prompt_id = 'p1'`).get(),
    ).toEqual({
      name: 'name',
      type: '{"type":"string"}',
      required: 1,
      default_value: '"ana"',
    });
    expect(ftsHits(db, 'number')).toHaveLength(3);
    expect(ftsHits(db, 'project_name: acme')).toHaveLength(3);
  });

  it('rewrites only the prompt that changed', () => {
    const db = openDatabase(':memory:');
    let clock = 1000;
    const projector = createProjector({ now: () => clock });
    const s = set('set-1', 'proj-1', 50);
    const docs = [project(), s];
    commitDocs(db, projector, docs);
    clock = 2000;
    templateText(s.doc, 'p7').insert(0, 'x');
    commitDocs(db, projector, docs);
    const touched = db.prepare('SELECT id FROM prompts WHERE updated_at = 2000').all();
    expect(touched).toEqual([{ id: 'p7' }]);
    expect(db.prepare(`SELECT updated_at FROM sets`).get()).toEqual({ updated_at: 2000 });
    expect(db.prepare(`SELECT updated_at FROM projects`).get()).toEqual({ updated_at: 1000 });
    expect(checkProjection(db, docs)).toEqual([]);
  });

  it('follows deletions, trash, renames and parameter changes', () => {
    const db = openDatabase(':memory:');
    const projector = createProjector();
    const p = project();
    const s = set();
    const docs = [p, s];
    commitDocs(db, projector, docs);
    const doc = s.doc;
    removePrompt(doc, 'p0');
    (prompts(doc).get('p1') as Y.Map<unknown>).set('deletedAt', 5);
    setParameters(doc, 'p2', [
      { name: 'tone', type: { type: 'string', enum: ['calm', 'warm'] }, required: false, description: '' },
    ]);
    meta(doc).set('name', 'helpdesk');
    meta(p.doc).set('deletedAt', 7);
    commitDocs(db, projector, docs);
    expect(checkProjection(db, docs)).toEqual([]);
    expect(db.prepare('SELECT id FROM prompts').all()).toEqual([{ id: 'p2' }]);
    expect(db.prepare('SELECT name FROM parameters').all()).toEqual([{ name: 'tone' }]);
    expect(ftsHits(db, 'set_name: helpdesk')).toHaveLength(1);
    expect(ftsHits(db, 'scope: "\uE000trashed"')).toHaveLength(1);
  });

  it('projects a set whose project document has not arrived yet, and fills the name in later', () => {
    const db = openDatabase(':memory:');
    const projector = createProjector();
    const s = set('set-1', 'proj-late');
    commitDocs(db, projector, [s]);
    expect(checkProjection(db, [s])).toEqual([]);
    expect(ftsHits(db, 'project_name: late')).toEqual([]);
    const p = project('proj-late', 'late');
    commitDocs(db, projector, [p]);
    expect(checkProjection(db, [p, s])).toEqual([]);
    expect(ftsHits(db, 'project_name: late')).toHaveLength(3);
  });

  it('catches up after a commit that rolled back', () => {
    const db = openDatabase(':memory:');
    const projector = createProjector();
    const s = set();
    const docs = [project(), s];
    commitDocs(db, projector, docs);
    templateText(s.doc, 'p0').insert(0, 'lost? ');
    expect(() =>
      db.transaction(() => {
        projector(db, [{ ...s, origins: new Set() }]);
        throw new Error('disk full');
      })(),
    ).toThrow('disk full');
    templateText(s.doc, 'p1').insert(0, 'later ');
    commitDocs(db, projector, [s]);
    expect(checkProjection(db, docs)).toEqual([]);
  });

  it('never throws on a malformed document', () => {
    const db = openDatabase(':memory:');
    const doc = new Y.Doc();
    doc.transact(() => {
      const odd = new Y.Map<unknown>();
      prompts(doc).set('odd', odd);
      odd.set('parameters', new Y.Map());
      (odd.get('parameters') as Y.Map<unknown>).set('x', { nameless: true });
      // A null parameter is skipped by the shared reader: the prompt is still listed.
      const broken = new Y.Map<unknown>();
      prompts(doc).set('broken', broken);
      broken.set('parameters', new Y.Map());
      (broken.get('parameters') as Y.Map<unknown>).set('y', null);
      prompts(doc).set('not-a-map', 'text' as unknown as Y.Map<unknown>);
    });
    const docs: ProjectedDoc[] = [
      { docId: 'bare', kind: 'set', doc },
      { docId: 'bare-project', kind: 'project', doc: new Y.Doc() },
    ];
    commitDocs(db, createProjector(), docs);
    expect(db.prepare('SELECT id, set_id, kind, body FROM prompts ORDER BY id').all()).toEqual([
      { id: 'broken', set_id: 'bare', kind: 'text', body: '' },
      { id: 'odd', set_id: 'bare', kind: 'text', body: '' },
    ]);
  });

  it('rebuilds from the documents and repairs a damaged projection', () => {
    const db = openDatabase(':memory:');
    const projector = createProjector();
    const s2 = set('set-2', 'proj-1', 2);
    const docs = [project(), set(), s2];
    commitDocs(db, projector, docs);
    db.exec(`DELETE FROM parameters WHERE prompt_id = 'p1'; UPDATE sets SET name = 'wrong' WHERE id = 'set-2'`);
    const problems = checkProjection(db, docs);
    expect(problems.some((p) => p.includes('parameter'))).toBe(true);
    expect(problems.some((p) => p.includes('set-2'))).toBe(true);
    rebuildProjection(db, docs);
    expect(checkProjection(db, docs)).toEqual([]);
    // The live projector notices the rebuild and keeps agreeing.
    templateText(s2.doc, 'p1').insert(3, 'zz');
    commitDocs(db, projector, docs);
    expect(checkProjection(db, docs)).toEqual([]);
  });
});
