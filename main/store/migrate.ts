import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations';
import { MIGRATIONS } from './migrations';
import { storeTooNew } from './errors';

/**
 * Bring the schema to the latest version. Each step runs in its own transaction together with the bump of
 * `user_version`, so a crash (even kill -9) mid-migration leaves the previous schema intact and the next
 * start simply runs the step again.
 */
export function migrate(db: Database, file: string, migrations: readonly Migration[] = MIGRATIONS): number[] {
  checkOrder(migrations);
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) throw storeTooNew(file, current, latest);
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    applied.push(m.version);
  }
  return applied;
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration "${m.name}" has version ${m.version}, expected ${i + 1}`);
  });
}
