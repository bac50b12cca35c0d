// What the sync end-to-end tests share: a real sync server process (`sync-server/server/main.ts`, what
// `anvil serve` runs) on a temp data folder, accounts made with the real CLI, and the studio's sync settings
// filled in through the UI.
import type { Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { anvil } from '../../client/cli/testing';
import { startMain } from '../../sync-server/server/testing';
import { expect } from './studio';

const SERVER_MAIN = fileURLToPath(new URL('../../sync-server/server/main.ts', import.meta.url));

export interface RunningSyncServer {
  /** ws://127.0.0.1:<port> */
  url: string;
  dataDir: string;
  /** The admin account's token, printed once at the first start. */
  adminToken: string;
  /** SIGTERM, then waits for the process to exit; the data folder is removed unless `keep`. Safe to call twice. */
  stop(keep?: boolean): Promise<void>;
}

/** Starts the sync server process on a fresh data folder (removed by `stop` unless `keep`). */
export async function startSyncServer(): Promise<RunningSyncServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'anvil-e2e-sync-'));
  const main = await startMain(SERVER_MAIN, dataDir);
  if (!main.adminToken) throw new Error(`the sync server printed no admin token: ${main.stderr()}`);
  let stopping: Promise<void> | undefined;
  return {
    url: main.url,
    dataDir,
    adminToken: main.adminToken.trim(),
    stop(keep = false) {
      stopping ??= new Promise<void>((resolve) => {
        if (main.proc.exitCode !== null) return resolve();
        main.proc.once('exit', () => resolve());
        main.proc.kill('SIGTERM');
        setTimeout(() => main.proc.kill('SIGKILL'), 5_000).unref();
      }).then(() => {
        if (!keep) rmSync(dataDir, { recursive: true, force: true });
      });
      return stopping;
    },
  };
}

async function cli(args: string[]): Promise<string> {
  const r = await anvil(args);
  if (r.code !== 0) throw new Error(`anvil ${args.join(' ')} failed (${r.code}): ${r.err}`);
  return r.out;
}

/** `anvil user add <name>` and `anvil token create <name>`: the new account's token. */
export async function addAccount(server: RunningSyncServer, name: string): Promise<string> {
  await cli(['user', 'add', name, '--data', server.dataDir]);
  return (await cli(['token', 'create', name, '--data', server.dataDir])).trim();
}

/** `anvil user role <name> <projectId> <role>`. */
export async function grantRole(
  server: RunningSyncServer,
  name: string,
  projectId: string,
  role: 'admin' | 'context_engineer' | 'viewer',
): Promise<void> {
  await cli(['user', 'role', name, projectId, role, '--data', server.dataDir]);
}

/** A ws:// URL on 127.0.0.1 where nothing listens (a port just freed). */
export async function unusedUrl(): Promise<string> {
  const port = await new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const p = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(p));
    });
  });
  return `ws://127.0.0.1:${port}`;
}

/** Settings → Identity: the name colleagues see on this studio's cursor. */
export async function setIdentity(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Save identity' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Identity saved' })).toBeVisible();
}

/** The sync section of the settings (opened from the header's sync indicator, as a person would). */
export async function openSyncSettings(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Sync status:/ }).click();
  await expect(page.getByRole('form', { name: 'Sync settings' })).toBeVisible();
}

/**
 * Settings → Sync: URL and token typed, "Test connection" run and checked (account named), sync switched on and
 * saved; resolves once the header says "Synced".
 */
export async function configureSync(page: Page, url: string, token: string, account: string): Promise<void> {
  await openSyncSettings(page);
  const form = page.getByRole('form', { name: 'Sync settings' });
  await form.getByLabel('Server URL').fill(url);
  await form.getByLabel('Token').fill(token);
  await form.getByRole('button', { name: 'Test connection' }).click();
  const result = page.getByRole('status', { name: 'Connection test' });
  await expect(result).toContainText(`as ${account}`);
  await expect(result).toContainText(/\d+ ms/);
  const enabled = form.getByRole('switch', { name: 'Sync with this server' });
  if (!(await enabled.isChecked())) await enabled.check();
  await form.getByRole('button', { name: 'Save sync settings' }).click();
  await expect(page.getByRole('button', { name: /^Sync status: Synced/ })).toBeVisible({ timeout: 20_000 });
}
