import { writeAudit } from '../audit';
import { hashOf } from '../hash';
import type { Args } from '../../../shared/contract/operations';
import { parseArgs } from '../../../shared/contract/operations';
import type { WorkspaceContext } from './context';
import { invalidArgument } from './errors';

/**
 * Workspace settings: JSON values by key, in the `settings` table of migration 001 (not a document: they are
 * this studio's preferences, never synced or versioned). A change and its audit row share one transaction.
 */
export function settingsOps(ctx: WorkspaceContext) {
  const read = (key: string): unknown => {
    const raw = ctx.db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck().get(key);
    return raw === undefined ? null : (JSON.parse(raw) as unknown);
  };

  return {
    /** The value, or null when the key was never set. */
    async get(args: Args<'settings:get'>): Promise<unknown> {
      return read(parseArgs('settings:get', args).key);
    },

    /** Set a JSON value (null removes the key). */
    async set(args: Args<'settings:set'>): Promise<void> {
      const a = parseArgs('settings:set', args);
      const value = a.value === undefined ? null : a.value;
      let json: string;
      try {
        json = JSON.stringify(value);
      } catch (err) {
        throw invalidArgument(`The value of ${a.key} is not JSON: ${(err as Error).message}`);
      }
      ctx.db
        .transaction(() => {
          const before = read(a.key);
          if (JSON.stringify(before) === json) return;
          if (value === null) ctx.db.prepare('DELETE FROM settings WHERE key = ?').run(a.key);
          else
            ctx.db
              .prepare(
                'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
              )
              .run(a.key, json);
          writeAudit(ctx.db, ctx.audit.actor, ctx.audit.now(), {
            action: 'settings.set',
            entityKind: 'setting',
            entityId: a.key,
            beforeHash: before === null ? null : hashOf(before),
            afterHash: value === null ? null : hashOf(value),
          });
        })
        .immediate();
    },
  };
}

export type SettingsOps = ReturnType<typeof settingsOps>;
