import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NativeTarget } from './native';
import {
  buildEnv,
  ensureElectronNative,
  locateNodeGyp,
  nativeBindingPath,
  nativeDir,
  nativeIsCurrent,
  nodeGypArgs,
  prebuildArgs,
  readElectronTarget,
  stampPath,
} from './native';
import type { Runner } from './run';
import { failureReason } from './run';

const base = mkdtempSync(join(tmpdir(), 'anvil-native-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const target: NativeTarget = { electronVersion: '41.7.1', abi: '145', platform: 'linux', arch: 'x64' };

/** A stand-in better-sqlite3 package: package.json, sources, and a Node build that must not be copied. */
function fakePackage(name: string): string {
  const dir = join(base, name, 'node_modules', 'better-sqlite3');
  mkdirSync(join(dir, 'build', 'Release'), { recursive: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'better-sqlite3', version: '12.11.1' }));
  writeFileSync(join(dir, 'src', 'better_sqlite3.cpp'), '// sources');
  writeFileSync(join(dir, 'build', 'Release', 'better_sqlite3.node'), 'NODE ABI build');
  return dir;
}

type Call = { command: string; args: readonly string[]; cwd: string; env: NodeJS.ProcessEnv };

/** A runner standing in for prebuild-install/node-gyp: each step succeeds (writing the addon) or fails. */
function fakeRunner(outcomes: { prebuilt: boolean; source: boolean }, calls: Call[]): Runner {
  return async (command, args, { cwd, env }) => {
    calls.push({ command, args, cwd, env });
    const tool = args[0] ?? '';
    const ok = tool.includes('prebuild') ? outcomes.prebuilt : outcomes.source;
    if (!ok)
      return { code: 1, output: 'prebuild-install warn install getaddrinfo ENOTFOUND github.com\n', timedOut: false };
    mkdirSync(join(cwd, 'build', 'Release'), { recursive: true });
    writeFileSync(join(cwd, 'build', 'Release', 'better_sqlite3.node'), `ELECTRON ABI build via ${tool}`);
    return { code: 0, output: 'ok', timedOut: false };
  };
}

function options(name: string, run: Runner, nodeGyp: string | null = '/npm/node_modules/node-gyp/bin/node-gyp.js') {
  return {
    target,
    packageDir: fakePackage(name),
    outDir: join(base, name, 'out'),
    prebuildInstall: '/nm/prebuild-install/bin.js',
    nodeGyp,
    env: { PATH: '/bin', npm_config_nodedir: '/usr/include/node', npm_config_runtime: 'node', HTTPS_PROXY: 'p' },
    log: () => undefined,
    run,
  };
}

describe('paths and naming', () => {
  it('reads the installed Electron’s version and ABI', () => {
    const dir = join(base, 'electron');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: '41.7.1' }));
    writeFileSync(join(dir, 'abi_version'), '145\n');
    expect(readElectronTarget(dir, 'linux', 'x64')).toEqual(target);
    writeFileSync(join(dir, 'abi_version'), 'garbage');
    expect(() => readElectronTarget(dir, 'linux', 'x64')).toThrow(/ABI number/);
  });

  it('keeps one folder per ABI, platform and architecture under out/native', () => {
    expect(nativeDir('/r/out', target)).toBe('/r/out/native/electron-v145-linux-x64');
    expect(nativeBindingPath('/d')).toBe('/d/better-sqlite3/build/Release/better_sqlite3.node');
    expect(nativeDir('/r/out', { ...target, platform: 'darwin', arch: 'arm64' })).toBe(
      '/r/out/native/electron-v145-darwin-arm64',
    );
  });

  it('asks prebuild-install and node-gyp for Electron, not Node', () => {
    expect(prebuildArgs(target)).toEqual(
      expect.arrayContaining(['--runtime=electron', '--target=41.7.1', '--arch=x64', '--platform=linux']),
    );
    expect(nodeGypArgs(target)).toEqual(
      expect.arrayContaining([
        'rebuild',
        '--runtime=electron',
        '--target=41.7.1',
        '--dist-url=https://electronjs.org/headers',
      ]),
    );
  });

  it('drops the npm settings that would point the tools at Node, keeps the rest', () => {
    const env = buildEnv({
      PATH: '/bin',
      npm_config_nodedir: '/n',
      npm_config_target: '20',
      ELECTRON_RUN_AS_NODE: '1',
      HTTPS_PROXY: 'p',
    });
    expect(env).toEqual({ PATH: '/bin', HTTPS_PROXY: 'p' });
  });

  it('finds the node-gyp npm bundles', () => {
    const env = { npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js' };
    expect(locateNodeGyp(env, () => true)).toBe('/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js');
    expect(locateNodeGyp(env, () => false)).toBeNull();
    expect(locateNodeGyp({}, () => true)).toBeNull();
  });
});

