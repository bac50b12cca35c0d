// Versions saved offline meet on the server: Ada (this page's studio) saves 1.0.0 with sync off; Grace (a second
// studio, its main-process services only, against the same real sync server process) saves 1.0.0 of the same
// set first. When Ada turns sync back on she is told the number is taken, her version is kept and marked so in
// the history, and "Choose another number…" saves its content as 2.0.0, which the server accepts and Grace
// receives. Nothing is lost on either side.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Studio } from '../main/sync/testing';
import { openStudio as openEngineStudio } from '../main/sync/testing';
import { createProjectAndSet, createPrompt, templateInput, typeInEditor } from './support/editing';
import type { RunningSyncServer } from './support/sync';
import { configureSync, openSyncSettings, startSyncServer } from './support/sync';
import { expect, shot, test } from './support/studio';

let server: RunningSyncServer | undefined;
let grace: Studio | undefined;
let graceDir: string | undefined;
test.afterEach(async () => {
  await grace?.close();
  if (graceDir) rmSync(graceDir, { recursive: true, force: true });
  await server?.stop();
  grace = undefined;
  graceDir = undefined;
  server = undefined;
});

test('the same number saved offline by two people: the later one is told and saves it under another', async ({
  page,
}) => {
  test.setTimeout(120_000);
  server = await startSyncServer();
  await createProjectAndSet(page, 'clash', 'release');
  await createPrompt(page, 'greeting');
  await page.waitForFunction(() => performance.getEntriesByName('anvil:editor-ready').length > 0);
  await typeInEditor(page, 'Hello from Ada');
  await expect(page.getByLabel('Preview', { exact: true })).toHaveText('Hello from Ada');
  const setUrl = page.url();
  const setId = (await page.locator('.set-editor').getAttribute('data-set-id')) ?? '';
  expect(setId).not.toBe('');
  await configureSync(page, server.url, server.adminToken, 'admin');

  // Grace's studio gets the set from the server.
  graceDir = mkdtempSync(join(tmpdir(), 'anvil-e2e-grace-'));
  grace = await openEngineStudio(graceDir, { versions: true });
  const g = grace;
  await g.engine.configure({ url: server.url, token: server.adminToken });
  await expect.poll(() => g.ws.internals.docs.get(setId) !== undefined, { timeout: 20_000 }).toBe(true);

  // Ada goes offline (sync off) and saves 1.0.0.
  await openSyncSettings(page);
  const form = page.getByRole('form', { name: 'Sync settings' });
  await form.getByRole('switch', { name: 'Sync with this server' }).uncheck();
  await form.getByRole('button', { name: 'Save sync settings' }).click();
  await expect(page.getByRole('button', { name: /^Sync status: Sync off/ })).toBeVisible();
  await page.goto(setUrl);
  await expect(templateInput(page)).toBeVisible();
  await templateInput(page).focus();
  await page.keyboard.press('Control+s');
  const save = page.getByRole('dialog', { name: 'Save version' });
  await expect(save.getByLabel('Version')).toHaveValue('1.0.0');
  await save.getByLabel('Changelog').fill("Ada's first greeting");
  await save.getByRole('button', { name: 'Save version', exact: true }).click();
  await expect(save).toBeHidden();

  // Grace saves 1.0.0 too, and reaches the server first.
  await g.ws.versions.save({ setId, version: '1.0.0', changelog: "Grace's first greeting" });
  const graceState = async (version: string) =>
    (await g.ws.versions.list({ setId })).find((v) => v.version === version)?.sync?.state ?? 'none';
  await expect.poll(() => graceState('1.0.0'), { timeout: 20_000 }).toBe('accepted');

  // Ada back online: told at once, with the way to the history.
  await openSyncSettings(page);
  await form.getByRole('switch', { name: 'Sync with this server' }).check();
  await form.getByRole('button', { name: 'Save sync settings' }).click();
  const notice = page.getByText(/A colleague saved release 1\.0\.0 first/);
  await expect(notice).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Open the history' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
  const timeline = page.getByRole('list', { name: 'Versions' });
  const ours = timeline.getByRole('listitem', { name: 'Version 1.0.0', exact: true });
  await expect(ours).toContainText('Number taken');
  await expect(ours).toContainText("Ada's first greeting");
  // While the clash is open, the number shows Ada's version (Grace's comes once Ada's has another number).
  const theirs = timeline.getByRole('listitem', { name: /^Version 1\.0\.0 by / });
  await expect(theirs).toHaveCount(0);
  await shot(page, 'sync-version-clash');

  await ours.getByRole('button', { name: 'Save 1.0.0 under another number…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save 1.0.0 under another number' });
  // Taken numbers are refused in place; the suggestion is the next free one of the same kind.
  await dialog.getByLabel('New version number').fill('1.0.0');
  await dialog.getByRole('button', { name: 'Save under this number' }).click();
  await expect(dialog.getByRole('alert')).toContainText('1.0.0');
  await dialog.getByLabel('New version number').fill('2.0.0');
  await shot(page, 'sync-version-renumber-dialog');
  await dialog.getByRole('button', { name: 'Save under this number' }).click();
  await expect(dialog).toBeHidden();

  const renumbered = timeline.getByRole('listitem', { name: 'Version 2.0.0', exact: true });
  await expect(renumbered).toContainText("Ada's first greeting");
  await expect(renumbered).toContainText(/Not shared yet|Shared/);
  await expect(renumbered.getByText('Shared', { exact: true })).toBeVisible({ timeout: 30_000 });
  // Now the team's 1.0.0 (Grace's) is listed, and Ada's old row, kept in the store, no longer stands for 1.0.0.
  await expect(theirs).toContainText('From the team');
  await expect(theirs).toContainText("Grace's first greeting");
  await expect(ours).toHaveCount(0);
  await shot(page, 'sync-version-renumbered');

  // Grace receives Ada's 2.0.0 as the team's; her own 1.0.0 is untouched.
  await expect.poll(() => graceState('2.0.0'), { timeout: 30_000 }).toBe('team');
  expect(await graceState('1.0.0')).toBe('accepted');
});
