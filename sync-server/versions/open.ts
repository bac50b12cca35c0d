import type { Database as Db } from 'better-sqlite3';
import { openMigratedDb } from '../storage/open-migrated';
import type { VersionsMigration } from './schema';
import { VERSIONS_MIGRATIONS } from './schema';

/** The team versions database (`openMigratedDb`): a version the server answered "accepted" survives power loss. */
export function openVersionsDb(file: string, migrations: readonly VersionsMigration[] = VERSIONS_MIGRATIONS): Db {
  return openMigratedDb(file, { label: 'versions', migrations });
}
