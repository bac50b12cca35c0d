// What the registry's, analytics' and experiments' end-to-end tests share: going to a screen by its route, and
// saving and publishing a set's first version through the editor and the history.
import type { Page } from '@playwright/test';
import { templateInput } from './editing';
import { expect } from './studio';

const SYNC = { timeout: 30_000 };

/** The studio's address of a screen (the page keeps the launch token in sessionStorage). */
export async function go(page: Page, route: string): Promise<void> {
  const url = new URL(page.url());
  url.hash = route;
  await page.goto(url.toString());
  await expect(page.getByRole('main').getByRole('heading', { level: 1 }).first()).toBeVisible();
}

/**
 * From the editor of `promptId`: Ctrl+S saves 1.0.0 with `changelog`; once the server has it ("Shared"), the
 * history publishes it (the project's edit mode is open) and the dialog shows it published.
 */
export async function saveAndPublishFirstVersion(
  page: Page,
  where: { setId: string; promptId: string; name: string; changelog: string },
): Promise<void> {
  await go(page, `/sets/${where.setId}/${where.promptId}`);
  await templateInput(page).focus();
  await page.keyboard.press('Control+s');
  const save = page.getByRole('dialog', { name: 'Save version' });
  await expect(save.getByLabel('Version')).toHaveValue('1.0.0');
  await save.getByLabel('Changelog').fill(where.changelog);
  await save.getByRole('button', { name: 'Save version', exact: true }).click();
  await expect(save).toBeHidden();
  await go(page, `/sets/${where.setId}/history`);
  const entry = page.getByRole('list', { name: 'Versions' }).getByRole('listitem', { name: 'Version 1.0.0' });
  await expect(entry.getByText('Shared', { exact: true })).toBeVisible(SYNC);
  await entry.getByRole('button', { name: 'Publish 1.0.0…' }).click();
  const publish = page.getByRole('dialog', { name: `Publish ${where.name} 1.0.0` });
  await publish.getByRole('button', { name: 'Publish', exact: true }).click(SYNC);
  await expect(publish.getByRole('status', { name: 'Publish result' })).toContainText(
    `Published ${where.name} 1.0.0`,
    SYNC,
  );
  await publish.getByRole('button', { name: 'Close' }).click();
}