describe('nativeIsCurrent', () => {
  const stamp = { ...target, betterSqlite3: '12.11.1', method: 'prebuilt' };
  it('uses a complete build for exactly this Electron and better-sqlite3', () => {
    expect(nativeIsCurrent(stamp, true, target, '12.11.1')).toBe(true);
  });
  it.each([
    ['no addon file', stamp, false, target, '12.11.1'],
    ['no stamp', null, true, target, '12.11.1'],
    ['a damaged stamp', 'x', true, target, '12.11.1'],
    ['another Electron', stamp, true, { ...target, electronVersion: '42.0.0', abi: '146' }, '12.11.1'],
    ['another better-sqlite3', stamp, true, target, '12.12.0'],
  ] as const)('rebuilds with %s', (_why, s, exists, t, v) => {
    expect(nativeIsCurrent(s, exists, t, v)).toBe(false);
  });
});

describe('ensureElectronNative', () => {
  it('fetches the prebuilt binary into a copy of the package, stamps it, and reuses it next time', async () => {
    const calls: Call[] = [];
    const opts = options('prebuilt', fakeRunner({ prebuilt: true, source: true }, calls));
    const result = await ensureElectronNative(opts);
    const dir = nativeDir(opts.outDir, target);
    expect(result).toEqual({ ok: true, binding: nativeBindingPath(dir), built: true });
    expect(readFileSync(nativeBindingPath(dir), 'utf8')).toContain('prebuild');
    expect(JSON.parse(readFileSync(stampPath(dir), 'utf8'))).toMatchObject({ abi: '145', method: 'prebuilt' });
    // The Node build in node_modules is untouched and was not copied along.
    expect(readFileSync(join(opts.packageDir, 'build', 'Release', 'better_sqlite3.node'), 'utf8')).toBe(
      'NODE ABI build',
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]?.env.npm_config_nodedir).toBeUndefined();
    expect(calls[0]?.env.HTTPS_PROXY).toBe('p');
    expect(readdirSync(join(opts.outDir, 'native'))).toEqual(['electron-v145-linux-x64']);

    const again = await ensureElectronNative(opts);
    expect(again).toEqual({ ok: true, binding: nativeBindingPath(dir), built: false });
    expect(calls).toHaveLength(1);
  });

  it('compiles from source when there is no prebuilt binary', async () => {
    const calls: Call[] = [];
    const opts = options('source', fakeRunner({ prebuilt: false, source: true }, calls));
    const result = await ensureElectronNative(opts);
    expect(result.ok).toBe(true);
    expect(calls.map((c) => c.args[0])).toEqual([
      '/nm/prebuild-install/bin.js',
      '/npm/node_modules/node-gyp/bin/node-gyp.js',
    ]);
    expect(JSON.parse(readFileSync(stampPath(nativeDir(opts.outDir, target)), 'utf8')).method).toBe('source');
  });

  it('says why when neither works, and leaves nothing half-built behind', async () => {
    const opts = options('offline', fakeRunner({ prebuilt: false, source: false }, []));
    const result = await ensureElectronNative(opts);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toMatch(/downloading the prebuilt binary failed: .*ENOTFOUND github.com/);
      expect(result.reason).toMatch(/compiling it from source failed/);
    }
    expect(existsSync(join(opts.outDir, 'native'))).toBe(true);
    expect(readdirSync(join(opts.outDir, 'native'))).toEqual([]);
  });

  it('says so when there is no node-gyp to fall back on', async () => {
    const result = await ensureElectronNative(
      options('nogyp', fakeRunner({ prebuilt: false, source: true }, []), null),
    );
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/no node-gyp found/) });
  });

  it('rebuilds when the stamp is for another Electron', async () => {
    const calls: Call[] = [];
    const opts = options('upgrade', fakeRunner({ prebuilt: true, source: true }, calls));
    await ensureElectronNative(opts);
    const dir = nativeDir(opts.outDir, target);
    writeFileSync(stampPath(dir), JSON.stringify({ ...target, electronVersion: '41.0.0', betterSqlite3: '12.11.1' }));
    expect((await ensureElectronNative(opts)).ok).toBe(true);
    expect(calls).toHaveLength(2);
  });
});

describe('failureReason', () => {
  it('picks the line naming the error, or says it timed out', () => {
    expect(
      failureReason(
        { code: 1, output: 'a\nRequestError: getaddrinfo ENOTFOUND github.com\n  at x\n', timedOut: false },
        'X',
      ),
    ).toBe('X failed: RequestError: getaddrinfo ENOTFOUND github.com');
    const gyp = [
      'gyp http GET https://electronjs.org/headers/v41.7.1/node-v41.7.1-headers.tar.gz',
      'gyp ERR! configure error ',
      'gyp ERR! stack Error: This is most likely not a problem with node-gyp and',
      'gyp ERR! stack is related to network connectivity.',
      'gyp ERR! stack at go (/npm/node-gyp/lib/install.js:244:21)',
      'gyp ERR! not ok',
    ].join('\n');
    expect(failureReason({ code: 1, output: gyp, timedOut: false }, 'X')).toBe(
      'X failed: Error: This is most likely not a problem with node-gyp and is related to network connectivity.',
    );
    expect(failureReason({ code: null, output: '', timedOut: true }, 'X')).toBe('X timed out');
    expect(failureReason({ code: 3, output: '', timedOut: false }, 'X')).toBe('X failed: exit code 3');
  });
});
