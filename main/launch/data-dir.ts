import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LaunchError, errorCode } from './launch-error';

/**
 * Create the data folder if needed and prove it writable before anything opens the workspace in it, so the
 * person sees "this folder cannot be written" rather than a SQLite error about a journal file.
 */
export function ensureWritableDataDir(dir: string): void {
  const probe = join(dir, `.anvil-write-check-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
  } catch (err) {
    const code = errorCode(err);
    throw new LaunchError(
      `The data folder ${dir} cannot be written (${code ?? (err as Error).message}). ` +
        'Choose another with --data DIR.',
    );
  } finally {
    try {
      rmSync(probe, { force: true });
    } catch {
      // The probe was never written (the folder could not be made): nothing to remove.
    }
  }
}
