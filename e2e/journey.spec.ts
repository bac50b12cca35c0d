// The whole path of the issue in one go, through the UI only: a project, a set and a prompt made from
// scratch; a template typed; the prompt found by a word of that template through search and through the
// palette; then the studio restarted on the same data folder, where the prompt and its template are still found.
import type { Page } from '@playwright/test';
import { expect, openStudio, shot, startStudio, test } from './support/studio';

/** A word that is in no demo template, so a search hit can only be the prompt typed here. */
const WORD = 'quinceharvest';

async function findBySearch(page: Page): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search all prompts' }).fill(WORD);
  await page.getByRole('searchbox', { name: 'Search all prompts' }).press('Enter');
  const hit = page.getByRole('list', { name: 'Search results' }).getByRole('link', { name: /picking-guide/ });
  await expect(hit).toContainText('@orchard/varieties');
  await expect(hit.locator('mark')).toHaveText(WORD);
  await hit.click();
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByText('picking-guide')).toBeVisible();
  await expect(page.getByLabel('Preview', { exact: true })).toContainText(`Pick the ${WORD}`);
}

test('a prompt made from scratch is found by search and the palette, before and after a restart', async ({
  page,
  studio,
  browser,
}) => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects', exact: true }).click();
  await page.getByRole('button', { name: 'New project' }).first().click();
  await page.getByLabel('Project name').fill('orchard');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('button', { name: 'New prompt set' }).click();
  await page.getByLabel('Prompt set name').fill('varieties');
  await page.getByRole('button', { name: 'Create prompt set' }).click();

  const list = page.getByRole('navigation', { name: 'Prompts' });
  await list.getByRole('button', { name: 'New prompt', exact: true }).click();
  await page.getByLabel('Prompt name').fill('picking-guide');
  await page.getByLabel('Prompt name').press('Enter');
  const editor = page.locator('.editor-pane .monaco-editor textarea').first();
  await expect(editor).toBeFocused();
  // One input event (no per-key auto-closing); what Monaco closed after the cursor anyway is cut.
  await page.keyboard.insertText(`Pick the ${WORD} when {{ fruit }} is ripe.`);
  await page.keyboard.press('Shift+Control+End');
  await page.keyboard.press('Delete');
  await expect(page.getByRole('region', { name: 'Parameters' }).getByText('fruit', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Preview', { exact: true })).toContainText(`Pick the ${WORD} when`);

  await findBySearch(page);

  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await page.keyboard.press('Control+k');
  await palette.getByRole('combobox').fill('pckgd');
  await expect(palette.getByRole('option').first()).toContainText('picking-guide');
  await expect(palette.getByRole('option').first()).toContainText('@orchard/varieties');
  await page.keyboard.press('Escape');

  // Restart: the edits were acknowledged once durable, so stopping now loses nothing.
  await page.close();
  await studio.stop();
  const again = await startStudio({ dataDir: studio.dataDir });
  const fresh = await browser.newPage();
  try {
    await openStudio(fresh, again.url);
    await findBySearch(fresh);
    await shot(fresh, 'journey-after-restart');
    await fresh.keyboard.press('Control+k');
    const paletteAgain = fresh.getByRole('dialog', { name: 'Command palette' });
    await paletteAgain.getByRole('combobox').fill('orchard varieties');
    await expect(paletteAgain.getByRole('option').first()).toContainText('varieties');
    await fresh.keyboard.press('Enter');
    await expect(fresh).toHaveURL(/#\/sets\//);
  } finally {
    await fresh.close();
    await again.stop();
  }
});
