import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the built renderer is made from: when any of it is newer than the build, the build is stale. */
const SOURCES = ['renderer', 'shared', 'package.json', 'package-lock.json'];

function newestMtime(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Why out/renderer must be (re)built, or null when it is up to date. */
export function rendererStaleness(root: string): string | null {
  const built = statSync(join(root, 'out', 'renderer', 'index.html'), { throwIfNoEntry: false });
  if (!built) return 'out/renderer is not built';
  const newest = Math.max(...SOURCES.map((s) => newestMtime(join(root, s))));
  return newest > built.mtimeMs ? 'its sources changed since it was built' : null;
}

/**
 * Builds the renderer into a fresh folder and swaps it into out/renderer with two renames, so a studio that
 * is serving the old build (another test run on this machine) never sees a half-written folder.
 */
export function buildRenderer(root: string): void {
  const target = join(root, 'out', 'renderer');
  const fresh = `${target}.build-${process.pid}`;
  const old = `${target}.old-${process.pid}`;
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const run = spawnSync(
    process.execPath,
    [vite, 'build', '-c', 'renderer/vite.config.ts', '--outDir', fresh, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: root, stdio: 'inherit' },
  );
  if (run.status !== 0) {
    rmSync(fresh, { recursive: true, force: true });
    throw new Error(`Building the renderer failed (vite exited with ${run.status ?? run.signal}).`);
  }
  if (existsSync(target)) renameSync(target, old);
  renameSync(fresh, target);
  rmSync(old, { recursive: true, force: true });
}

/** Does `dir` hold a whole build: index.html and every asset it references? */
function completeBuild(dir: string): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return false;
  const html = readFileSync(index, 'utf8');
  return [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].every((m) => existsSync(join(dir, m[1] ?? '')));
}

/**
 * A private copy of out/renderer for this test run to serve: other people in the same work tree may rebuild
 * out/renderer (npm run build:renderer empties it first) while the tests run, and a studio serving it would
 * then answer 404. A copy caught half-written by such a build is taken again.
 */
export function snapshotRenderer(root: string): string {
  const source = join(root, 'out', 'renderer');
  for (let attempt = 0; ; attempt++) {
    const copy = mkdtempSync(join(tmpdir(), 'anvil-e2e-renderer-'));
    cpSync(source, copy, { recursive: true });
    if (completeBuild(copy)) return copy;
    rmSync(copy, { recursive: true, force: true });
    if (attempt === 2) {
      buildRenderer(root);
    } else if (attempt > 2) {
      throw new Error('out/renderer keeps changing while it is copied (is a build running?).');
    } else {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
    }
  }
}
