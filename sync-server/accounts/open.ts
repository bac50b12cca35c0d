import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { existsSync, writeFileSync } from 'node:fs';
import { accountError } from './errors';
import type { Migration } from './schema';
import { ACCOUNT_MIGRATIONS } from './schema';

/**
 * Open (creating if absent) and migrate the accounts database. A file that is not a database, or one from a
 * newer Anvil, is refused with a clear error and left untouched: an accounts store is never silently recreated
 * (that would hand out a fresh admin token on the next start).
 */
export function openAccountsDb(file: string, migrations: readonly Migration[] = ACCOUNT_MIGRATIONS): Db {
  if (file !== ':memory:' && existsSync(file)) {
    let probe: Db | undefined;
    try {
      probe = new Database(file, { readonly: true, fileMustExist: true });
      probe.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (err) {
      throw openFailed(file, err);
    } finally {
      probe?.close();
    }
  }
  let db: Db;
  try {
    // Token hashes and roles are for the server's eyes: a new file is made readable by its owner only
    // (SQLite gives the -wal and -shm files the same mode).
    if (file !== ':memory:' && !existsSync(file)) writeFileSync(file, '', { mode: 0o600, flag: 'wx' });
    db = new Database(file);
  } catch (err) {
    throw openFailed(file, err);
  }
  try {
    db.pragma('journal_mode = WAL');
    // FULL: a role change or revocation we reported done survives power loss.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // The CLI may write while the server runs: wait for the other's transaction rather than fail.
    db.pragma('busy_timeout = 5000');
    migrate(db, file, migrations);
    return db;
  } catch (err) {
    db.close();
    throw openFailed(file, err);
  }
}

/** Each step in one transaction with its `user_version` bump: a crash mid-migration leaves the old schema. */
function migrate(db: Db, file: string, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest)
    throw accountError(
      'store_too_new',
      `The accounts database ${file} has schema version ${current}, newer than this Anvil understands (${latest}). Update Anvil; the file was left untouched.`,
      file,
    );
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}

function openFailed(file: string, err: unknown) {
  if (err instanceof Error && err.name === 'AnvilError') return err;
  const code = (err as { code?: string } | null)?.code ?? '';
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))
    return accountError(
      'store_corrupt',
      `The accounts database ${file} is damaged (${(err as Error).message}). It was left untouched; restore it from a backup.`,
      file,
    );
  return accountError('store_open_failed', `Could not open ${file}: ${(err as Error).message}`, file);
}
