import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { NativeResult } from './native';
import type { RunResult, Runner } from './run';
import { failureReason } from './run';

/**
 * Can the desktop app start here, and if not, why (in words for the person who ran `npm start`)? The steps are
 * injected (`DesktopSteps`) so the decisions are tested without Electron, a network or a compiler.
 */

export type ElectronStatus =
  | { found: true; path: string }
  /**
   * `why` is worded for the launcher's one line; `detail` says what exactly is missing (the e2e skip reason).
   * `canFetch`: the electron package is installed, so its own install.js can download the binary.
   */
  | { found: false; why: string; detail: string; canFetch: boolean };

export type DesktopPlan = { ok: true; electron: string; binding: string; main: string } | { ok: false; reason: string };

export interface DesktopSteps {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  locate(): ElectronStatus;
  /** Run electron's install.js (bounded in time); `why` is the short reason it failed. */
  fetch(): Promise<{ ok: true } | { ok: false; why: string }>;
  /** better-sqlite3 for the installed Electron's ABI (`ensureElectronNative`). */
  native(): Promise<NativeResult>;
  /** The desktop shell's bundles; resolves to `out/electron/main.cjs`. */
  bundle(): Promise<string>;
  log(line: string): void;
}

/** Set it (to anything) and the launcher never downloads Electron: tests, and machines that must not. */
export const NO_DOWNLOAD_ENV = 'ANVIL_NO_ELECTRON_DOWNLOAD';

export const NOT_INSTALLED = "Electron's binary is not installed";

/** The one line the launcher prints before serving the studio to a browser instead. */
export function fallbackLine(reason: string): string {
  return `The desktop app cannot start here: ${reason}. Serving the studio in your browser instead.`;
}

/** On Linux and the BSDs a window needs an X11 or Wayland display; macOS and Windows always have one. */
export function displayProblem(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
): string | null {
  if (platform === 'darwin' || platform === 'win32') return null;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return 'there is no display to open its window on ($DISPLAY and $WAYLAND_DISPLAY are not set)';
}

/** Everything the desktop app needs, fetching or building what is missing; never throws. */
export async function prepareDesktop(steps: DesktopSteps): Promise<DesktopPlan> {
  const fail = (reason: string): DesktopPlan => ({ ok: false, reason });
  let status = steps.locate();
  // No window can open: say so, and do not download 100 MB to find out.
  const noDisplay = displayProblem(steps.platform, steps.env);
  if (noDisplay) return fail(status.found ? noDisplay : `${status.why}, and ${noDisplay}`);

  if (!status.found) {
    if (!status.canFetch) return fail(status.why);
    if (steps.env[NO_DOWNLOAD_ENV]) return fail(`${status.why} (${NO_DOWNLOAD_ENV} is set, so it was not downloaded)`);
    steps.log('Downloading Electron for the desktop app (about 100 MB, once)…');
    const fetched = await steps.fetch();
    if (!fetched.ok) return fail(`${status.why} and could not be downloaded (${fetched.why})`);
    status = steps.locate();
    if (!status.found) return fail(`${status.why}, even after downloading it`);
  }

  const native = await steps.native();
  if (!native.ok) return fail(`better-sqlite3 could not be built for Electron (${native.reason.replace(/\.+$/, '')})`);

  let main: string;
  try {
    main = await steps.bundle();
  } catch (err) {
    return fail(`its bundles could not be built (${(err as Error).message})`);
  }
  return { ok: true, electron: status.path, binding: native.binding, main };
}

/**
 * Where the electron package says its binary is (`require('electron')` returns the path, or throws when the
 * install skipped the download), and whether that file exists. Read afresh each time: a download may have
 * just put it there.
 */
export function locateElectron(root: string, exists: (p: string) => boolean = existsSync): ElectronStatus {
  const require = createRequire(join(root, 'package.json'));
  let entry: string;
  try {
    entry = require.resolve('electron');
  } catch {
    const why = 'the electron package is not installed (run npm install)';
    return { found: false, why, detail: why, canFetch: false };
  }
  Reflect.deleteProperty(require.cache, entry);
  let path: unknown;
  try {
    path = require(entry);
  } catch (err) {
    const pathFile = join(dirname(entry), 'path.txt');
    const detail = exists(pathFile)
      ? `require('electron') failed: ${(err as Error).message}`
      : `the install skipped its download (${pathFile} is absent)`;
    return { found: false, why: NOT_INSTALLED, detail, canFetch: true };
  }
  if (typeof path !== 'string' || !exists(path))
    return { found: false, why: NOT_INSTALLED, detail: `${String(path)} does not exist`, canFetch: true };
  return { found: true, path };
}

/** The electron package's folder (holding install.js, package.json and abi_version). */
export function electronPackageDir(root: string): string {
  return dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
}

/**
 * Download the binary with electron's own install.js (what `npm install` would have run), in time. The install
 * may have been told to skip it (ELECTRON_SKIP_BINARY_DOWNLOAD, as the README suggests): starting the desktop
 * app is the moment it is wanted, so that setting is dropped here.
 */
export async function fetchElectron(
  electronDir: string,
  run: Runner,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ ok: true } | { ok: false; why: string }> {
  const childEnv = { ...env };
  delete childEnv.ELECTRON_SKIP_BINARY_DOWNLOAD;
  delete childEnv.npm_config_electron_skip_binary_download;
  const result = await run(process.execPath, [join(electronDir, 'install.js')], {
    cwd: electronDir,
    env: childEnv,
    timeoutMs,
  });
  return result.code === 0 ? { ok: true } : { ok: false, why: shortFailure(result, timeoutMs) };
}

/** "getaddrinfo ENOTFOUND github.com" rather than a stack trace. */
export function shortFailure(result: RunResult, timeoutMs: number): string {
  if (result.timedOut) return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  return failureReason(result, '-')
    .replace(/^- failed: /, '')
    .replace(/^\w*Error:\s*/, '');
}
