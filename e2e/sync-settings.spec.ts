// Settings → Sync with one studio and a real sync server process: the mistakes people make (a URL that is not
// one, a server that does not answer, a wrong token) each get a message naming the problem; the right token is
// tested and saved (never shown back); the header's indicator follows (off, synced, offline with the reason)
// and "Retry now" / the palette's "Sync: retry now" try again at once.
import type { RunningSyncServer } from './support/sync';
import { openSyncSettings, startSyncServer, unusedUrl } from './support/sync';
import { expect, shot, test } from './support/studio';

let server: RunningSyncServer | undefined;
test.afterEach(async () => {
  await server?.stop();
  server = undefined;
});

test('sync settings: bad URL, unreachable server, wrong token, then a working setup', async ({ page }) => {
  test.setTimeout(90_000);
  const indicator = page.getByRole('button', { name: /^Sync status:/ });
  await expect(indicator).toHaveAccessibleName('Sync status: Sync off');

  await openSyncSettings(page);
  const form = page.getByRole('form', { name: 'Sync settings' });
  // The indicator leads to the section with the cursor in its first field (keyboard first).
  await expect(form.getByLabel('Server URL')).toBeFocused();
  const result = page.getByRole('alert', { name: 'Connection test' });
  const test_ = form.getByRole('button', { name: 'Test connection' });

  // Not a URL at all, then a URL of the wrong kind.
  await form.getByLabel('Server URL').fill('sync server please');
  await form.getByLabel('Token').fill('anything');
  await test_.click();
  await expect(result).toContainText('is not a URL');
  await expect(result).toContainText('sync_bad_url');
  await form.getByLabel('Server URL').fill('ftp://127.0.0.1:21');
  await test_.click();
  await expect(result).toContainText('starts with ws://, wss://, http:// or https://');

  // Nobody listening there.
  const nowhere = await unusedUrl();
  await form.getByLabel('Server URL').fill(nowhere);
  await test_.click();
  await expect(result).toContainText('cannot be reached');
  await expect(result).toContainText('sync_unreachable');

  // A real server, a wrong token.
  server = await startSyncServer();
  await form.getByLabel('Server URL').fill(server.url);
  await form.getByLabel('Token').fill('anvil_not-a-real-token');
  await test_.click();
  await expect(result).toContainText('sync_unauthorized');
  await shot(page, 'sync-settings-wrong-token');

  // The admin's token: the test names the account, its projects and the round trip.
  await form.getByLabel('Token').fill(server.adminToken);
  await test_.click();
  const ok = page.getByRole('status', { name: 'Connection test' });
  await expect(ok).toContainText('as admin (server admin)');
  await expect(ok).toContainText(/0 projects reachable · \d+ ms/);

  // Saved: the token field empties and says where the token is kept; the header says synced.
  await expect(form.getByRole('switch', { name: 'Sync with this server' })).not.toBeChecked();
  await form.getByRole('switch', { name: 'Sync with this server' }).check();
  await expect(form.getByRole('checkbox', { name: 'Sync demo projects too' })).not.toBeChecked();
  await form.getByRole('button', { name: 'Save sync settings' }).click();
  await expect(indicator).toHaveAccessibleName(/^Sync status: Synced/, { timeout: 20_000 });
  await expect(form.getByLabel('Token')).toHaveValue('');
  await expect(form.getByText(/A token is stored encrypted/)).toBeVisible();
  await expect(page.locator('body')).not.toContainText(server.adminToken);
  await shot(page, 'sync-settings-synced');

  // The server goes away: offline, with the reason, and the edits are kept; Retry now and the palette retry.
  await server.stop();
  server = undefined;
  await expect(indicator).toHaveAccessibleName(/^Sync status: (Offline|Connecting)/, { timeout: 40_000 });
  await expect(indicator).toHaveAccessibleName(/^Sync status: Offline: /, { timeout: 40_000 });
  await form.getByRole('button', { name: 'Retry now' }).click();
  await expect(indicator).toHaveAccessibleName(/^Sync status: (Offline|Connecting)/);
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox').fill('sync retry');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: /^Sync: (Offline|Connecting)/ })).toBeVisible();
  await shot(page, 'sync-settings-offline');
});
