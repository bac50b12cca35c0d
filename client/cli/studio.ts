import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The studio's launcher, as a file to run rather than a module to import: `client/` is for any Node project and
 * never imports `main/`. In this repository it sits at a fixed place beside the CLI.
 */
export const LAUNCHER = fileURLToPath(new URL('../../main/launch/studio.ts', import.meta.url));

/**
 * `anvil studio [options]`: runs the launcher with the same options as `npm start --` (it parses them, prints
 * its help and its errors), passes Ctrl+C and SIGTERM on so the workspace closes cleanly, and resolves to its
 * exit code.
 */
export function runStudio(args: readonly string[], launcher: string = LAUNCHER): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', launcher, ...args], { stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const done = (code: number) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code);
    };
    child.on('error', (err) => {
      console.error(`anvil studio: could not run the launcher (${err.message}).`);
      done(1);
    });
    child.on('exit', (code, signal) => done(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1)));
  });
}
