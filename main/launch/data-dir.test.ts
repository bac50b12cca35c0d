import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureWritableDataDir } from './data-dir';
import { LaunchError } from './launch-error';

const base = mkdtempSync(join(tmpdir(), 'anvil-datadir-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('ensureWritableDataDir', () => {
  it('creates the folder and leaves nothing behind', () => {
    const dir = join(base, 'a', 'b');
    ensureWritableDataDir(dir);
    expect(existsSync(dir)).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names the folder and the way out when it cannot be made (a file is in the way)', () => {
    const file = join(base, 'a-file');
    writeFileSync(file, '');
    const dir = join(file, 'data');
    expect(() => ensureWritableDataDir(dir)).toThrow(LaunchError);
    expect(() => ensureWritableDataDir(dir)).toThrow(`The data folder ${dir} cannot be written (ENOTDIR)`);
    expect(() => ensureWritableDataDir(dir)).toThrow(/--data DIR/);
  });
});
