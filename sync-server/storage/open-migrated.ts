import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { AnvilError } from '../../shared/domain';

/** One forward-only step of a server database's schema, applied in one transaction with its `user_version`. */
export interface Migration {
  version: number;
  up(db: Db): void;
}

export interface OpenMigratedOptions {
  /** How messages name the database: "the registry database …". */
  label: string;
  migrations: readonly Migration[];
  foreignKeys?: boolean;
}

/**
 * Opens (creating if absent) and migrates one of the server's SQLite databases: WAL with synchronous=FULL, so
 * what the server answered "stored" survives power loss, and a busy timeout so two server processes on one
 * folder queue behind each other's writes. A file that is not a database, or one from a newer Anvil, is refused
 * and left untouched: what the server accepted is never silently recreated.
 */
export function openMigratedDb(file: string, options: OpenMigratedOptions): Db {
  const { label, migrations } = options;
  let db: Db | undefined;
  try {
    if (file !== ':memory:' && existsSync(file)) {
      const probe = new Database(file, { readonly: true, fileMustExist: true });
      try {
        probe.prepare('SELECT count(*) FROM sqlite_master').get();
      } finally {
        probe.close();
      }
    }
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    if (options.foreignKeys) db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const current = db.pragma('user_version', { simple: true }) as number;
    const latest = migrations.at(-1)?.version ?? 0;
    if (current > latest)
      throw new AnvilError({
        code: 'store_too_new',
        message: `The ${label} database ${file} has schema version ${current}, newer than this Anvil understands (${latest}). Update Anvil; the file was left untouched.`,
        path: file,
      });
    for (const m of migrations) {
      if (m.version <= current) continue;
      const open = db;
      open
        .transaction(() => {
          // Another process may have migrated while this one waited for the write lock.
          if ((open.pragma('user_version', { simple: true }) as number) >= m.version) return;
          m.up(open);
          open.pragma(`user_version = ${m.version}`);
        })
        .immediate();
    }
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof AnvilError) throw err;
    const code = (err as { code?: string } | null)?.code ?? '';
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))
      throw new AnvilError({
        code: 'store_corrupt',
        message: `The ${label} database ${file} is damaged (${(err as Error).message}). It was left untouched; restore it from a backup.`,
        path: file,
      });
    throw new AnvilError({
      code: 'store_open_failed',
      message: `Could not open ${file}: ${(err as Error).message}`,
      path: file,
    });
  }
}
