import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DesktopSteps, ElectronStatus } from './desktop';
import {
  NOT_INSTALLED,
  displayProblem,
  fallbackLine,
  fetchElectron,
  locateElectron,
  prepareDesktop,
  shortFailure,
} from './desktop';
import type { NativeResult } from './native';
import type { Runner } from './run';

const base = mkdtempSync(join(tmpdir(), 'anvil-desktop-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const missing: ElectronStatus = { found: false, why: NOT_INSTALLED, detail: 'absent', canFetch: true };
const present: ElectronStatus = { found: true, path: '/opt/electron/electron' };

/** Steps that succeed unless told otherwise, recording what ran. */
function steps(overrides: Partial<DesktopSteps> & { statuses?: ElectronStatus[] } = {}) {
  const ran: string[] = [];
  const statuses = [...(overrides.statuses ?? [present])];
  const s: DesktopSteps = {
    platform: 'linux',
    env: { DISPLAY: ':0' },
    locate: () => {
      ran.push('locate');
      return statuses.length > 1 ? (statuses.shift() as ElectronStatus) : (statuses[0] as ElectronStatus);
    },
    fetch: async () => {
      ran.push('fetch');
      return { ok: true };
    },
    native: async (): Promise<NativeResult> => {
      ran.push('native');
      return { ok: true, binding: '/out/native/b.node', built: false };
    },
    bundle: async () => {
      ran.push('bundle');
      return '/out/electron/main.cjs';
    },
    log: () => undefined,
    ...overrides,
  };
  return { s, ran };
}

describe('prepareDesktop', () => {
  it('uses an installed Electron, the native build and the bundles', async () => {
    const { s, ran } = steps();
    expect(await prepareDesktop(s)).toEqual({
      ok: true,
      electron: '/opt/electron/electron',
      binding: '/out/native/b.node',
      main: '/out/electron/main.cjs',
    });
    expect(ran).toEqual(['locate', 'native', 'bundle']);
  });

  it('downloads a missing binary, then goes on', async () => {
    const { s, ran } = steps({ statuses: [missing, present] });
    expect((await prepareDesktop(s)).ok).toBe(true);
    expect(ran).toEqual(['locate', 'fetch', 'locate', 'native', 'bundle']);
  });

  it('says why when the download fails (this machine: no internet)', async () => {
    const { s, ran } = steps({
      statuses: [missing],
      fetch: async () => ({ ok: false, why: 'getaddrinfo ENOTFOUND github.com' }),
    });
    const plan = await prepareDesktop(s);
    expect(plan).toEqual({
      ok: false,
      reason: "Electron's binary is not installed and could not be downloaded (getaddrinfo ENOTFOUND github.com)",
    });
    expect(ran).toEqual(['locate']); // (the fetch here is the failing stand-in) and nothing after it
    expect(fallbackLine(plan.ok ? '' : plan.reason)).toBe(
      "The desktop app cannot start here: Electron's binary is not installed and could not be downloaded " +
        '(getaddrinfo ENOTFOUND github.com). Serving the studio in your browser instead.',
    );
  });

  it('does not download when told not to', async () => {
    const { s, ran } = steps({ statuses: [missing], env: { DISPLAY: ':0', ANVIL_NO_ELECTRON_DOWNLOAD: '1' } });
    expect(await prepareDesktop(s)).toEqual({
      ok: false,
      reason: "Electron's binary is not installed (ANVIL_NO_ELECTRON_DOWNLOAD is set, so it was not downloaded)",
    });
    expect(ran).toEqual(['locate']);
  });

  it('does not download 100 MB for a machine with no display, and says both', async () => {
    const { s, ran } = steps({ statuses: [missing], env: {} });
    const plan = await prepareDesktop(s);
    expect(plan.ok).toBe(false);
    expect(plan.ok ? '' : plan.reason).toBe(
      "Electron's binary is not installed, and there is no display to open its window on " +
        '($DISPLAY and $WAYLAND_DISPLAY are not set)',
    );
    expect(ran).toEqual(['locate']);
  });

  it('cannot fetch without the electron package', async () => {
    const { s, ran } = steps({
      statuses: [
        {
          found: false,
          why: 'the electron package is not installed (run npm install)',
          detail: 'no package',
          canFetch: false,
        },
      ],
    });
    expect(await prepareDesktop(s)).toEqual({
      ok: false,
      reason: 'the electron package is not installed (run npm install)',
    });
    expect(ran).toEqual(['locate']);
  });

  it('says when the native build or the bundles fail', async () => {
    const native = steps({ native: async () => ({ ok: false, reason: 'compiling it from source failed: no g++.' }) });
    expect(await prepareDesktop(native.s)).toEqual({
      ok: false,
      reason: 'better-sqlite3 could not be built for Electron (compiling it from source failed: no g++)',
    });
    const bundle = steps({ bundle: () => Promise.reject(new Error('esbuild: syntax error')) });
    expect(await prepareDesktop(bundle.s)).toEqual({
      ok: false,
      reason: 'its bundles could not be built (esbuild: syntax error)',
    });
  });
});

describe('displayProblem', () => {
  it('needs X11 or Wayland on Linux, nothing on macOS and Windows', () => {
    expect(displayProblem('linux', {})).toMatch(/no display/);
    expect(displayProblem('linux', { DISPLAY: ':1' })).toBeNull();
    expect(displayProblem('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBeNull();
    expect(displayProblem('darwin', {})).toBeNull();
    expect(displayProblem('win32', {})).toBeNull();
  });
});

/** A project folder with a stand-in electron package whose index.js behaves like the real one. */
function fakeProject(name: string, pathTxt: string | null): string {
  const root = join(base, name);
  const pkg = join(root, 'node_modules', 'electron');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{}');
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'electron', version: '41.7.1', main: 'index.js' }));
  writeFileSync(
    join(pkg, 'index.js'),
    `const fs = require('fs'); const path = require('path');
     const f = path.join(__dirname, 'path.txt');
     if (!fs.existsSync(f)) throw new Error('Electron failed to install correctly');
     module.exports = path.join(__dirname, 'dist', fs.readFileSync(f, 'utf8'));`,
  );
  if (pathTxt !== null) writeFileSync(join(pkg, 'path.txt'), pathTxt);
  return root;
}

describe('locateElectron', () => {
  it('finds the binary the package points at', () => {
    const root = fakeProject('with-binary', 'electron');
    writeFileSync(join(root, 'node_modules', 'electron', 'dist', 'electron'), '');
    expect(locateElectron(root)).toEqual({
      found: true,
      path: join(root, 'node_modules', 'electron', 'dist', 'electron'),
    });
  });

  it('reports a skipped download (the package throws) and a binary that is not there', () => {
    const skipped = fakeProject('skipped', null);
    expect(locateElectron(skipped)).toEqual({
      found: false,
      why: NOT_INSTALLED,
      detail: `the install skipped its download (${join(skipped, 'node_modules', 'electron', 'path.txt')} is absent)`,
      canFetch: true,
    });
    const gone = fakeProject('gone', 'electron');
    expect(locateElectron(gone)).toEqual({
      found: false,
      why: NOT_INSTALLED,
      detail: `${join(gone, 'node_modules', 'electron', 'dist', 'electron')} does not exist`,
      canFetch: true,
    });
  });

  it('sees a binary that appeared after a first look', () => {
    const root = fakeProject('later', 'electron');
    expect(locateElectron(root).found).toBe(false);
    writeFileSync(join(root, 'node_modules', 'electron', 'dist', 'electron'), '');
    expect(locateElectron(root).found).toBe(true);
  });

  it('reports a missing package as not fetchable', () => {
    const root = join(base, 'empty');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'package.json'), '{}');
    expect(locateElectron(root)).toMatchObject({ found: false, canFetch: false });
  });
});

