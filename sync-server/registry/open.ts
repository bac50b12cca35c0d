import type { Database as Db } from 'better-sqlite3';
import { openMigratedDb } from '../storage/open-migrated';
import type { RegistryMigration } from './schema';
import { REGISTRY_MIGRATIONS } from './schema';

/** The registry database (`openMigratedDb`, with foreign keys): a version answered "published" survives power loss. */
export function openRegistryDb(file: string, migrations: readonly RegistryMigration[] = REGISTRY_MIGRATIONS): Db {
  return openMigratedDb(file, { label: 'registry', migrations, foreignKeys: true });
}
