import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { AnvilError } from '../../shared/domain';
import { isCorruption, storeCorrupt } from './errors';
import { migrate } from './migrate';
import type { Migration } from './migrations';
import { MIGRATIONS } from './migrations';

export interface OpenOptions {
  /** Migrations to apply; tests pass a prefix to build every earlier schema. */
  migrations?: readonly Migration[];
  readonly?: boolean;
  /**
   * Path of a better-sqlite3 `.node` addon to load instead of the package's own build: the desktop app passes
   * one built for Electron's ABI (`main/launch/native.ts`), so the Node build stays for tests, CLI and server.
   */
  nativeBinding?: string;
}

/**
 * Open (creating if absent) and migrate a workspace database. An existing file is first checked read-only,
 * so a damaged one is reported without a single byte written to it: never silently recreated.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const binding = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
  if (file !== ':memory:' && existsSync(file)) checkReadable(file, binding);
  let db: Db;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, ...binding });
  } catch (err) {
    throw wrapOpenError(file, err);
  }
  try {
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // FULL: a commit we acknowledged survives power loss, not only a process crash.
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) migrate(db, file, options.migrations ?? MIGRATIONS);
    return db;
  } catch (err) {
    db.close();
    throw wrapOpenError(file, err);
  }
}

function checkReadable(file: string, binding: { nativeBinding?: string }): void {
  let probe: Db | undefined;
  try {
    probe = new Database(file, { readonly: true, fileMustExist: true, ...binding });
    // Reading the schema catches a foreign or truncated file at once; a full integrity_check would make
    // every start O(database size), so damage deeper in is caught when a page is read (same error path).
    probe.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    throw wrapOpenError(file, err);
  } finally {
    probe?.close();
  }
}

function wrapOpenError(file: string, err: unknown): AnvilError {
  if (err instanceof AnvilError) return err;
  if (isCorruption(err)) return storeCorrupt(file, (err as Error).message);
  return new AnvilError({
    code: 'store_open_failed',
    message: `Could not open ${file}: ${(err as Error).message}`,
    path: file,
  });
}
