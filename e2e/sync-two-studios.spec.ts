// Two studios, as on two laptops: separate workspaces (each its own data folder and studio host) in separate
// browser contexts, one real sync server process between them, each signed in with its own account. Ada makes a
// project, a set and a prompt and turns sync on; Grace is given a role on the project (the server's CLI, as an
// admin would) and turns sync on in her studio: the project, the set and the prompt arrive there and she opens the
// prompt through the UI. Then both type in it: each sees the other's text, the other's name in "Also in this
// prompt" and the other's cursor labelled with that name. Last, Grace's studio goes offline (sync switched off),
// both type, it comes back, and the two studios end with the same text holding every edit.
import type { BrowserContext, Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import { createProjectAndSet, createPrompt, templateInput } from './support/editing';
import type { RunningStudio } from './support/studio';
import { expect, openStudio, shot, startStudio, test } from './support/studio';
import type { RunningSyncServer } from './support/sync';
import { addAccount, configureSync, grantRole, openSyncSettings, setIdentity, startSyncServer } from './support/sync';

// What crosses the server (a registration, a role, a set arriving, a keystroke relayed) waits on two studios, the
// server and the browser sharing two cores: the waits are generous, never fixed sleeps.
const SYNC = { timeout: 30_000 };

/** The template's text as the model has it (Monaco renders lines lazily; the preview shows the model's text). */
const previewOf = (page: Page) => page.getByLabel('Preview', { exact: true });
/** A colleague's caret in the editor (y-monaco's class, one per remote client; the name is its ::after). */
const remoteCursorsOf = (page: Page) => page.locator('.editor-pane [class*="yRemoteSelectionHead-"]');
/** The name label on the (only) remote caret: y-monaco's head with our `::after { content: "<name>" }` rule. */
const cursorLabelOf = (page: Page) => remoteCursorsOf(page).evaluate((el) => getComputedStyle(el, '::after').content);
const alsoHere = (page: Page) => page.getByRole('list', { name: 'Also in this prompt' }).getByRole('listitem');

/** The prompt's "Also in this prompt" list holds exactly `name` (each item is an avatar's initials, then the name). */
async function expectOnlyHere(page: Page, name: string): Promise<void> {
  await expect(alsoHere(page)).toHaveCount(1, SYNC);
  await expect(alsoHere(page).getByText(name, { exact: true })).toBeVisible(SYNC);
}

let server: RunningSyncServer | undefined;
let second: RunningStudio | undefined;
let secondContext: BrowserContext | undefined;

// Playwright reads the fixtures a hook needs from its first argument's pattern: this one needs none.
// eslint-disable-next-line no-empty-pattern
test.afterEach(async ({}, testInfo) => {
  await secondContext?.close();
  secondContext = undefined;
  if (second) {
    await second.stop();
    // Kept with the failure, like the fixture keeps the first studio's folder.
    if (testInfo.status === testInfo.expectedStatus) rmSync(second.dataDir, { recursive: true, force: true });
    else await testInfo.attach('second data folder (kept)', { body: second.dataDir, contentType: 'text/plain' });
  }
  second = undefined;
  await server?.stop();
  server = undefined;
});

test('two studios, one server: the prompt arrives, each sees the other’s text, name and cursor; offline edits merge', async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  server = await startSyncServer();
  const adaToken = await addAccount(server, 'ada');
  const graceToken = await addAccount(server, 'grace');

  // Studio A (Ada): the prompt, then sync on; her account registers the project at its first push.
  await setIdentity(page, 'Ada');
  await createProjectAndSet(page, 'launch', 'onboarding');
  await createPrompt(page, 'welcome');
  const promptAddress = page.url();
  // The project's id is in the breadcrumb's link to it (ids, not names, are what the server's roles name).
  const projectHref = await page
    .getByRole('navigation', { name: 'Breadcrumb' })
    .getByRole('link', { name: 'launch', exact: true })
    .getAttribute('href');
  const projectId = /\/projects\/([^/?#]+)$/.exec(projectHref ?? '')?.[1];
  if (!projectId) throw new Error(`no project id in the breadcrumb link "${projectHref ?? ''}"`);
  await configureSync(page, server.url, adaToken, 'ada');
  // "Synced" means registered and pushed: the project now exists on the server, so it can be shared.
  await grantRole(server, 'grace', projectId, 'context_engineer');

  // Studio B (Grace): another workspace (the demo seeded, nothing of Ada's) in another browser context.
  second = await startStudio();
  secondContext = await browser.newContext();
  const other = await secondContext.newPage();
  const otherErrors: string[] = [];
  other.on('pageerror', (err) => otherErrors.push(err.stack ?? err.message));
  await openStudio(other, second.url);
  await setIdentity(other, 'Grace');
  await other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects' }).click();
  // Before sync: the list has loaded (the demo's projects) and Ada's project is not in it.
  await expect(other.getByRole('list', { name: 'Projects' }).getByRole('listitem').first()).toBeVisible();
  await expect(other.getByRole('link', { name: 'launch', exact: true })).toHaveCount(0);
  await configureSync(other, server.url, graceToken, 'grace');
  await expect(other.getByRole('status', { name: 'Connection test' })).toContainText('1 project');

  // Ada's project, set and prompt arrive in Grace's studio; she finds them as anyone would.
  await other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects' }).click();
  await other.getByRole('link', { name: 'launch', exact: true }).click(SYNC);
  await other.getByRole('link', { name: 'onboarding', exact: true }).click(SYNC);
  const prompt = other.getByRole('navigation', { name: 'Prompts' }).getByRole('button', { name: /prompt welcome$/ });
  await prompt.click(SYNC);
  await expect(
    other.getByRole('navigation', { name: 'Breadcrumb' }).getByText('welcome', { exact: true }),
  ).toBeVisible();
  await expect(templateInput(other)).toBeVisible();

  // Ada back in the prompt: each studio lists the other person there, by the name she chose.
  await page.goto(promptAddress);
  await expect(templateInput(page)).toBeVisible();
  await expectOnlyHere(page, 'Grace');
  await expectOnlyHere(other, 'Ada');

  // Ada types: Grace sees the text, and Ada's caret labelled "Ada".
  await templateInput(page).focus();
  await page.keyboard.insertText('Ada was here. ');
  await expect(previewOf(other)).toHaveText('Ada was here.', SYNC);
  await expect(remoteCursorsOf(other)).toHaveCount(1, SYNC);
  await expect.poll(() => cursorLabelOf(other), SYNC).toBe('"Ada"');

  // Grace types after it: Ada sees both texts, and Grace's caret labelled "Grace".
  await templateInput(other).focus();
  await other.keyboard.press('Control+End');
  await other.keyboard.insertText('Grace too.');
  await expect(previewOf(page)).toHaveText('Ada was here. Grace too.', SYNC);
  await expect(remoteCursorsOf(page)).toHaveCount(1, SYNC);
  await expect.poll(() => cursorLabelOf(page), SYNC).toBe('"Grace"');
  // Ada's caret is still drawn for Grace once she has typed too (both are in the prompt at once).
  await expect(remoteCursorsOf(other)).toHaveCount(1);
  expect(await cursorLabelOf(other)).toBe('"Ada"');
  await expect(previewOf(other)).toHaveText('Ada was here. Grace too.');
  await shot(page, 'sync-two-studios-a');
  await shot(other, 'sync-two-studios-b');

  // Grace goes offline (sync switched off in her settings): Ada's studio no longer sees her in the prompt.
  await openSyncSettings(other);
  const form = other.getByRole('form', { name: 'Sync settings' });
  await form.getByRole('switch', { name: 'Sync with this server' }).uncheck();
  await form.getByRole('button', { name: 'Save sync settings' }).click();
  await expect(other.getByRole('button', { name: /^Sync status:/ })).toHaveAccessibleName('Sync status: Sync off');
  await expect(alsoHere(page)).toHaveCount(0, SYNC);

  // Both type while apart: Ada at the end, Grace (back in the prompt, local only) at the start.
  await templateInput(page).focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText(' Ada, offline.');
  await other.goBack();
  await expect(templateInput(other)).toBeVisible();
  await expect(previewOf(other)).toHaveText('Ada was here. Grace too.');
  await templateInput(other).focus();
  await other.keyboard.press('Control+Home');
  await other.keyboard.insertText('Grace, offline. ');
  await expect(previewOf(other)).toHaveText('Grace, offline. Ada was here. Grace too.');
  await expect(previewOf(page)).toHaveText('Ada was here. Grace too. Ada, offline.');

  // Back online: each studio gets the other's edit, and both hold the same text.
  await openSyncSettings(other);
  await form.getByRole('switch', { name: 'Sync with this server' }).check();
  await form.getByRole('button', { name: 'Save sync settings' }).click();
  await expect(other.getByRole('button', { name: /^Sync status: Synced/ })).toBeVisible(SYNC);
  await other.goBack();
  const merged = 'Grace, offline. Ada was here. Grace too. Ada, offline.';
  await expect(previewOf(other)).toHaveText(merged, SYNC);
  await expect(previewOf(page)).toHaveText(merged, SYNC);
  // toHaveText folds whitespace: the texts themselves are identical too, character for character.
  expect(await previewOf(page).textContent()).toBe(await previewOf(other).textContent());
  await expectOnlyHere(page, 'Grace');
  await expect(page.getByRole('button', { name: /^Sync status: Synced/ })).toBeVisible(SYNC);

  // An exception nobody caught in Grace's page is a bug too (the fixture checks Ada's).
  expect(otherErrors, "uncaught errors in the second studio's page").toEqual([]);
});
