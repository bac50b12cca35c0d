// Presence and undo in one studio, two tabs (the main process relays awareness between its windows, exactly as
// it will between studios once synced): each tab sees the other in the prompt's "also here" list and its cursor
// with a name label; text typed in one shows in the other; Ctrl+Z in one tab takes back only its own text.
import type { Page } from '@playwright/test';
import { createProjectAndSet, createPrompt, templateInput } from './support/editing';
import { expect, openStudio, shot, test } from './support/studio';

/** The template's text as the model has it (Monaco renders lines lazily; the preview shows the model's text). */
const previewOf = (page: Page) => page.getByLabel('Preview', { exact: true });

test('two tabs on one prompt: names, cursors, each other’s text, and undo of one’s own edits only', async ({
  page,
  studio,
  context,
}) => {
  await createProjectAndSet(page, 'presence', 'shared');
  await createPrompt(page, 'welcome');
  const address = page.url();

  const other = await context.newPage();
  await openStudio(other, studio.url);
  await other.goto(address);
  await expect(templateInput(other)).toBeVisible();

  // Each tab sees the other in the prompt (both are this studio's actor: no identity set).
  for (const p of [page, other])
    await expect(p.getByRole('list', { name: 'Also in this prompt' }).getByRole('listitem')).toHaveCount(1);

  await templateInput(page).focus();
  await page.keyboard.insertText('Alpha says hi. ');
  await expect(previewOf(other)).toHaveText('Alpha says hi.');
  // The first tab's cursor, in its colour with its name, in the second tab's editor.
  const head = other.locator('.editor-pane [class*="yRemoteSelectionHead-"]');
  await expect(head).toHaveCount(1);
  const label = await head.evaluate((el) => getComputedStyle(el, '::after').content);
  expect(label).toBe('"e2e"');

  await templateInput(other).focus();
  await other.keyboard.press('Control+End');
  await other.keyboard.insertText('Beta too.');
  await expect(previewOf(page)).toHaveText('Alpha says hi. Beta too.');
  await expect(page.locator('.editor-pane [class*="yRemoteSelectionHead-"]')).toHaveCount(1);
  await shot(other, 'sync-presence-two-tabs');

  // Undo in the first tab: its own text goes, the second tab's stays (in both).
  await templateInput(page).focus();
  await page.keyboard.press('Control+z');
  await expect(previewOf(page)).toHaveText('Beta too.');
  await expect(previewOf(other)).toHaveText('Beta too.');
  // Redo brings it back; the second tab's own undo then takes only its text.
  await page.keyboard.press('Control+Shift+z');
  await expect(previewOf(other)).toHaveText('Alpha says hi. Beta too.');
  await templateInput(other).focus();
  await other.keyboard.press('Control+z');
  await expect(previewOf(page)).toHaveText('Alpha says hi.');

  // Leaving the prompt: the other tab no longer lists anyone there, and the cursor goes.
  await other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('list', { name: 'Also in this prompt' })).toHaveCount(0);
  await expect(page.locator('.editor-pane [class*="yRemoteSelectionHead-"]')).toHaveCount(0);
  await other.close();
});
