// Projects and prompt sets through the shell: create (dialog), rename (row menu), move to the trash and restore,
// then the same data folder served by a restarted studio still has all of it.
import type { Page } from '@playwright/test';
import { expect, openStudio, shot, startStudio, test } from './support/studio';

const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const heading = (page: Page) => page.getByRole('main').getByRole('heading', { level: 1 });

async function goTo(page: Page, screen: string): Promise<void> {
  await mainNav(page).getByRole('link', { name: screen, exact: true }).click();
  await expect(heading(page)).toHaveText(screen);
}

/** The row action of a list row, through its "⋯" menu (named after the row). */
async function rowAction(page: Page, rowName: string, action: string): Promise<void> {
  await page.getByRole('button', { name: `Actions for ${rowName}`, exact: true }).click();
  await page.getByRole('menuitem', { name: action, exact: true }).click();
}

async function submitName(page: Page, label: string, name: string, submit: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel(label).fill(name);
  await dialog.getByRole('button', { name: submit, exact: true }).click();
  await expect(dialog).toBeHidden();
}

test('create, rename, trash and restore a project and its sets; all of it survives a restart', async ({
  page,
  studio,
  browser,
}) => {
  await goTo(page, 'Projects');
  const projects = page.getByRole('list', { name: 'Projects' });
  await expect(projects.getByRole('link', { name: 'acme', exact: true })).toBeVisible();
  await shot(page, 'projects');

  // Create: the dialog opens from the screen's action, refuses a bad name in words, then opens the new project.
  await page.getByRole('button', { name: 'New project' }).first().click();
  await page.getByRole('dialog').getByLabel('Project name').fill('Not Valid!');
  await page.getByRole('dialog').getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).toBeVisible();
  await expect(page.getByRole('dialog').getByLabel('Project name')).toHaveAttribute('aria-invalid', 'true');
  await submitName(page, 'Project name', 'orchard', 'Create project');
  await expect(heading(page)).toHaveText('orchard');
  await expect(page.getByText('No prompt sets in this project yet.')).toBeVisible();

  // A set, created through the project screen; creating it opens it in the editor.
  await page.getByRole('button', { name: 'New prompt set' }).click();
  await submitName(page, 'Prompt set name', 'harvest', 'Create prompt set');
  await expect(page).toHaveURL(/#\/sets\//);
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'orchard' }).click();
  const sets = page.getByRole('list', { name: 'Prompt sets' });
  await expect(sets.getByRole('link', { name: 'harvest', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'New prompt set' }).click();
  await submitName(page, 'Prompt set name', 'pruning', 'Create prompt set');
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'orchard' }).click();
  await expect(sets.getByRole('link', { name: 'pruning', exact: true })).toBeVisible();

  // Rename a set from its row menu, and the project from the project screen's menu.
  await rowAction(page, 'harvest', 'Rename…');
  await submitName(page, 'Prompt set name', 'harvest-2027', 'Rename');
  await expect(sets.getByRole('link', { name: 'harvest-2027', exact: true })).toBeVisible();
  await expect(sets.getByRole('link', { name: 'harvest', exact: true })).toHaveCount(0);
  await rowAction(page, 'orchard', 'Rename project…');
  await submitName(page, 'Project name', 'orchard-east', 'Rename');
  await expect(heading(page)).toHaveText('orchard-east');
  await shot(page, 'project');

  // A set to the trash, then the project from the projects list: both are listed in the trash.
  await rowAction(page, 'pruning', 'Move to trash');
  await expect(page.getByRole('status').filter({ hasText: 'Moved to the trash' }).first()).toBeVisible();
  await expect(sets.getByRole('link', { name: 'pruning', exact: true })).toHaveCount(0);
  await goTo(page, 'Projects');
  await rowAction(page, 'orchard-east', 'Move to trash');
  await expect(projects.getByRole('link', { name: 'orchard-east', exact: true })).toHaveCount(0);
  await goTo(page, 'Trash');
  const trash = page.getByRole('list', { name: 'Trashed items' });
  await expect(trash.getByText('orchard-east', { exact: true })).toBeVisible();
  await shot(page, 'trash');

  // The trashed project's sets come back with it; the set trashed before comes back on its own.
  await trash.getByRole('button', { name: 'Restore orchard-east' }).click();
  await expect(trash.getByText('orchard-east', { exact: true })).toHaveCount(0);
  await expect(trash.getByRole('button', { name: 'Restore pruning' })).toBeVisible();
  await trash.getByRole('button', { name: 'Restore pruning' }).click();
  await expect(page.getByText('The trash is empty.')).toBeVisible();
  await goTo(page, 'Projects');
  await projects.getByRole('link', { name: 'orchard-east', exact: true }).click();
  await expect(sets.getByRole('link', { name: 'harvest-2027', exact: true })).toBeVisible();
  await expect(sets.getByRole('link', { name: 'pruning', exact: true })).toBeVisible();

  // Restart on the same data folder, in a fresh browser context: everything is read back from the workspace.
  await page.close();
  await studio.stop();
  const again = await startStudio({ dataDir: studio.dataDir });
  const fresh = await browser.newPage();
  try {
    await openStudio(fresh, again.url);
    await goTo(fresh, 'Projects');
    await expect(fresh.getByRole('list', { name: 'Projects' }).getByRole('link', { name: 'orchard' })).toHaveText(
      'orchard-east',
    );
    await fresh.getByRole('link', { name: 'orchard-east', exact: true }).click();
    const setsAgain = fresh.getByRole('list', { name: 'Prompt sets' });
    await expect(setsAgain.getByRole('link', { name: 'harvest-2027', exact: true })).toBeVisible();
    await expect(setsAgain.getByRole('link', { name: 'pruning', exact: true })).toBeVisible();
    // The demo was seeded once: a restart does not seed it again (still exactly one acme).
    await goTo(fresh, 'Projects');
    await expect(fresh.getByRole('list', { name: 'Projects' }).getByRole('link', { name: 'acme' })).toHaveCount(1);
  } finally {
    await fresh.close();
    await again.stop();
  }
});
