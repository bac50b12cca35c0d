import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

/**
 * Bundles the desktop shell: `out/electron/main.cjs` (the main process, with the studio's services) and
 * `out/electron/preload.cjs`. Both are single CommonJS files because a sandboxed preload can `require` only
 * `electron` and nothing from disk, and because Electron loads a CommonJS main without ESM loader caveats.
 * `electron` is provided by the runtime; better-sqlite3 stays external because it loads a native addon
 * (the launcher passes an Electron build of it through `--native-binding`).
 */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** ws's optional native speed-ups: required inside try/catch, not installed, never bundled. */
export const WS_OPTIONAL = ['bufferutil', 'utf-8-validate'];

export interface ElectronBundle {
  main: string;
  preload: string;
}

export async function buildElectron(
  root: string = ROOT,
  outDir = join(root, 'out', 'electron'),
): Promise<ElectronBundle> {
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // Electron 41 runs Node 24 in the main process and Chromium 146 in the preload.
    target: 'node22',
    sourcemap: 'linked',
    logLevel: 'warning',
    legalComments: 'none',
  } as const;
  const main = join(outDir, 'main.cjs');
  const preload = join(outDir, 'preload.cjs');
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(root, 'main', 'electron', 'main.ts')],
      outfile: main,
      // ws (under the sync client) tries its optional native helpers inside try/catch and does without them.
      external: ['electron', 'better-sqlite3', ...WS_OPTIONAL],
    }),
    build({
      ...common,
      entryPoints: [join(root, 'main', 'electron', 'preload.ts')],
      outfile: preload,
      // Only `electron` may be required in a sandboxed preload; anything else must be bundled or absent.
      external: ['electron'],
    }),
  ]);
  return { main, preload };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  buildElectron().then(
    (out) => console.log(`Built ${out.main} and ${out.preload} in ${Date.now() - started} ms.`),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    },
  );
}
