/**
 * The launcher behind `npm start` (and `anvil studio`): builds what is stale, then opens the desktop app where
 * Electron can run, else serves the same studio to a browser on 127.0.0.1 and says why. Exit codes: 0 after a
 * clean stop, 2 for a problem the person can fix (arguments, data folder, port), 1 for anything else. No stack
 * traces: each failure is one message.
 */
import { createRequire } from 'node:module';
import { homedir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AnvilError } from '../../shared/domain';
import { ROOT } from '../electron/build';
import { USAGE, UsageError, parseLaunchArgs } from './args';
import { ensureElectronBuilt, ensureRendererBuilt } from './builds';
import { ensureWritableDataDir } from './data-dir';
import { acquireDataLock, lockedMessage } from './data-lock';
import { electronPackageDir, fallbackLine, fetchElectron, locateElectron, prepareDesktop } from './desktop';
import { electronArgs, runElectron } from './electron-run';
import { LaunchError } from './launch-error';
import { ensureElectronNative, locateNodeGyp, readElectronTarget } from './native';
import { defaultDataDir } from './paths';
import { runProcess } from './run';
import type { StopSignals } from './signals';
import { watchStopSignals } from './signals';
import { banner, startBrowserStudio } from './web-mode';

/** Electron's download is ~100 MB; a dead network fails in well under a second, a slow one gets this long. */
const ELECTRON_DOWNLOAD_TIMEOUT_MS = 180_000;

/** Set it (to anything) to skip the builds: the launcher's own tests. */
export const NO_BUILD_ENV = 'ANVIL_NO_BUILD';

const log = (line: string): void => console.log(line);

/** Run the launcher; resolves to the process's exit code once the studio has stopped. */
export async function launch(argv: readonly string[], root: string = ROOT): Promise<number> {
  // `npm start` runs in the project's folder; a relative --data means the folder the person typed it in.
  const args = parseLaunchArgs(argv, process.env.INIT_CWD ?? process.cwd());
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const dataDir = args.dataDir ?? defaultDataDir(process.platform, process.env, homedir());
  ensureWritableDataDir(dataDir);
  // Tests of the launcher itself run against whatever is built; they must not start a 5-second Vite build.
  if (!process.env[NO_BUILD_ENV]) await ensureRendererBuilt(root, { log });

  // From here on, Ctrl+C means "stop cleanly"; pressed again while closing, "stop now".
  let stop = watchStopSignals(stopNow);
  if (!args.web) {
    const plan = await prepareDesktop(desktopSteps(root));
    if (stop.requested()) return 0; // Stopped while downloading or building: nothing is open yet.
    if (plan.ok) {
      // A browser studio on this folder must stop first; a desktop one is fine: Electron's own single-instance
      // lock makes the new app focus its window and quit.
      const attempt = acquireDataLock(dataDir, { pid: process.pid, mode: 'desktop' });
      if (!attempt.ok && attempt.holder.mode === 'web') throw new LaunchError(lockedMessage(dataDir, attempt.holder));
      log(
        attempt.ok
          ? `Opening the desktop app (data folder: ${dataDir})…`
          : `The desktop app already has ${dataDir} open: bringing its window to the front.`,
      );
      // The app handles the signals itself (runElectron forwards them and waits for it to close).
      stop.dispose();
      const outcome = await runElectron(
        plan.electron,
        electronArgs(plan.main, dataDir, plan.binding),
        process.env,
      ).finally(() => attempt.ok && attempt.lock.release());
      if ('exited' in outcome) return outcome.exited;
      stop = watchStopSignals(stopNow);
      log(fallbackLine(outcome.startFailed));
    } else log(fallbackLine(plan.reason));
  }
  return serveInBrowser(args, dataDir, stop);
}

function stopNow(signal: NodeJS.Signals): never {
  console.error(`${signal} again: stopping without waiting for the workspace to close.`);
  process.exit(1);
}

async function serveInBrowser(
  args: ReturnType<typeof parseLaunchArgs>,
  dataDir: string,
  stop: StopSignals,
): Promise<number> {
  const attempt = acquireDataLock(dataDir, { pid: process.pid, mode: 'web' });
  if (!attempt.ok) throw new LaunchError(lockedMessage(dataDir, attempt.holder));
  const { lock } = attempt;
  try {
    const studio = await startBrowserStudio({ ...args, dataDir, actor: osUser(), log });
    lock.setUrl(studio.url);
    for (const line of banner(studio.url, dataDir)) log(line);
    await stop.first;
    log('Stopping: closing the workspace…');
    try {
      await studio.close();
    } catch (err) {
      console.error(`Closing the workspace failed: ${describe(err)}`);
      return 1;
    }
    log('Stopped.');
    return 0;
  } finally {
    lock.release();
  }
}

function desktopSteps(root: string): Parameters<typeof prepareDesktop>[0] {
  const require = createRequire(join(root, 'package.json'));
  return {
    platform: process.platform,
    env: process.env,
    log,
    locate: () => locateElectron(root),
    fetch: () => fetchElectron(electronPackageDir(root), runProcess, process.env, ELECTRON_DOWNLOAD_TIMEOUT_MS),
    native: async () => {
      try {
        return await ensureElectronNative({
          target: readElectronTarget(electronPackageDir(root), process.platform, process.arch),
          packageDir: dirname(require.resolve('better-sqlite3/package.json')),
          outDir: join(root, 'out'),
          prebuildInstall: join(dirname(require.resolve('prebuild-install/package.json')), 'bin.js'),
          nodeGyp: locateNodeGyp(process.env),
          env: process.env,
          log,
        });
      } catch (err) {
        return { ok: false, reason: (err as Error).message };
      }
    },
    bundle: () => ensureElectronBuilt(root, { log }),
  };
}

/** The words for a failure: its message, with the store's error code when it has one. */
export function describe(err: unknown): string {
  if (err instanceof AnvilError) return `${err.message} (${err.code})`;
  return err instanceof Error ? err.message : String(err);
}

/** The exit code for a failure: 2 when the person can fix it by changing the command, else 1. */
export function exitCodeFor(err: unknown): number {
  return err instanceof UsageError || err instanceof LaunchError ? 2 : 1;
}

function osUser(): string {
  try {
    return userInfo().username.slice(0, 128) || 'local';
  } catch {
    return 'local';
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  launch(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      const usage = err instanceof UsageError ? '\nRun `npm start -- --help` for the options.' : '';
      console.error(`Anvil could not start: ${describe(err)}${usage}`);
      process.exit(exitCodeFor(err));
    },
  );
}
