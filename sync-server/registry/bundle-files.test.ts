import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeDirs, tempDir } from '../server/testing';
import { openBundleFiles, sha512Integrity } from './bundle-files';
import { openRegistryDb } from './open';
import { REGISTRY_FILE, REGISTRY_MIGRATIONS } from './schema';

const dirs: string[] = [];
afterEach(() => removeDirs(dirs));

const bytesOf = (text: string) => new TextEncoder().encode(text);

describe('bundle files', () => {
  it('stores content-addressed files once, leaves no temp files, and serves verified bytes from its cache', () => {
    const dir = join(tempDir(dirs), 'bundles');
    const log: string[] = [];
    const files = openBundleFiles(dir, { log: (l) => log.push(l) });
    const bytes = bytesOf('{"format":"anvil-bundle@1"}');
    const integrity = sha512Integrity(bytes);
    files.write(bytes, integrity);
    files.write(bytes, integrity); // a retry, or a racing publisher: same file
    expect(readdirSync(dir)).toEqual([`${Buffer.from(integrity.slice(7), 'base64').toString('hex')}.json`]);
    expect(() => files.write(bytesOf('other'), integrity)).toThrow(
      expect.objectContaining({ code: 'integrity_mismatch' }),
    );

    const first = files.read(integrity, bytes.byteLength);
    expect(files.read(integrity, bytes.byteLength)).toBe(first); // the cache, while the file is unchanged
    expect(() => files.read(integrity, bytes.byteLength + 1)).toThrow(
      expect.objectContaining({ code: 'integrity_mismatch' }),
    );

    // Altered with the same size and its old times put back: the change time still differs.
    const path = files.pathOf(integrity);
    writeFileSync(path, bytesOf('{"format":"anvil-bundle@2"}'));
    utimesSync(path, new Date(0), new Date(0));
    expect(() => files.read(integrity, bytes.byteLength)).toThrow(
      expect.objectContaining({ code: 'integrity_mismatch' }),
    );
    expect(log.join('\n')).toContain('does not match');
    // A broken file is repaired by storing the right bytes again.
    files.write(bytes, integrity);
    expect(files.read(integrity, bytes.byteLength)).toEqual(bytes);
    expect(() => files.pathOf('sha1-abc')).toThrow(expect.objectContaining({ code: 'invalid_integrity' }));
  });

  it('keeps at most cacheBytes of verified bundles in memory', () => {
    const files = openBundleFiles(join(tempDir(dirs), 'bundles'), { cacheBytes: 100 });
    const a = bytesOf('a'.repeat(60));
    const b = bytesOf('b'.repeat(60));
    files.write(a, sha512Integrity(a));
    files.write(b, sha512Integrity(b));
    const readA = files.read(sha512Integrity(a), 60);
    files.read(sha512Integrity(b), 60); // pushes a out
    expect(files.read(sha512Integrity(a), 60)).not.toBe(readA);
    expect(files.read(sha512Integrity(a), 60)).toEqual(readA);
  });
});

describe('registry.db', () => {
  it('is WAL, synchronous FULL, with foreign keys; refuses a damaged or newer file and leaves it untouched', () => {
    const dir = tempDir(dirs);
    const file = join(dir, REGISTRY_FILE);
    const db = openRegistryDb(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(REGISTRY_MIGRATIONS.length);
    // A version row must name a package, a tag must name a version.
    expect(() =>
      db
        .prepare("INSERT INTO dist_tags (name, tag, version, updated_at) VALUES ('@a/b', 'latest', '1.0.0', 'x')")
        .run(),
    ).toThrow(/FOREIGN KEY/);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openRegistryDb(file)).toThrow(expect.objectContaining({ code: 'store_too_new' }));
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(99);
    raw.close();

    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not a database'.repeat(100));
    expect(() => openRegistryDb(junk)).toThrow(expect.objectContaining({ code: 'store_corrupt' }));
  });
});
