// Getting around with the keyboard and by address: global shortcuts, the sidebar's current page, a project's
// sets, the Undo of a move to the trash, and what an address that leads nowhere shows.
import type { Page } from '@playwright/test';
import { expect, test } from './support/studio';

const heading = (page: Page) => page.getByRole('main').getByRole('heading', { level: 1 });

test('global shortcuts reach search, settings and the palette from anywhere, even from a text field', async ({
  page,
}) => {
  await page.keyboard.press('Control+Shift+F');
  await expect(heading(page)).toHaveText('Search');
  await expect(page.getByRole('searchbox', { name: 'Search prompts' })).toBeFocused();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' })).toHaveAttribute(
    'aria-current',
    'page',
  );

  // Typing in the search field, Ctrl+, still opens settings.
  await page.getByRole('searchbox', { name: 'Search prompts' }).fill('tone');
  await page.keyboard.press('Control+,');
  await expect(heading(page)).toHaveText('Settings');

  // The palette runs "New project" and its dialog keeps the focus; Esc closes it.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('new proj');
  await expect(page.getByRole('option').first()).toContainText('New project');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'New project' })).toBeVisible();
  await expect(page.getByLabel('Project name')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('a project lists its sets with their prompt counts and opens one in the editor', async ({ page }) => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects', exact: true }).click();
  await page.getByRole('list', { name: 'Projects' }).getByRole('link', { name: 'acme', exact: true }).click();
  await expect(heading(page)).toHaveText('acme');
  const sets = page.getByRole('list', { name: 'Prompt sets' });
  for (const name of ['common', 'rag', 'summarise', 'support', 'triage'])
    await expect(sets.getByRole('link', { name, exact: true })).toBeVisible();
  await expect(sets.getByRole('listitem').filter({ hasText: 'support' })).toContainText('3 prompts');
  await sets.getByRole('link', { name: 'support', exact: true }).click();
  await expect(page).toHaveURL(/#\/sets\//);
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByText('support')).toBeVisible();
});

test('Undo in the notice brings a project back from the trash', async ({ page }) => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects', exact: true }).click();
  const projects = page.getByRole('list', { name: 'Projects' });
  await page.getByRole('button', { name: 'Actions for labs', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Move to trash' }).click();
  await expect(projects.getByRole('link', { name: 'labs', exact: true })).toHaveCount(0);
  const notice = page.getByRole('status').filter({ hasText: 'Project labs' });
  await notice.getByRole('button', { name: 'Undo' }).click();
  await expect(projects.getByRole('link', { name: 'labs', exact: true })).toBeVisible();
});

test('an address that leads nowhere says so, with a way back', async ({ page, studio }) => {
  const base = studio.url.replace(/\?token=.*$/, '');
  await page.goto(`${base}#/projects/no-such-project`);
  await expect(heading(page)).toHaveText('Project not found');
  await expect(page.getByRole('main').getByRole('alert')).toBeVisible();
  await page.getByRole('link', { name: 'Back to projects' }).click();
  await expect(heading(page)).toHaveText('Projects');

  await page.goto(`${base}#/no/such/screen`);
  await expect(heading(page)).toHaveText('Nothing here');
  await page.getByRole('link', { name: 'Go to the dashboard' }).click();
  await expect(heading(page)).toHaveText('Dashboard');
});

test('when the studio stops, the page says so at once, and the next action says the connection closed', async ({
  page,
  studio,
}) => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Projects' })).toBeVisible();
  await studio.stop();
  const notices = page.getByRole('region', { name: 'Notifications' });
  await expect(notices.getByRole('alert')).toContainText('Disconnected from the studio');
  await expect(notices.getByRole('button', { name: 'Reload' })).toBeVisible();
  await page.getByRole('button', { name: 'New project' }).first().click();
  await page.getByRole('dialog').getByLabel('Project name').fill('too-late');
  await page.getByRole('dialog').getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).toContainText('connection to the studio closed');
});
