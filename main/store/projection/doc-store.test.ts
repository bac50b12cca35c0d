import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { createProjectDoc, createSetDoc, meta, templateText } from '../../../shared/doc';
import { openDatabase } from '../db';
import { DocStore } from '../docs';
import type { Projector } from '../docs';
import { search } from '../search';
import { checkProjection, createProjector } from './index';
import type { ProjectedDoc } from './index';
import { setContent, textPrompt } from './testing';

/** Every document of the store, as checkProjection wants them. */
function allDocs(store: DocStore): ProjectedDoc[] {
  return (['project', 'set'] as const).flatMap((kind) =>
    store.list(kind).map((docId): ProjectedDoc => ({ docId, kind, doc: store.get(docId) as Y.Doc })),
  );
}

async function workspace(projectors: Projector[]): Promise<{ db: ReturnType<typeof openDatabase>; store: DocStore }> {
  const db = openDatabase(':memory:');
  const store = new DocStore(db, { projectors, maxDelayMs: 5 });
  await store.create(
    'proj-1',
    'project',
    createProjectDoc({ id: 'proj-1', name: 'acme', description: '', editMode: 'open' }),
  );
  const prompts = Array.from({ length: 20 }, (_, i) => textPrompt(`p${i}`, `prompt-${i}`, `Hello number ${i}`));
  await store.create('set-1', 'set', createSetDoc(setContent('set-1', 'proj-1', 'support', prompts)));
  return { db, store };
}

/** The projector as the DocStore runs it: inside each group commit, after the Yjs updates are written. */
describe('projection through the DocStore', () => {
  it('agrees with the documents whenever an edit is acknowledged', async () => {
    const { db, store } = await workspace([createProjector()]);
    const edits: Promise<void>[] = [];
    for (let i = 0; i < 200; i++)
      edits.push(
        store.transact('set-1', (doc) => templateText(doc, `p${i % 20}`).insert(0, i % 7 === 0 ? 'zebra ' : 'x ')),
      );
    await Promise.all(edits);
    expect(checkProjection(db, allDocs(store))).toEqual([]);
    await store.transact('set-1', (doc) => meta(doc).set('name', 'helpdesk'));
    expect(checkProjection(db, allDocs(store))).toEqual([]);
    const hits = search(db, 'zebra ', { limit: 100 });
    expect(hits.ok && hits.value.length).toBe(20);
    expect(hits.ok && hits.value.every((h) => h.setName === 'helpdesk' && h.projectName === 'acme')).toBe(true);
    await store.close();
  });

  it('catches up when a commit failed after it projected and the DocStore retried', async () => {
    let failNext = false;
    const flaky: Projector = () => {
      if (failNext) {
        failNext = false;
        throw new Error('simulated failure after the projection ran');
      }
    };
    const { db, store } = await workspace([createProjector(), flaky]);
    failNext = true;
    await expect(store.transact('set-1', (doc) => templateText(doc, 'p3').insert(0, 'walrus '))).rejects.toThrow();
    // The failed group's update stays queued and goes with the next one.
    await store.transact('set-1', (doc) => templateText(doc, 'p4').insert(0, 'okapi '));
    expect(checkProjection(db, allDocs(store))).toEqual([]);
    expect(search(db, 'walrus ')).toMatchObject({ ok: true, value: [{ promptId: 'p3' }] });
    await store.close();
  });
});
