import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './db';
import { MIGRATIONS } from './migrations';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'anvil-db-'));

describe('openDatabase', () => {
  it('sets WAL, FULL sync, foreign keys and a busy timeout', () => {
    const db = openDatabase(join(tmp(), 'w.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it('migrates every earlier schema version to the latest', () => {
    for (let from = 0; from < MIGRATIONS.length; from++) {
      const file = join(tmp(), `from-${from}.db`);
      openDatabase(file, { migrations: MIGRATIONS.slice(0, from) }).close();
      const db = openDatabase(file);
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
  });

  it('refuses a corrupt file with a clear error and leaves it byte for byte untouched', () => {
    const file = join(tmp(), 'corrupt.db');
    const garbage = Buffer.from('this is not a database, it is a shopping list\n'.repeat(200));
    writeFileSync(file, garbage);
    expect(() => openDatabase(file)).toThrow(/damaged.*left untouched/);
    expect(readFileSync(file).equals(garbage)).toBe(true);
  });

  it('refuses a database whose schema is newer than this code', () => {
    const file = join(tmp(), 'future.db');
    openDatabase(file).close();
    const db = openDatabase(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer than this Anvil understands/);
  });
});
