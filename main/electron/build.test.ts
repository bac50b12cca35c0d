import { builtinModules } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, WS_OPTIONAL, buildElectron } from './build';

const outDir = mkdtempSync(join(tmpdir(), 'anvil-electron-build-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const requires = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1] as string);

describe('the desktop bundles', () => {
  it('bundle the preload into one file that requires only electron (a sandboxed preload can load nothing else)', async () => {
    const { preload, main } = await buildElectron(ROOT, outDir);
    expect(new Set(requires(preload))).toEqual(new Set(['electron']));
    const source = readFileSync(preload, 'utf8');
    expect(source).toContain('exposeInMainWorld("anvilIpc"');
    expect(source).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\)/);

    // The main bundle: only Electron, better-sqlite3 (its native addon), ws's optional helpers (tried inside
    // try/catch) and Node's own modules stay outside.
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const outside = requires(main).filter((m) => !builtins.has(m));
    expect(new Set(outside)).toEqual(new Set(['electron', 'better-sqlite3', ...WS_OPTIONAL]));
  }, 60_000);
});
