import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import * as Y from 'yjs';
import { readSetContent } from '../../../shared/doc';
import { DocStore } from './doc-store';
import { draftDoc, draftText, openDocsDb, tempDbFile } from './testing';

const opened: Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});
function openDb(file: string): Database {
  const db = openDocsDb(file);
  opened.push(db);
  return db;
}

const rows = (db: Database, docId: string): { n: number; bytes: number } =>
  db
    .prepare<[string], { n: number; bytes: number }>(
      'SELECT count(*) AS n, coalesce(sum(length(data)), 0) AS bytes FROM doc_updates WHERE doc_id = ?',
    )
    .get(docId) ?? { n: 0, bytes: 0 };

/** What a reader opening the file now would see: a second connection and store. */
function readBack(file: string, docId: string): Y.Doc {
  const doc = new DocStore(openDb(file)).get(docId);
  if (!doc) throw new Error(`no ${docId}`);
  return doc;
}

describe('DocStore compaction', () => {
  it('compacts a document once it passes compactEvery rows, with the same state after a reopen', async () => {
    const file = tempDbFile();
    const db = openDb(file);
    const store = new DocStore(db, { compactEvery: 10 });
    await store.create('s1', 'set', draftDoc());
    let most = 0;
    for (let i = 0; i < 35; i++) {
      await store.transact('s1', (doc) => draftText(doc).insert(i, String(i % 10)));
      most = Math.max(most, rows(db, 's1').n);
    }
    expect(most).toBe(10); // the 11th row is compacted right after its commit, before its waiter runs
    expect(rows(db, 's1').n).toBeLessThan(10);
    const live = store.get('s1') as Y.Doc;
    const back = readBack(file, 's1');
    expect(readSetContent(back)).toEqual(readSetContent(live));
    expect(Y.encodeStateVector(back)).toEqual(Y.encodeStateVector(live));
  });

  it('compacts only what is committed: a queued edit stays queued and is committed afterwards', async () => {
    const file = tempDbFile();
    const db = openDb(file);
    const store = new DocStore(db, { maxDelayMs: 100 });
    await store.create('s1', 'set', draftDoc('a'));
    for (const ch of 'bcd') await store.transact('s1', (doc) => draftText(doc).insert(1, ch));
    const queued = store.transact('s1', (doc) => draftText(doc).insert(0, 'queued:'));
    store.compact('s1');
    expect(rows(db, 's1').n).toBe(1);
    expect(draftText(readBack(file, 's1')).toString()).toBe('adcb');
    await queued;
    expect(rows(db, 's1').n).toBe(2);
    expect(draftText(readBack(file, 's1')).toString()).toBe('queued:adcb');
  });

  it('close compacts every document worth it; deleted text no longer costs space', async () => {
    const file = tempDbFile();
    let db = openDb(file);
    let store = new DocStore(db);
    await store.create('s1', 'set', draftDoc('keep'));
    await store.create('s2', 'set', draftDoc('single row'));
    const junk = 'j'.repeat(20_000);
    await store.transact('s1', (doc) => draftText(doc).insert(4, junk));
    await store.transact('s1', (doc) => draftText(doc).delete(4, junk.length));
    expect(rows(db, 's1').n).toBe(3);
    const before = rows(db, 's1').bytes;
    const state = Y.encodeStateVector(store.get('s1') as Y.Doc);
    await store.close();
    expect(rows(db, 's1').n).toBe(1);
    expect(rows(db, 's2').n).toBe(1);
    expect(rows(db, 's1').bytes).toBeLessThan(before / 20);
    db.close();
    db = openDb(file);
    store = new DocStore(db);
    expect(draftText(store.get('s1') as Y.Doc).toString()).toBe('keep');
    expect(Y.encodeStateVector(store.get('s1') as Y.Doc)).toEqual(state);
    await store.close();
  });

  it('compacts a document that is not loaded, from its rows', async () => {
    const file = tempDbFile();
    const db = openDb(file);
    const writer = new DocStore(db);
    await writer.create('s1', 'set', draftDoc('x'));
    for (const ch of 'yz') await writer.transact('s1', (doc) => draftText(doc).insert(1, ch));
    const other = new DocStore(openDb(file));
    other.compact('s1');
    expect(rows(db, 's1').n).toBe(1);
    expect(draftText(readBack(file, 's1')).toString()).toBe('xzy');
    expect(() => other.compact('missing')).toThrow(/no document missing/);
  });
});
