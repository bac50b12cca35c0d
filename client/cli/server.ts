import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The sync server's entries, as files to run rather than modules to import: client/ is for any Node project
 * and never imports sync-server/. In this repository they sit at fixed places beside the CLI.
 */
export const SERVER_MAIN = fileURLToPath(new URL('../../sync-server/server/main.ts', import.meta.url));
export const ACCOUNTS_ADMIN = fileURLToPath(new URL('../../sync-server/accounts/admin-cli.ts', import.meta.url));

/** Run a TypeScript entry with tsx, stdio shared, Ctrl+C and SIGTERM passed on; resolves to its exit code. */
export function runEntry(entry: string, args: readonly string[], what: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const done = (code: number) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code);
    };
    child.on('error', (err) => {
      console.error(`anvil: could not run ${what} (${err.message}).`);
      done(1);
    });
    child.on('exit', (code, signal) => done(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1)));
  });
}

/** One accounts request (see sync-server/accounts/admin-cli.ts), passed as JSON so no parsing is repeated. */
export function runAccountsAdmin(request: Record<string, unknown>): Promise<number> {
  return runEntry(ACCOUNTS_ADMIN, [JSON.stringify(request)], 'the accounts admin');
}
