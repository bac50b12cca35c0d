import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { SYNC_DB_FILE, openSqliteStorage } from './sqlite';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'kill9-child.ts');
const ROUNDS = process.env.ANVIL_SOAK ? 30 : 3;
const dirs: string[] = [];
let child: ChildProcess | undefined;

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-sync-store-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A doc whose Y.Text "t" holds `text`, and the updates that built it one insert at a time. */
function edits(parts: string[]): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (const part of parts) doc.getText('t').insert(doc.getText('t').length, part);
  return { doc, updates };
}

function textOf(state: Uint8Array | null): string {
  const doc = new Y.Doc();
  if (state) Y.applyUpdate(doc, state);
  return doc.getText('t').toString();
}

describe('SqliteStorage', () => {
  it('returns null for an unknown document and the merged updates for a known one', async () => {
    const store = openSqliteStorage(tempDir());
    expect(await store.load('nope')).toBeNull();
    const { updates } = edits(['a', 'b', 'c']);
    for (const u of updates) await store.append('doc-1', u);
    expect(textOf(await store.load('doc-1'))).toBe('abc');
    expect(await store.list()).toEqual(['doc-1']);
    await store.close();
  });

  it('keeps everything across close and reopen, documents apart', async () => {
    const dir = tempDir();
    const first = openSqliteStorage(dir);
    for (const u of edits(['x', 'y']).updates) await first.append('b', u);
    for (const u of edits(['1', '2', '3']).updates) await first.append('a', u);
    await first.close();
    const second = openSqliteStorage(dir);
    expect(textOf(await second.load('a'))).toBe('123');
    expect(textOf(await second.load('b'))).toBe('xy');
    expect(await second.list()).toEqual(['a', 'b']);
    await second.close();
  });

  it('compacts every N appends into one row without changing the content', async () => {
    const store = openSqliteStorage(tempDir(), { compactEvery: 10 });
    const parts = Array.from({ length: 25 }, (_, i) => `${i},`);
    for (const u of edits(parts).updates) await store.append('d', u);
    expect(store.rowCount('d')).toBeLessThan(10);
    expect(textOf(await store.load('d'))).toBe(parts.join(''));
    // A load merges what it read, so the next one reads a single row.
    expect(store.rowCount('d')).toBe(1);
    store.compact('d');
    expect(textOf(await store.load('d'))).toBe(parts.join(''));
    await store.close();
  });

  it('refuses bad names, empty updates and use after close with coded errors', async () => {
    const store = openSqliteStorage(tempDir());
    await expect(store.append('', new Uint8Array([0, 0]))).rejects.toMatchObject({ code: 'invalid_document_name' });
    await expect(store.load('x'.repeat(2000))).rejects.toMatchObject({ code: 'invalid_document_name' });
    await expect(store.append('d', new Uint8Array())).rejects.toMatchObject({ code: 'invalid_update' });
    await store.close();
    await expect(store.load('d')).rejects.toMatchObject({ code: 'storage_closed' });
  });

  it('reports a file that is not a database and leaves it untouched', () => {
    const dir = tempDir();
    const junk = 'this is not sqlite '.repeat(100);
    writeFileSync(join(dir, SYNC_DB_FILE), junk);
    expect(() => openSqliteStorage(dir)).toThrow(expect.objectContaining({ code: 'storage_corrupt' }));
  });

  it(`keeps every acknowledged append when killed -9, ${ROUNDS} rounds`, { timeout: ROUNDS * 8_000 }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const dir = tempDir();
      const acked = await new Promise<number[]>((resolve, reject) => {
        const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, 'doc'], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        child = proc;
        let out = '';
        let armed = false;
        proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
          if (!armed && out.includes('\n')) {
            armed = true;
            setTimeout(() => proc.kill('SIGKILL'), 50 + Math.random() * 400);
          }
        });
        proc.on('error', reject);
        proc.on('close', () => resolve(out.split('\n').slice(0, -1).map(Number)));
      });
      expect(acked.length).toBeGreaterThan(0);
      const store = openSqliteStorage(dir);
      const kept = textOf(await store.load('doc'))
        .slice(0, -1)
        .split(',')
        .map(Number);
      await store.close();
      // Appended in order: what survived is 1..k, and k covers every acknowledged number.
      expect(kept).toEqual(kept.map((_, i) => i + 1));
      expect(kept.length).toBeGreaterThanOrEqual(acked.length);
    }
  });
});
