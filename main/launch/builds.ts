import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildElectron } from '../electron/build';
import type { Runner } from './run';
import { failureReason, runProcess } from './run';
import { needsBuild, newestMtime, oldestOutput } from './staleness';

/**
 * What `npm start` builds before it starts anything, only when the build is missing or older than its sources
 * (a fresh clone, a pull): the renderer (Vite, about 5 s) and the desktop shell's bundles (esbuild, under 1 s).
 */

export interface BuildOptions {
  log(line: string): void;
  run?: Runner;
  /** Rebuild even when the output looks current. */
  force?: boolean;
}

export function rendererIsStale(root: string): boolean {
  return needsBuild(
    oldestOutput([join(root, 'out', 'renderer', 'index.html')]),
    newestMtime([join(root, 'renderer'), join(root, 'shared'), join(root, 'package-lock.json')]),
  );
}

export function electronIsStale(root: string): boolean {
  return needsBuild(
    oldestOutput([join(root, 'out', 'electron', 'main.cjs'), join(root, 'out', 'electron', 'preload.cjs')]),
    newestMtime([join(root, 'main'), join(root, 'shared'), join(root, 'package-lock.json')]),
  );
}

/**
 * Build `out/renderer` with Vite if it is missing or stale; throws with the build's own error if it fails. The
 * build goes to a fresh folder swapped in with two renames, so a studio already serving the old page (another
 * launch, a test run) never sees a half-written folder, and a failed build leaves the old one in place.
 */
export async function ensureRendererBuilt(root: string, options: BuildOptions): Promise<void> {
  if (!options.force && !rendererIsStale(root)) return;
  const run = options.run ?? runProcess;
  const target = join(root, 'out', 'renderer');
  const fresh = `${target}.build-${process.pid}`;
  const old = `${target}.old-${process.pid}`;
  const started = Date.now();
  options.log("Building the studio's page (out/renderer; about 5 s, after an update only)…");
  const result = await run(
    process.execPath,
    [
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '-c',
      join(root, 'renderer', 'vite.config.ts'),
      '--outDir',
      fresh,
      '--emptyOutDir',
    ],
    { cwd: root, env: process.env, timeoutMs: 5 * 60_000 },
  );
  if (result.code !== 0) {
    rmSync(fresh, { recursive: true, force: true });
    throw new Error(failureReason(result, "Building the studio's page"));
  }
  if (existsSync(target)) renameSync(target, old);
  renameSync(fresh, target);
  rmSync(old, { recursive: true, force: true });
  options.log(`Built the page in ${seconds(started)}.`);
}

/** Bundle `out/electron/` if missing or stale; resolves to the main bundle's path. */
export async function ensureElectronBuilt(root: string, options: BuildOptions): Promise<string> {
  const main = join(root, 'out', 'electron', 'main.cjs');
  if (!options.force && !electronIsStale(root)) return main;
  const started = Date.now();
  options.log('Bundling the desktop app (out/electron)…');
  const out = await buildElectron(root);
  options.log(`Bundled in ${seconds(started)}.`);
  return out.main;
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}
