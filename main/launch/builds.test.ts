import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { electronIsStale, ensureRendererBuilt, rendererIsStale } from './builds';
import type { Runner } from './run';

const base = mkdtempSync(join(tmpdir(), 'anvil-builds-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function file(path: string, mtime: number): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'x');
  utimesSync(path, mtime, mtime);
}

/** A project with sources at t=1000 and, if given, built outputs at `builtAt`. */
function project(name: string, builtAt?: number): string {
  const root = join(base, name);
  file(join(root, 'renderer', 'src', 'App.tsx'), 1000);
  file(join(root, 'shared', 'x.ts'), 1000);
  file(join(root, 'main', 'electron', 'main.ts'), 1000);
  file(join(root, 'package-lock.json'), 1000);
  if (builtAt !== undefined) {
    file(join(root, 'out', 'renderer', 'index.html'), builtAt);
    file(join(root, 'out', 'electron', 'main.cjs'), builtAt);
    file(join(root, 'out', 'electron', 'preload.cjs'), builtAt);
  }
  return root;
}

describe('staleness of the builds', () => {
  it('wants a build when there is none, or when a source changed after it', () => {
    expect(rendererIsStale(project('none'))).toBe(true);
    expect(electronIsStale(project('none2'))).toBe(true);
    expect(rendererIsStale(project('old', 500))).toBe(true);
    expect(electronIsStale(project('old2', 500))).toBe(true);
    const fresh = project('fresh', 2000);
    expect(rendererIsStale(fresh)).toBe(false);
    expect(electronIsStale(fresh)).toBe(false);
  });

  it('rebuilds the page after a shared/ edit, and the shell after a main/ edit only', () => {
    const root = project('edited', 2000);
    file(join(root, 'main', 'store', 'db.ts'), 3000);
    expect(rendererIsStale(root)).toBe(false);
    expect(electronIsStale(root)).toBe(true);
    file(join(root, 'shared', 'y.ts'), 3000);
    expect(rendererIsStale(root)).toBe(true);
  });

  it('ignores test files', () => {
    const root = project('tests', 2000);
    file(join(root, 'renderer', 'src', 'App.test.tsx'), 3000);
    expect(rendererIsStale(root)).toBe(false);
  });
});

describe('ensureRendererBuilt', () => {
  const ok: Runner = async () => ({ code: 0, output: '', timedOut: false });

  it('runs Vite with the renderer config, with a progress line, only when stale', async () => {
    const calls: (readonly string[])[] = [];
    const lines: string[] = [];
    // Stands in for Vite: writes the page into the --outDir it was given.
    const run: Runner = async (command, args, options) => {
      calls.push(args);
      const outDir = args[args.indexOf('--outDir') + 1] as string;
      file(join(outDir, 'index.html'), 5000);
      return ok(command, args, options);
    };
    const root = project('build-me', 500);
    await ensureRendererBuilt(root, { run, log: (l) => lines.push(l) });
    expect(calls).toHaveLength(1);
    const target = join(root, 'out', 'renderer');
    expect(calls[0]?.slice(1)).toEqual([
      'build',
      '-c',
      join(root, 'renderer', 'vite.config.ts'),
      '--outDir',
      `${target}.build-${process.pid}`,
      '--emptyOutDir',
    ]);
    // Swapped in whole: the new page in place, no build or old folder left beside it.
    expect(readdirSync(join(root, 'out'))).toEqual(['electron', 'renderer']);
    expect(statSync(join(target, 'index.html')).mtimeMs).toBe(5000 * 1000);
    expect(lines[0]).toMatch(/^Building the studio's page/);
    expect(lines[1]).toMatch(/^Built the page in \d+\.\d s\.$/);

    calls.length = 0;
    await ensureRendererBuilt(project('current', 2000), { run, log: () => undefined });
    expect(calls).toHaveLength(0);
  });

  it("fails with Vite's own error", async () => {
    const run: Runner = async () => ({
      code: 1,
      output: 'vite v8\nError: [vite]: Rollup failed to resolve import "x"\n',
      timedOut: false,
    });
    const root = project('broken', 500);
    await expect(ensureRendererBuilt(root, { run, log: () => undefined })).rejects.toThrow(
      /Building the studio's page failed: Error: \[vite\]: Rollup failed to resolve import "x"/,
    );
    // The old page stays; nothing half-built is left.
    expect(statSync(join(root, 'out', 'renderer', 'index.html')).mtimeMs).toBe(500 * 1000);
    expect(readdirSync(join(root, 'out'))).toEqual(['electron', 'renderer']);
  });
});
