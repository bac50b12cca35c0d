// The studio's shell in the browser: the dashboard's demo content, global search from the header, the command
// palette, the theme setting, help, account, and the screenshot of each main screen for reviewers.
import type { Page } from '@playwright/test';
import { expect, shot, test } from './support/studio';

const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const heading = (page: Page) => page.getByRole('main').getByRole('heading', { level: 1 });

async function goTo(page: Page, screen: string): Promise<void> {
  await mainNav(page).getByRole('link', { name: screen, exact: true }).click();
  await expect(heading(page)).toHaveText(screen);
}

test('the dashboard shows the demo: counts and recent prompts that open in the editor', async ({ page }) => {
  await expect(heading(page)).toHaveText('Dashboard');
  const counts = page.getByRole('region', { name: 'Counts' });
  // The demo: 2 projects, 6 prompt sets, 18 versions, nothing in the trash.
  await expect(counts.getByRole('link', { name: '2 Projects', exact: true })).toBeVisible();
  await expect(counts.getByRole('link', { name: '6 Prompt sets', exact: true })).toBeVisible();
  await expect(counts.getByRole('link', { name: '18 Versions', exact: true })).toBeVisible();
  await expect(counts.getByRole('link', { name: '0 In the trash', exact: true })).toBeVisible();
  const recent = page.getByRole('list', { name: 'Recent prompts' });
  await expect(recent.getByRole('link').first()).toBeVisible();
  expect(await recent.getByRole('link').count()).toBeGreaterThan(3);
  await expect(recent.getByRole('link', { name: /escalation/ })).toBeVisible();
  await shot(page, 'dashboard');

  await recent.getByRole('link', { name: /escalation/ }).click();
  await expect(page).toHaveURL(/#\/sets\/[^/]+\/[^/]+$/);
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByText('escalation')).toBeVisible();
});

