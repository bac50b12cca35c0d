import { _electron as electron, expect, test } from '@playwright/test';
import type { ElectronApplication, Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureElectronBuilt } from '../main/launch/builds';
import { displayProblem, electronPackageDir, locateElectron } from '../main/launch/desktop';
import { electronArgs, electronEnv } from '../main/launch/electron-run';
import { ensureElectronNative, locateNodeGyp, readElectronTarget } from '../main/launch/native';
import { shot } from './support/studio';

/**
 * The desktop app itself, started as `npm start` starts it (`electron out/electron/main.cjs --data DIR
 * --native-binding FILE`). It needs Electron's binary and a display: where either is missing (as on the build
 * machine, which cannot download the binary) the test is reported as skipped with the reason.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const binary = locateElectron(ROOT);
const noDisplay = displayProblem(process.platform, process.env);

test.describe('the desktop app', () => {
  test.skip(!binary.found, `Electron's binary is not installed: ${binary.found ? '' : binary.detail}`);
  test.skip(noDisplay !== null, `Electron cannot open a window here: ${noDisplay ?? ''}`);

  let app: ElectronApplication | undefined;
  let dataDir: string | undefined;

  test.afterEach(async () => {
    await app?.close();
    app = undefined;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('opens the studio in an isolated, sandboxed window', async () => {
    if (!binary.found) return;
    // First run on a machine: better-sqlite3 for Electron's ABI (a download, or a compile of a few minutes).
    test.setTimeout(10 * 60_000);
    const require = createRequire(join(ROOT, 'package.json'));
    const native = await ensureElectronNative({
      target: readElectronTarget(electronPackageDir(ROOT), process.platform, process.arch),
      packageDir: dirname(require.resolve('better-sqlite3/package.json')),
      outDir: join(ROOT, 'out'),
      prebuildInstall: join(dirname(require.resolve('prebuild-install/package.json')), 'bin.js'),
      nodeGyp: locateNodeGyp(process.env),
      env: process.env,
      log: (line) => console.log(line),
    });
    if (!native.ok) throw new Error(`better-sqlite3 could not be built for Electron: ${native.reason}`);
    const main = await ensureElectronBuilt(ROOT, { log: (line) => console.log(line) });

    dataDir = mkdtempSync(join(tmpdir(), 'anvil-electron-'));
    // Chromium refuses to run as root with its sandbox on (containers, CI); the renderer's own sandbox
    // (webPreferences.sandbox, checked below) is unaffected by this switch.
    const asRoot = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
    app = await electron.launch({
      executablePath: binary.path,
      args: [...electronArgs(main, dataDir, native.binding), ...asRoot],
      env: electronEnv(process.env) as Record<string, string>,
    });
    const page: Page = await app.firstWindow();

    await expect(page).toHaveTitle(/Anvil/);
    await expect(page.getByRole('main').getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

    // What the window was created with, read back from Electron (an internal method: asserted where it exists).
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const [win] = BrowserWindow.getAllWindows();
      const contents = win?.webContents as unknown as { getLastWebPreferences?: () => Record<string, unknown> };
      const p = contents.getLastWebPreferences?.();
      return p
        ? { contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration }
        : null;
    });
    if (prefs) expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false });

    // And what the page can reach: the bridge the preload exposes, and nothing of Node.
    const reach = await page.evaluate(() => {
      const g = globalThis as unknown as Record<string, unknown>;
      return {
        require: typeof g.require,
        process: typeof g.process,
        module: typeof g.module,
        bridge: typeof g.anvilIpc,
      };
    });
    expect(reach).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', bridge: 'object' });

    await shot(page, 'electron-dashboard');
  });
});
