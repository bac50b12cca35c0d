// Entry point: node --import tsx sync-server/server/main.ts --port P --data DIR [--host H]
// Prints `anvil sync server listening on ws://…` once it accepts connections; SIGINT/SIGTERM close it cleanly
// (connections closed, pending updates stored, database closed) and exit 0.
//
// Accounts live in <data>/accounts.db (sync-server/accounts/): on the very first start the `admin` account is
// created and its token printed once on stdout. Tokens are checked by the accounts' authenticator, for the
// documents and for the HTTP API (whoami, projects, team versions in <data>/versions.db, and the team registry:
// <data>/registry.db with bundles in <data>/bundles/), and usage analytics in <data>/usage.db (raw events kept
// ANVIL_USAGE_RETENTION_DAYS days, 30 by default; hourly rollups for good).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AnvilError } from '../../shared/domain';
import { createEditAuditor, createTokenAuthenticator, firstAdminMessage, openServerAccounts } from '../accounts';
import { parseServeArgs } from './args';
import { createSyncServer } from './create';
import { createAccountsApiBackend } from '../api';
import { openSqliteStorage } from '../storage/sqlite';
import { VERSIONS_FILE, openTeamVersionStore } from '../versions';
import { createRegistry } from '../registry/service';
import { createUsage, createUsageAccess } from '../usage';
import { projectOfDocument } from './document-names';

async function main(): Promise<void> {
  const args = parseServeArgs(process.argv.slice(2));
  mkdirSync(args.dataDir, { recursive: true });
  const { accounts, firstAdmin } = openServerAccounts(args.dataDir);
  if (firstAdmin) for (const line of firstAdminMessage(firstAdmin)) console.log(line);
  // Edits are audited coalesced per document, account and minute.
  const edits = createEditAuditor(accounts.audit);
  const storage = openSqliteStorage(args.dataDir);
  const versions = openTeamVersionStore(join(args.dataDir, VERSIONS_FILE));
  const registry = createRegistry({ dataDir: args.dataDir, accounts, versions });
  const usage = createUsage({
    dataDir: args.dataDir,
    access: createUsageAccess(registry, accounts),
    retentionMs: retentionDays() * 24 * 3_600_000,
    log: (line) => console.error(line),
  });
  const server = await createSyncServer({
    port: args.port,
    host: args.host,
    storage,
    api: createAccountsApiBackend({ accounts, versions, documentExists: (name) => storage.has(name) }),
    registry,
    usage,
    authenticate: createTokenAuthenticator(accounts, { projectOf: projectOfDocument }),
    onEdit: (edit) => edits.record(edit.name, edit.documentName, edit.bytes),
    log: (line) => console.error(line),
  });
  console.log(`anvil sync server listening on ${server.url} (data: ${args.dataDir})`);

  const stop = (signal: string) => {
    console.error(`${signal}: closing`);
    server.close().then(
      () => {
        edits.close();
        usage.close();
        registry.close();
        versions.close();
        accounts.close();
        void storage.close();
        process.exit(0);
      },
      (err: unknown) => {
        console.error(`closing failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  // One bad promise somewhere in a connection's handling must not take every other connection down.
  process.on('unhandledRejection', (reason) => console.error('unhandled rejection:', reason));
}

function retentionDays(): number {
  const raw = process.env.ANVIL_USAGE_RETENTION_DAYS;
  if (raw === undefined || raw === '') return 30;
  const days = Number(raw);
  if (!Number.isFinite(days) || days <= 0)
    throw new AnvilError({
      code: 'invalid_options',
      message: `ANVIL_USAGE_RETENTION_DAYS must be a number of days > 0 (got "${raw.slice(0, 40)}").`,
    });
  return days;
}

main().catch((err: unknown) => {
  const message = err instanceof AnvilError ? `${err.code}: ${err.message}` : String(err);
  console.error(message);
  process.exit(2);
});