test('search from the header finds a prompt by a word of its template, marked in the snippet', async ({ page }) => {
  await page.getByRole('searchbox', { name: 'Search all prompts' }).fill('contractions');
  await page.getByRole('searchbox', { name: 'Search all prompts' }).press('Enter');
  await expect(heading(page)).toHaveText('Search');
  await expect(page).toHaveURL(/#\/search\?q=contractions$/);
  await expect(page.getByRole('searchbox', { name: 'Search prompts' })).toHaveValue('contractions');
  const results = page.getByRole('list', { name: 'Search results' });
  const hit = results.getByRole('link', { name: /tone/ });
  await expect(hit).toBeVisible();
  await expect(hit).toContainText('@acme/common');
  await expect(hit.locator('mark')).toHaveText(/^contractions$/i);
  await expect(page.getByRole('status').filter({ hasText: /^1 result$/ })).toBeVisible();
  await shot(page, 'search');

  // Typing on the search screen searches as you type; a word nowhere says so.
  await page.getByRole('searchbox', { name: 'Search prompts' }).fill('zyzzyvaqq');
  await expect(page.getByText('No prompt matches “zyzzyvaqq”.')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search prompts' }).fill('contractions');
  await hit.click();
  await expect(page).toHaveURL(/#\/sets\/[^/]+\/[^/]+$/);
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByText('tone')).toBeVisible();
});

test('the command palette (Ctrl+K) finds projects, sets, prompts and commands by fuzzy match', async ({ page }) => {
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  const input = palette.getByRole('combobox', { name: 'Find a project, set, prompt or command' });
  const first = palette.getByRole('option').first();

  /** Opens the palette with the keyboard, types `query`, checks what ranks first, and runs it with Enter. */
  async function find(query: string, title: string, kind: string): Promise<void> {
    await page.keyboard.press('Control+k');
    await expect(palette).toBeVisible();
    await expect(input).toBeFocused();
    await input.fill(query);
    await expect(first).toContainText(title);
    await expect(first).toContainText(kind);
    await expect(first).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Enter');
    await expect(palette).toBeHidden();
  }

  await page.keyboard.press('Control+k');
  await expect(palette).toBeVisible();
  await expect(palette.getByRole('option', { name: /Go to projects/ })).toBeVisible();
  await shot(page, 'palette');
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();

  await find('acm', 'acme', 'Project');
  await expect(heading(page)).toHaveText('acme');

  await find('smrse', 'summarise', 'Prompt set');
  // The set opens in the editor (which then shows its first prompt).
  await expect(page).toHaveURL(/#\/sets\/[^/]+(\/[^/]+)?$/);
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByText('summarise')).toBeVisible();

  await find('esclt', 'escalation', 'Prompt');
  await expect(page).toHaveURL(/#\/sets\/[^/]+\/[^/]+$/);
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByText('escalation')).toBeVisible();

  await find('opn trsh', 'Open trash', 'Command');
  await expect(heading(page)).toHaveText('Trash');

  // ↓ moves the selection; a query that matches nothing says so.
  await page.keyboard.press('Control+k');
  await input.fill('zzqqxx');
  await expect(palette.getByText('Nothing matches “zzqqxx”.')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();
});

test('theme: light, dark and system are applied at once and remembered after a reload', async ({ page }) => {
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const theme = () => page.evaluate(() => document.documentElement.dataset.theme);

  await goTo(page, 'Settings');
  const group = page.getByRole('group', { name: 'Theme' });
  await group.getByRole('radio', { name: 'Light' }).check();
  await expect.poll(theme).toBe('light');
  const light = await background();
  await shot(page, 'settings-light');

  await group.getByRole('radio', { name: 'Dark' }).check();
  await expect.poll(theme).toBe('dark');
  const dark = await background();
  expect(dark).not.toBe(light);
  await expect(page.getByText('Now showing the dark theme.')).toBeVisible();
  await shot(page, 'settings-dark');

  await page.reload();
  await expect(heading(page)).toHaveText('Settings');
  await expect(group.getByRole('radio', { name: 'Dark' })).toBeChecked();
  await expect.poll(theme).toBe('dark');
  expect(await background()).toBe(dark);

  // System follows the operating system's preference, live.
  await page.emulateMedia({ colorScheme: 'light' });
  await group.getByRole('radio', { name: /System/ }).check();
  await expect.poll(theme).toBe('light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(theme).toBe('dark');
  await page.reload();
  await expect(group.getByRole('radio', { name: /System/ })).toBeChecked();
  await expect.poll(theme).toBe('dark');

  // The header's button toggles between light and dark.
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await expect.poll(theme).toBe('light');
  await expect(group.getByRole('radio', { name: 'Light' })).toBeChecked();
});

test('the theme is kept in the workspace: a new browser profile gets it too', async ({ page, browser, studio }) => {
  await goTo(page, 'Settings');
  await page.getByRole('group', { name: 'Theme' }).getByRole('radio', { name: 'Dark' }).check();
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  const other = await browser.newPage({ colorScheme: 'light' });
  try {
    await other.goto(studio.url);
    await expect(other.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await expect.poll(() => other.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  } finally {
    await other.close();
  }
});

test('help lists the keyboard shortcuts and the Liquid tags and filters', async ({ page }) => {
  await goTo(page, 'Help');
  const keys = page.getByRole('region', { name: 'Keyboard shortcuts' });
  await expect(keys.getByRole('row', { name: /Ctrl\+K.*Open command palette/ })).toBeVisible();
  await expect(keys.getByRole('row', { name: /Search prompts/ })).toBeVisible();
  const liquid = page.getByRole('region', { name: 'Liquid reference' });
  await expect(liquid.getByRole('table', { name: 'Allowed tags' }).getByRole('row', { name: /^if\b/ })).toBeVisible();
  await expect(liquid.getByRole('table', { name: 'Allowed tags' }).getByRole('row', { name: /^for\b/ })).toBeVisible();
  await expect(liquid.getByRole('row', { name: /^upcase\b/ })).toBeVisible();
  await expect(liquid.getByRole('row', { name: /^default\b/ })).toBeVisible();
  await shot(page, 'help');

  await liquid.getByRole('searchbox', { name: 'Filter the Liquid reference' }).fill('upcase');
  await expect(liquid.getByRole('row', { name: /^upcase\b/ })).toBeVisible();
  await expect(liquid.getByRole('row', { name: /^default\b/ })).toHaveCount(0);
});

test('account and settings show who works here and where the data is', async ({ page, studio }) => {
  await goTo(page, 'Settings');
  await expect(page.getByLabel('Data folder')).toHaveText(studio.dataDir);
  await page.getByLabel('Name', { exact: true }).fill('Ada Lovelace');
  await page.getByLabel('Email', { exact: true }).fill('not-an-email');
  await page.getByRole('button', { name: 'Save identity' }).click();
  await expect(page.getByLabel('Email', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Email', { exact: true }).fill('ada@example.com');
  await page.getByRole('button', { name: 'Save identity' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Identity saved' })).toBeVisible();

  await goTo(page, 'Account');
  const account = page.getByRole('main');
  await expect(account.getByText('Ada Lovelace')).toBeVisible();
  await expect(account.getByText('ada@example.com')).toBeVisible();
  await expect(account.getByText('e2e', { exact: true })).toBeVisible();
  await shot(page, 'account');
});
