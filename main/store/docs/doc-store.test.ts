import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import * as Y from 'yjs';
import { ORIGIN, createProjectDoc, meta, readSetContent } from '../../../shared/doc';
import { AnvilError } from '../../../shared/domain';
import { DocStore } from './doc-store';
import { draftDoc, draftText, openDocsDb, tempDbFile } from './testing';
import type { CommittedDoc, Projector } from './types';

const open: { db: Database; store?: DocStore }[] = [];
function openStore(
  file: string,
  options: ConstructorParameters<typeof DocStore>[1] = {},
): { db: Database; store: DocStore } {
  const db = openDocsDb(file);
  const store = new DocStore(db, options);
  open.push({ db, store });
  return { db, store };
}
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.store?.close().catch(() => undefined);
    if (o.db.open) o.db.close();
  }
});

async function reopen(file: string, store: DocStore, db: Database): Promise<{ db: Database; store: DocStore }> {
  await store.close();
  db.close();
  return openStore(file);
}

const rowCount = (db: Database, docId: string): number =>
  db.prepare<[string], number>('SELECT count(*) FROM doc_updates WHERE doc_id = ?').pluck().get(docId) ?? 0;

describe('DocStore', () => {
  it('persists a created document and its edits, and loads them back after a reopen', async () => {
    const file = tempDbFile();
    let { db, store } = openStore(file);
    await store.create('s1', 'set', draftDoc('Hello'));
    await store.create(
      'pr1',
      'project',
      createProjectDoc({ id: 'pr1', name: 'acme', description: '', editMode: 'open' }),
    );
    await store.transact('s1', (doc) => draftText(doc).insert(5, ', world'));
    const before = readSetContent(store.get('s1') as Y.Doc);
    ({ db, store } = await reopen(file, store, db));
    expect(store.list('set')).toEqual(['s1']);
    expect(store.list('project')).toEqual(['pr1']);
    expect(readSetContent(store.get('s1') as Y.Doc)).toEqual(before);
    expect(draftText(store.get('s1') as Y.Doc).toString()).toBe('Hello, world');
    expect(store.get('nope')).toBeUndefined();
  });

  it('persists edits made straight on the Y.Doc, as an editor binding makes them', async () => {
    const file = tempDbFile();
    let { db, store } = openStore(file);
    await store.create('s1', 'set', draftDoc());
    const text = draftText(store.get('s1') as Y.Doc);
    for (const ch of 'typed') text.insert(text.length, ch);
    await store.flush();
    ({ db, store } = await reopen(file, store, db));
    expect(draftText(store.get('s1') as Y.Doc).toString()).toBe('typed');
  });

  it('acknowledges an edit only once its group has committed, one merged row per document per group', async () => {
    const { db, store } = openStore(tempDbFile(), { maxDelayMs: 60 });
    await store.create('s1', 'set', draftDoc());
    const rows = rowCount(db, 's1');
    let acked = 0;
    const acks = Array.from({ length: 20 }, (_, i) =>
      store.transact('s1', (doc) => draftText(doc).insert(i, 'x')).then(() => acked++),
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(acked).toBe(0);
    expect(rowCount(db, 's1')).toBe(rows);
    await Promise.all(acks);
    expect(rowCount(db, 's1')).toBe(rows + 1);
  });

  it('commits at once, without waiting for the delay, when the queued bytes pass the threshold', async () => {
    const { db, store } = openStore(tempDbFile(), { maxDelayMs: 100, maxPendingBytes: 4096 });
    await store.create('s1', 'set', draftDoc());
    const rows = rowCount(db, 's1');
    const started = performance.now();
    await store.transact('s1', (doc) => draftText(doc).insert(0, 'x'.repeat(10_000)));
    expect(performance.now() - started).toBeLessThan(90); // the delay alone would be 100
    expect(rowCount(db, 's1')).toBe(rows + 1);
  });

  it('lists a created document before its first commit and refuses a second document with its id', async () => {
    const { store } = openStore(tempDbFile());
    const created = store.create('s1', 'set', draftDoc());
    expect(store.list('set')).toEqual(['s1']);
    await expect(store.create('s1', 'set', draftDoc())).rejects.toMatchObject({ code: 'doc_exists' });
    await created;
    await expect(store.create('s1', 'set', draftDoc())).rejects.toMatchObject({ code: 'doc_exists' });
    await expect(store.transact('nope', () => undefined)).rejects.toMatchObject({ code: 'doc_not_found' });
  });

  it('reports the origins of a group to projectors and to onCommitted listeners', async () => {
    const seen: { docId: string; origins: unknown[]; inTx: boolean }[] = [];
    const projector: Projector = (db, docs) => {
      for (const d of docs) seen.push({ docId: d.docId, origins: [...d.origins], inTx: db.inTransaction });
    };
    const { store } = openStore(tempDbFile(), { projectors: [projector] });
    await store.create('s1', 'set', draftDoc());
    const heard: CommittedDoc[][] = [];
    const stop = store.onCommitted((docs) => heard.push([...docs]));

    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(store.get('s1') as Y.Doc));
    const sv = Y.encodeStateVector(remote);
    draftText(remote).insert(0, 'from afar ');
    await Promise.all([
      store.transact('s1', (doc) => draftText(doc).insert(0, 'here '), ORIGIN.local),
      store.applyUpdate('s1', Y.encodeStateAsUpdate(remote, sv), ORIGIN.remote),
    ]);
    expect(seen.at(-1)).toEqual({ docId: 's1', origins: [ORIGIN.local, ORIGIN.remote], inTx: true });
    expect(heard).toHaveLength(1);
    expect([...(heard[0]?.[0]?.origins ?? [])]).toEqual([ORIGIN.local, ORIGIN.remote]);
    stop();
    await store.transact('s1', (doc) => draftText(doc).insert(0, '!'));
    expect(heard).toHaveLength(1);
  });

  it('rolls the updates back with a projector that throws, keeps them queued, and commits them on retry', async () => {
    const file = tempDbFile();
    let broken = true;
    const projector: Projector = (db, docs) => {
      db.prepare(
        "INSERT INTO settings (key, value) VALUES ('projected', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      ).run(draftText(docs[0]?.doc as Y.Doc).toString());
      if (broken) throw new Error('projector bug');
    };
    let { db, store } = openStore(file, { projectors: [projector] });
    broken = false;
    await store.create('s1', 'set', draftDoc('a'));
    broken = true;
    const rows = rowCount(db, 's1');
    const failed = store.transact('s1', (doc) => draftText(doc).insert(1, 'b'));
    await expect(failed).rejects.toBeInstanceOf(AnvilError);
    await expect(failed).rejects.toMatchObject({ code: 'commit_failed', message: /projector bug.*stay queued/ });
    expect(rowCount(db, 's1')).toBe(rows);
    expect(db.prepare("SELECT value FROM settings WHERE key = 'projected'").pluck().get()).toBe('a');

    broken = false;
    await store.flush();
    expect(rowCount(db, 's1')).toBe(rows + 1);
    expect(db.prepare("SELECT value FROM settings WHERE key = 'projected'").pluck().get()).toBe('ab');
    ({ db, store } = await reopen(file, store, db));
    expect(draftText(store.get('s1') as Y.Doc).toString()).toBe('ab');
  });

  it('migrates an old document on load and persists the migration like an edit', async () => {
    const file = tempDbFile();
    const origins: unknown[] = [];
    let { db, store } = openStore(file, {
      projectors: [(_db, docs) => docs.forEach((d) => origins.push(...d.origins))],
    });
    const old = new Y.Doc();
    meta(old).set('kind', 'set'); // a document from before layout versioning: no schemaVersion, no deletedAt
    db.prepare("INSERT INTO docs VALUES ('old', 'set', 0)").run();
    db.prepare("INSERT INTO doc_updates (doc_id, data, created_at) VALUES ('old', ?, 0)").run(
      Y.encodeStateAsUpdate(old),
    );
    expect(meta(store.get('old') as Y.Doc).get('schemaVersion')).toBe(1);
    await store.flush();
    expect(origins).toEqual([ORIGIN.migration]);
    ({ db, store } = await reopen(file, store, db));
    expect(meta(store.get('old') as Y.Doc).toJSON()).toMatchObject({ schemaVersion: 1, deletedAt: null });
  });

  it('refuses an update that does not decode, without applying or queueing anything', async () => {
    const { db, store } = openStore(tempDbFile());
    await store.create('s1', 'set', draftDoc('kept'));
    const rows = rowCount(db, 's1');
    await expect(store.applyUpdate('s1', new Uint8Array([1, 1, 200, 200, 200, 200, 15]))).rejects.toMatchObject({
      code: 'invalid_update',
    });
    await store.flush();
    expect(rowCount(db, 's1')).toBe(rows);
    await store.transact('s1', (doc) => draftText(doc).insert(4, '!'));
    expect(draftText(store.get('s1') as Y.Doc).toString()).toBe('kept!');
  });

  it('keeps two stores on two files apart', async () => {
    const a = openStore(tempDbFile('a.db'));
    const b = openStore(tempDbFile('b.db'));
    await Promise.all([a.store.create('s1', 'set', draftDoc('A')), b.store.create('s1', 'set', draftDoc('B'))]);
    const edits: Promise<void>[] = [];
    for (let i = 0; i < 50; i++) {
      edits.push(a.store.transact('s1', (doc) => draftText(doc).insert(1, 'a')));
      edits.push(b.store.transact('s1', (doc) => draftText(doc).insert(1, 'b')));
    }
    await Promise.all(edits);
    const fileA = a.db.name;
    const fileB = b.db.name;
    const ra = await reopen(fileA, a.store, a.db);
    const rb = await reopen(fileB, b.store, b.db);
    expect(draftText(ra.store.get('s1') as Y.Doc).toString()).toBe('A' + 'a'.repeat(50));
    expect(draftText(rb.store.get('s1') as Y.Doc).toString()).toBe('B' + 'b'.repeat(50));
  });

  it('refuses work after close, and refuses a maxDelayMs over 100', async () => {
    const { db, store } = openStore(tempDbFile());
    await store.create('s1', 'set', draftDoc());
    await store.close();
    await expect(store.transact('s1', () => undefined)).rejects.toMatchObject({ code: 'store_closed' });
    expect(() => store.get('s1')).toThrow(/closed/);
    expect(() => new DocStore(db, { maxDelayMs: 250 })).toThrow(RangeError);
  });
});
