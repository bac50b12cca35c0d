// Entry point: node --import tsx sync-server/server/main.ts --port P --data DIR [--host H]
// Prints `anvil sync server listening on ws://…` once it accepts connections; SIGINT/SIGTERM close it cleanly
// (connections closed, pending updates stored, database closed) and exit 0.
//
// Accounts arrive with `anvil serve` (sync-server/accounts/); until that wiring exists this entry accepts one
// read-write token given in ANVIL_SYNC_TOKEN (compared in constant time, never printed), and refuses all others.
import { timingSafeEqual } from 'node:crypto';
import { AnvilError } from '../../shared/domain';
import { parseServeArgs } from './args';
import type { Authenticate } from './create';
import { createSyncServer } from './create';

function envTokenAuthenticate(expected: string | undefined): Authenticate {
  const want = Buffer.from(expected ?? '');
  return (token) => {
    const got = Buffer.from(token);
    if (want.length === 0 || got.length !== want.length || !timingSafeEqual(got, want)) return null;
    return { accountId: 'env-token', readOnly: false };
  };
}

async function main(): Promise<void> {
  const args = parseServeArgs(process.argv.slice(2));
  if (!process.env.ANVIL_SYNC_TOKEN) {
    console.error('warning: ANVIL_SYNC_TOKEN is not set, so every connection will be refused.');
  }
  const server = await createSyncServer({
    port: args.port,
    host: args.host,
    dataDir: args.dataDir,
    authenticate: envTokenAuthenticate(process.env.ANVIL_SYNC_TOKEN),
    log: (line) => console.error(line),
  });
  console.log(`anvil sync server listening on ${server.url} (data: ${args.dataDir})`);

  const stop = (signal: string) => {
    console.error(`${signal}: closing`);
    server.close().then(
      () => process.exit(0),
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

main().catch((err: unknown) => {
  const message = err instanceof AnvilError ? `${err.code}: ${err.message}` : String(err);
  console.error(message);
  process.exit(2);
});
