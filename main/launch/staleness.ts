import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * "Is the build older than its sources?" by modification times, so `npm start` rebuilds only after an edit (a
 * pull, a dependency upgrade) and otherwise starts in well under a second. Cheap on purpose: a walk of a few
 * hundred files, no hashing; a false "stale" costs one rebuild, never a wrong page.
 */

/** Files that do not end up in a build: tests and benches' fixtures next to the code. */
export const NOT_A_SOURCE = /(\.test\.tsx?|\.md)$/;

/** The newest modification time (ms) of the files under `paths` (files or folders), 0 if there are none. */
export function newestMtime(paths: readonly string[], skip: RegExp = NOT_A_SOURCE): number {
  let newest = 0;
  const visit = (path: string): void => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return; // A file removed mid-walk, or a path that does not exist: nothing to compare.
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(path))
        if (name !== 'node_modules' && !name.startsWith('.')) visit(join(path, name));
    } else if (!skip.test(path)) newest = Math.max(newest, stat.mtimeMs);
  };
  for (const p of paths) visit(p);
  return newest;
}

/** The oldest modification time (ms) of a build's outputs, or undefined when any of them is missing. */
export function oldestOutput(files: readonly string[]): number | undefined {
  let oldest = Infinity;
  for (const file of files) {
    try {
      oldest = Math.min(oldest, statSync(file).mtimeMs);
    } catch {
      return undefined;
    }
  }
  return oldest === Infinity ? undefined : oldest;
}

/** A build is needed when an output is missing or older than the newest source. */
export function needsBuild(outputMtimeMs: number | undefined, newestSourceMs: number): boolean {
  return outputMtimeMs === undefined || outputMtimeMs < newestSourceMs;
}
