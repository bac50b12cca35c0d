import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import * as Y from 'yjs';
import { AnvilError } from '../../../shared/domain';
import { DocStore } from './doc-store';
import { SOAK, draftDoc, draftText, openDocsDb, tempDbFile } from './testing';

const opened: Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});
function openDb(file: string): Database {
  const db = openDocsDb(file);
  opened.push(db);
  return db;
}

const pages = (db: Database): number => db.pragma('page_count', { simple: true }) as number;

describe('DocStore under faults', () => {
  it('disk full: a clear error, the database still readable, nothing typed lost, saved once space is back', async () => {
    const file = tempDbFile();
    const db = openDb(file);
    const errors: string[] = [];
    const store = new DocStore(db, { onError: (e) => errors.push(e.code) });
    await store.create('s1', 'set', draftDoc('start;'));
    await store.create('s2', 'set', draftDoc('other'));

    db.pragma(`max_page_count = ${pages(db)}`); // no room for one more page
    const big = 'x'.repeat(64 * 1024);
    const first = store.transact('s1', (doc) => draftText(doc).insert(6, big));
    await expect(first).rejects.toMatchObject({ code: 'disk_full', message: /full.*Free some space/ });
    const second = store.transact('s1', (doc) => draftText(doc).insert(0, 'more;'));
    await expect(second).rejects.toMatchObject({ code: 'disk_full' });
    expect(errors).toContain('disk_full');

    // Readable, consistent, and holding exactly what was committed before the disk filled.
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const reader = new DocStore(openDb(file));
    expect(draftText(reader.get('s1') as Y.Doc).toString()).toBe('start;');
    expect(draftText(reader.get('s2') as Y.Doc).toString()).toBe('other');

    db.pragma('max_page_count = 1073741823');
    await store.flush();
    await store.close();
    db.close();
    const after = new DocStore(openDb(file));
    expect(draftText(after.get('s1') as Y.Doc).toString()).toBe('more;start;' + big);
    expect(draftText(after.get('s2') as Y.Doc).toString()).toBe('other');
  });

  it('a stored update that does not decode: a clear error naming the document, other documents still load', async () => {
    const file = tempDbFile();
    let db = openDb(file);
    let store = new DocStore(db);
    await store.create('bad', 'set', draftDoc('will be damaged'));
    await store.create('good', 'set', draftDoc('fine'));
    await store.transact('bad', (doc) => draftText(doc).insert(0, 'abcdefghijklmnopqrstuvwxyz'));
    await store.close(); // compacts each document into one row
    const last = db
      .prepare<[], { seq: number; data: Buffer }>(
        "SELECT seq, data FROM doc_updates WHERE doc_id = 'bad' ORDER BY seq DESC",
      )
      .get();
    if (!last) throw new Error('no row');
    const damaged = last.data.subarray(0, last.data.length - 8); // a torn write, as a bad disk leaves it
    db.prepare('UPDATE doc_updates SET data = ? WHERE seq = ?').run(damaged, last.seq);
    db.close();

    db = openDb(file);
    store = new DocStore(db);
    const failure = (fn: () => unknown): unknown => {
      try {
        fn();
      } catch (err) {
        return err;
      }
      throw new Error('expected a failure');
    };
    expect(failure(() => store.get('bad'))).toMatchObject({
      code: 'store_corrupt',
      path: 'bad',
      message: expect.stringMatching(/document bad .*row \d+/),
    });
    expect(draftText(store.get('good') as Y.Doc).toString()).toBe('fine');
    await store.transact('good', (doc) => draftText(doc).insert(4, '!'));
    await store.close();
    // The damaged rows were left as they were, for a person (or a backup) to deal with.
    expect(db.prepare("SELECT count(*) FROM doc_updates WHERE doc_id = 'bad'").pluck().get()).toBe(1);
    expect(
      Buffer.compare(
        db.prepare<[number], Buffer>('SELECT data FROM doc_updates WHERE seq = ?').pluck().get(last.seq) as Buffer,
        damaged,
      ),
    ).toBe(0);
  });

  it('random and bit-flipped update rows: a loaded document or a store_corrupt error, never a crash', () => {
    const db = openDb(':memory:');
    const good = draftDoc('good');
    const base = draftDoc('hello');
    draftText(base).insert(2, 'abc');
    draftText(base).delete(0, 2);
    const valid = Y.encodeStateAsUpdate(base);
    const insertDoc = db.prepare('INSERT INTO docs VALUES (?, ?, 0)');
    const insertRow = db.prepare('INSERT INTO doc_updates (doc_id, data, created_at) VALUES (?, ?, 0)');
    insertDoc.run('good', 'set');
    insertRow.run('good', Y.encodeStateAsUpdate(good));
    let seed = 12345;
    const rnd = (n: number): number => Math.floor(((seed = (seed * 16807) % 2147483647) / 2147483647) * n);
    const cases = SOAK ? 5000 : 300;
    const outcomes = { loaded: 0, refused: 0 };
    for (let i = 0; i < cases; i++) {
      let bytes: Uint8Array;
      if (i % 2 === 0) {
        bytes = Uint8Array.from({ length: rnd(80) }, () => rnd(256));
      } else {
        bytes = new Uint8Array(valid);
        for (let f = 1 + rnd(4); f > 0; f--) bytes[rnd(bytes.length)] = rnd(256);
      }
      const id = `fuzz-${i}`;
      insertDoc.run(id, 'set');
      insertRow.run(id, valid);
      insertRow.run(id, bytes);
      const store = new DocStore(db);
      try {
        store.get(id);
        outcomes.loaded++;
      } catch (err) {
        expect(err).toBeInstanceOf(AnvilError);
        expect(['store_corrupt', 'doc_too_new']).toContain((err as AnvilError).code);
        expect((err as AnvilError).path).toBe(id);
        outcomes.refused++;
      }
      expect(draftText(store.get('good') as Y.Doc).toString()).toBe('good');
    }
    expect(outcomes.refused).toBeGreaterThan(cases / 2);
  });
});
