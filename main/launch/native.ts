import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Runner } from './run';
import { failureReason, runProcess } from './run';

/**
 * better-sqlite3 for Electron's ABI, kept apart from the Node build in node_modules (which tests, the CLI and
 * the browser mode keep using). On the first desktop launch, a copy of the better-sqlite3 package is made in
 * `out/native/electron-v<abi>-<platform>-<arch>/better-sqlite3/` and given an Electron build there: first the
 * project's prebuilt binary (prebuild-install, as `npm install` does for Node), else a compile from the
 * package's sources against Electron's headers (node-gyp; needs Python and a C++ toolchain). The desktop shell
 * then loads that `.node` through better-sqlite3's `nativeBinding` option. A stamp records what it was built
 * for, so a new Electron or better-sqlite3 version triggers a new build and a half-finished one is never used.
 */
export interface NativeTarget {
  electronVersion: string;
  /** Electron's NODE_MODULE_VERSION, e.g. "145" for Electron 41. */
  abi: string;
  platform: NodeJS.Platform;
  arch: string;
}

export interface NativeStamp extends NativeTarget {
  betterSqlite3: string;
  method: 'prebuilt' | 'source';
}

export type NativeResult = { ok: true; binding: string; built: boolean } | { ok: false; reason: string };

/** The target of the installed `electron` package: its version and the ABI it ships in `abi_version`. */
export function readElectronTarget(electronDir: string, platform: NodeJS.Platform, arch: string): NativeTarget {
  const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')) as { version: string };
  const abi = readFileSync(join(electronDir, 'abi_version'), 'utf8').trim();
  if (!/^\d+$/.test(abi)) throw new Error(`${join(electronDir, 'abi_version')} does not hold an ABI number.`);
  return { electronVersion: version, abi, platform, arch };
}

export function nativeDir(outDir: string, target: NativeTarget): string {
  return join(outDir, 'native', `electron-v${target.abi}-${target.platform}-${target.arch}`);
}

export function nativeBindingPath(dir: string): string {
  return join(dir, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
}

export function stampPath(dir: string): string {
  return join(dir, 'stamp.json');
}

/** Use what is there only if it is complete and was built for exactly this Electron and better-sqlite3. */
export function nativeIsCurrent(
  stamp: unknown,
  bindingExists: boolean,
  target: NativeTarget,
  betterSqlite3: string,
): boolean {
  if (!bindingExists || typeof stamp !== 'object' || stamp === null) return false;
  const s = stamp as Partial<NativeStamp>;
  return (
    s.electronVersion === target.electronVersion &&
    s.abi === target.abi &&
    s.platform === target.platform &&
    s.arch === target.arch &&
    s.betterSqlite3 === betterSqlite3
  );
}

export function prebuildArgs(target: NativeTarget): string[] {
  return [
    '--runtime=electron',
    `--target=${target.electronVersion}`,
    `--arch=${target.arch}`,
    `--platform=${target.platform}`,
    '--verbose',
  ];
}

export function nodeGypArgs(target: NativeTarget): string[] {
  return [
    'rebuild',
    '--release',
    '--runtime=electron',
    `--target=${target.electronVersion}`,
    `--arch=${target.arch}`,
    '--dist-url=https://electronjs.org/headers',
  ];
}

/**
 * The environment for the build tools: without the settings `npm start` passes down that would point them at
 * Node (its headers folder, target, runtime), which would silently produce a Node build again.
 */
export function buildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  const drop = /^npm_config_(nodedir|target|runtime|arch|platform|disturl|dist_url|build_from_source|node_gyp)$/i;
  for (const [k, v] of Object.entries(env)) if (!drop.test(k) && k !== 'ELECTRON_RUN_AS_NODE') out[k] = v;
  return out;
}

/** node-gyp as npm bundles it (`npm start` says where npm is), else none: the source build is then skipped. */
export function locateNodeGyp(env: NodeJS.ProcessEnv, exists: (p: string) => boolean = existsSync): string | null {
  const npmCli = env.npm_execpath;
  if (!npmCli) return null;
  const candidate = join(dirname(dirname(npmCli)), 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  return exists(candidate) ? candidate : null;
}

export interface EnsureNativeOptions {
  target: NativeTarget;
  /** The installed better-sqlite3 package (its sources and package.json are copied). */
  packageDir: string;
  /** The build output folder (`out/`). */
  outDir: string;
  /** prebuild-install's `bin.js`. */
  prebuildInstall: string;
  nodeGyp: string | null;
  env: NodeJS.ProcessEnv;
  log(line: string): void;
  run?: Runner;
  /** Each of the two steps; downloads are ~2 MB, a source build a few minutes. */
  timeoutMs?: number;
}

/** A ready Electron build of better-sqlite3, building it first if needed; never throws. */
export async function ensureElectronNative(options: EnsureNativeOptions): Promise<NativeResult> {
  const { target, log } = options;
  const run = options.run ?? runProcess;
  const dir = nativeDir(options.outDir, target);
  const binding = nativeBindingPath(dir);
  let version: string;
  try {
    version = (JSON.parse(readFileSync(join(options.packageDir, 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch (err) {
    return { ok: false, reason: `better-sqlite3 is not installed (${(err as Error).message})` };
  }
  if (nativeIsCurrent(readJson(stampPath(dir)), existsSync(binding), target, version))
    return { ok: true, binding, built: false };

  // Work in a private folder and move it in place only when complete: an interrupted build is never used.
  const work = `${dir}.tmp-${process.pid}`;
  const copy = join(work, 'better-sqlite3');
  try {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    cpSync(options.packageDir, copy, {
      recursive: true,
      filter: (src) => !/[\\/]better-sqlite3[\\/](build|node_modules)$/.test(src),
    });
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    return { ok: false, reason: `could not copy better-sqlite3 to ${work}: ${(err as Error).message}` };
  }
  const env = buildEnv(options.env);
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const built = nativeBindingPath(work);
  const reasons: string[] = [];

  log(`Fetching better-sqlite3 ${version} for Electron ${target.electronVersion} (ABI ${target.abi}), once…`);
  let method: NativeStamp['method'] | null = null;
  const prebuilt = await run(process.execPath, [options.prebuildInstall, ...prebuildArgs(target)], {
    cwd: copy,
    env,
    timeoutMs,
  });
  if (prebuilt.code === 0 && existsSync(built)) method = 'prebuilt';
  else reasons.push(failureReason(prebuilt, 'downloading the prebuilt binary'));

  if (!method && options.nodeGyp) {
    log('No prebuilt binary: compiling better-sqlite3 against Electron’s headers (a few minutes)…');
    const compiled = await run(process.execPath, [options.nodeGyp, ...nodeGypArgs(target)], {
      cwd: copy,
      env,
      timeoutMs,
    });
    if (compiled.code === 0 && existsSync(built)) method = 'source';
    else reasons.push(failureReason(compiled, 'compiling it from source'));
  } else if (!method) reasons.push('no node-gyp found to compile it from source (run through `npm start`)');

  if (!method) {
    rmSync(work, { recursive: true, force: true });
    return { ok: false, reason: reasons.join('; ') };
  }
  try {
    const stamp: NativeStamp = { ...target, betterSqlite3: version, method };
    writeFileSync(stampPath(work), `${JSON.stringify(stamp, null, 2)}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(work, dir);
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    return { ok: false, reason: `could not move the build into ${dir}: ${(err as Error).message}` };
  }
  return { ok: true, binding, built: true };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}
