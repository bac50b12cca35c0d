import { spawn } from 'node:child_process';

/** The desktop shell's command line (`main/electron/shell-args.ts` reads it). */
export function electronArgs(main: string, dataDir: string, binding: string): string[] {
  return [main, '--data', dataDir, '--native-binding', binding];
}

/** Electron must run as itself, not as plain Node (a variable some tools leave set). */
/** Names the process holding studio.lock on the desktop app's behalf (see main/electron/main.ts). */
export const LOCK_HOLDER_ENV = 'ANVIL_DATA_LOCK_HOLDER';

export function electronEnv(env: NodeJS.ProcessEnv, launcherPid: number = process.pid): NodeJS.ProcessEnv {
  const out = { ...env };
  delete out.ELECTRON_RUN_AS_NODE;
  // The launcher holds the data folder's studio.lock for the app it starts: the app must not refuse its own.
  out[LOCK_HOLDER_ENV] = String(launcherPid);
  return out;
}

export type ElectronOutcome = { exited: number } | { startFailed: string };

/** An exit this soon, with an error and unasked, means the app never came up (no libraries, a sandbox refusal). */
export const EARLY_EXIT_MS = 5000;

/**
 * Run the desktop app in the foreground: its output is ours, Ctrl+C and SIGTERM go to it (it closes the
 * workspace cleanly), and its exit code becomes ours. If it fails as it starts, say so, so the launcher can
 * serve the studio to a browser instead.
 */
export function runElectron(
  electron: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  earlyExitMs = EARLY_EXIT_MS,
): Promise<ElectronOutcome> {
  return new Promise((resolve) => {
    const started = Date.now();
    let stopping = false;
    const child = spawn(electron, [...args], { stdio: 'inherit', env: electronEnv(env) });
    const forward = (signal: NodeJS.Signals) => {
      stopping = true;
      child.kill(signal);
    };
    const signals = ['SIGINT', 'SIGTERM'] as const;
    for (const s of signals) process.on(s, forward);
    const done = (outcome: ElectronOutcome) => {
      for (const s of signals) process.off(s, forward);
      resolve(outcome);
    };
    child.on('error', (err) => done({ startFailed: `Electron could not be started (${err.message})` }));
    child.on('exit', (code, signal) => {
      if (!stopping && code !== 0 && Date.now() - started < earlyExitMs)
        return done({
          startFailed: `Electron stopped as it started (${signal ? `signal ${signal}` : `exit code ${String(code)}`})`,
        });
      done({ exited: code ?? (stopping ? 0 : 1) });
    });
  });
}
