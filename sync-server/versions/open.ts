import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { AnvilError } from '../../shared/domain';
import type { VersionsMigration } from './schema';
import { VERSIONS_MIGRATIONS } from './schema';

/**
 * Opens (creating if absent) and migrates the team versions database: WAL with synchronous=FULL, so a version
 * the server answered "accepted" survives power loss. A file that is not a database, or one from a newer Anvil,
 * is refused and left untouched (accepted versions are never silently recreated).
 */
export function openVersionsDb(file: string, migrations: readonly VersionsMigration[] = VERSIONS_MIGRATIONS): Db {
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
    db.pragma('busy_timeout = 5000');
    const current = db.pragma('user_version', { simple: true }) as number;
    const latest = migrations.at(-1)?.version ?? 0;
    if (current > latest)
      throw new AnvilError({
        code: 'store_too_new',
        message: `The versions database ${file} has schema version ${current}, newer than this Anvil understands (${latest}). Update Anvil; the file was left untouched.`,
        path: file,
      });
    for (const m of migrations) {
      if (m.version <= current) continue;
      const open = db;
      open
        .transaction(() => {
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
        message: `The versions database ${file} is damaged (${(err as Error).message}). It was left untouched; restore it from a backup.`,
        path: file,
      });
    throw new AnvilError({
      code: 'store_open_failed',
      message: `Could not open ${file}: ${(err as Error).message}`,
      path: file,
    });
  }
}
