import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { needsBuild, newestMtime, oldestOutput } from './staleness';

const base = mkdtempSync(join(tmpdir(), 'anvil-stale-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A file with a given modification time (seconds since the epoch). */
function file(path: string, mtime: number): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'x');
  utimesSync(path, mtime, mtime);
  return path;
}

describe('needsBuild', () => {
  it('builds when the output is missing or older than the newest source, not otherwise', () => {
    expect(needsBuild(undefined, 0)).toBe(true);
    expect(needsBuild(1000, 2000)).toBe(true);
    expect(needsBuild(2000, 2000)).toBe(false);
    expect(needsBuild(3000, 2000)).toBe(false);
  });
});

describe('newestMtime', () => {
  it('walks folders, skipping tests, docs, node_modules and dot folders', () => {
    const src = join(base, 'src');
    file(join(src, 'a.ts'), 1000);
    file(join(src, 'deep', 'b.tsx'), 2000);
    file(join(src, 'deep', 'b.test.ts'), 9000);
    file(join(src, 'README.md'), 9000);
    file(join(src, 'node_modules', 'x.js'), 9000);
    file(join(src, '.cache', 'y.js'), 9000);
    expect(newestMtime([src])).toBe(2000 * 1000);
  });

  it('takes single files and ignores paths that do not exist', () => {
    const lock = file(join(base, 'lock.json'), 5000);
    expect(newestMtime([lock, join(base, 'absent')])).toBe(5000 * 1000);
    expect(newestMtime([join(base, 'absent')])).toBe(0);
  });
});

describe('oldestOutput', () => {
  it('is the oldest of the outputs, or undefined when one is missing', () => {
    const a = file(join(base, 'out', 'a.cjs'), 3000);
    const b = file(join(base, 'out', 'b.cjs'), 4000);
    expect(oldestOutput([a, b])).toBe(3000 * 1000);
    expect(oldestOutput([a, join(base, 'out', 'missing.cjs')])).toBeUndefined();
  });
});
