import { fileURLToPath } from 'node:url';
import { runEntry } from './server';

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
  return runEntry(launcher, args, 'the studio launcher');
}