describe('fetchElectron', () => {
  it("runs electron's install.js in time, with the install-time skip setting dropped", async () => {
    const calls: { args: readonly string[]; env: NodeJS.ProcessEnv; timeoutMs: number }[] = [];
    const run: Runner = async (_command, args, options) => {
      calls.push({ args, env: options.env, timeoutMs: options.timeoutMs });
      return { code: 0, output: '', timedOut: false };
    };
    const result = await fetchElectron('/p/electron', run, { ELECTRON_SKIP_BINARY_DOWNLOAD: '1', KEEP: 'y' }, 120_000);
    expect(result).toEqual({ ok: true });
    expect(calls[0]?.args).toEqual([join('/p/electron', 'install.js')]);
    expect(calls[0]?.env).toEqual({ KEEP: 'y' });
    expect(calls[0]?.timeoutMs).toBe(120_000);
  });

  it('gives the error, not the stack, when it fails', async () => {
    const output = [
      'RequestError: getaddrinfo ENOTFOUND github.com',
      '    at ClientRequest.<anonymous> (/node_modules/got/dist/source/core/index.js:970:111)',
      '    at Object.onceWrapper (node:events:639:26)',
    ].join('\n');
    const run: Runner = async () => ({ code: 1, output, timedOut: false });
    expect(await fetchElectron('/p/electron', run, {}, 1000)).toEqual({
      ok: false,
      why: 'getaddrinfo ENOTFOUND github.com',
    });
  });

  it('says when it ran out of time', () => {
    expect(shortFailure({ code: null, output: '', timedOut: true }, 120_000)).toBe('no answer within 120 s');
  });
});
