// A workspace of 10,000 prompts (10 sets of 1,000, beside the demo) stays usable: counts, a set of 1,000
// prompts opens with its list virtualised (a screenful of rows in the DOM, the last one reachable by scrolling),
// search answers as you type, and the palette finds one prompt among ten thousand. How fast is the benches' job
// (bench/studio-startup.bench.ts opens this same workspace); here the limits only catch a hang.
import { rmSync } from 'node:fs';
import { preparedDataDir } from '../test-support/large-workspace';
import { expect, openStudio, shot, startStudio, test } from './support/studio';

test.describe.configure({ timeout: 180_000 });

test('10,000 prompts: counts, a virtualised set of 1,000, search as you type, the palette', async ({ browser }) => {
  const dataDir = await preparedDataDir(10_000);
  const studio = await startStudio({ dataDir, seed: false });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await openStudio(page, studio.url);
    const counts = page.getByRole('region', { name: 'Counts' });
    await expect(counts.getByRole('link', { name: /^10,?013\s*Prompts$/ })).toBeVisible();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects', exact: true }).click();
    await page.getByRole('link', { name: 'large-workspace', exact: true }).click();
    const sets = page.getByRole('list', { name: 'Prompt sets' });
    await expect(sets.getByRole('link', { name: 'set-09', exact: true })).toBeVisible();
    await sets.getByRole('link', { name: 'set-03', exact: true }).click();

    // The set's 1,000 prompts: a screenful of rows is rendered, not a thousand.
    const list = page.getByRole('navigation', { name: 'Prompts' });
    await expect(list.getByRole('button', { name: /prompt prompt-0000$/ })).toBeVisible();
    const rendered = await list.getByRole('button', { name: /prompt prompt-\d{4}$/ }).count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(100);
    await list.locator('ul[role="list"]').evaluate((ul) => {
      (ul.parentElement as HTMLElement).scrollTop = (ul as HTMLElement).offsetHeight;
    });
    await expect(list.getByRole('button', { name: /prompt prompt-0999$/ })).toBeVisible();
    await list.getByRole('button', { name: /prompt prompt-0999$/ }).click();
    await expect(page.getByLabel('Preview', { exact: true })).toContainText('Prompt 999 of set 3');
    await shot(page, 'large-workspace-set-of-1000');

    // Search as you type: each keystroke asks again; the hits are a bounded, virtualised list.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search', exact: true }).click();
    const box = page.getByRole('searchbox', { name: 'Search prompts' });
    await box.pressSequentially('valued gue', { delay: 40 });
    const results = page.getByRole('list', { name: 'Search results' });
    await expect(results.getByRole('link').first()).toBeVisible();
    await expect(results.locator('mark').first()).toBeVisible();
    expect(await results.getByRole('link').count()).toBeLessThan(100);
    await shot(page, 'large-workspace-search');

    // The palette ranks ten thousand prompts and opens the one asked for.
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.getByRole('combobox').pressSequentially('set-07 prompt-0500', { delay: 20 });
    const option = palette.getByRole('option', { name: /prompt-0500/ }).first();
    await expect(option).toBeVisible();
    expect(await palette.getByRole('option').count()).toBeLessThan(200);
    await shot(page, 'large-workspace-palette');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByText('prompt-0500')).toBeVisible();
  } finally {
    await page.close();
    await studio.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
