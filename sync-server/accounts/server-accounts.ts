import { join } from 'node:path';
import { ACCOUNTS_FILE } from './schema';
import type { AccountStore, CreatedToken } from './store';
import { openAccountStore } from './store';

export interface ServerAccounts {
  accounts: AccountStore;
  /** The first-start admin token, or null on every later start. Print it once; never log it elsewhere. */
  firstAdmin: CreatedToken | null;
}

/**
 * What `anvil serve` does with accounts at start: open `accounts.db` in the data folder (which must exist)
 * and, on the very first start, create the `admin` server-admin account.
 */
export function openServerAccounts(dataDir: string): ServerAccounts {
  const accounts = openAccountStore(join(dataDir, ACCOUNTS_FILE));
  try {
    return { accounts, firstAdmin: accounts.bootstrap({ actor: 'server' }) };
  } catch (err) {
    accounts.close();
    throw err;
  }
}

/** The lines to print on a first start (stdout), the token on its own line so scripts can take it. */
export function firstAdminMessage(created: CreatedToken): string[] {
  return [
    `Created the server admin account "${created.name}". Its token (${created.tokenId}) is shown this once:`,
    created.token,
    'Keep it somewhere safe: only its hash is stored. Another one: anvil token create admin --data <dir>',
  ];
}
