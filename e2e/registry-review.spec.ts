// The registry's review flow across two studios and one real sync server process (`anvil serve`): Ada (this page's
// studio) makes a project, publishes its first version directly (edit mode open), then switches the project to
// review. Grace (a second studio in a second browser context, her own account) edits the set, saves a version that
// syncs, and publishes it: a review request opens. Ada finds it in the queue, opens it with the comparison against
// 1.0.0, comments on a line of the diff and approves: the bundle is in the registry (metadata, integrity) and on the
// feed, and Grace's studio tells her. A second request, which Ada rejects, publishes nothing.
import type { BrowserContext, Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import type { FeedEvent, PackageMetadata } from '../shared/registry/types';
import { createProjectAndSet, createPrompt, templateInput, typeInEditor } from './support/editing';
import type { RunningStudio } from './support/studio';
import { expect, openStudio, shot, startStudio, test } from './support/studio';
import type { RunningSyncServer } from './support/sync';
import { addAccount, configureSync, grantRole, startSyncServer } from './support/sync';
import { go } from './support/publishing';

// Everything crosses the server and two studios on two shared cores: generous waits, never fixed sleeps. The
// author's studio looks at her requests every 15 s, so her notification may take that long.
const SYNC = { timeout: 30_000 };
const NOTICE = { timeout: 45_000 };

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
    if (testInfo.status === testInfo.expectedStatus) rmSync(second.dataDir, { recursive: true, force: true });
    else await testInfo.attach('second data folder (kept)', { body: second.dataDir, contentType: 'text/plain' });
  }
  second = undefined;
  await server?.stop();
  server = undefined;
});

/** Ctrl+S in the editor: the suggested number kept, a changelog written; resolves with the number saved. */
async function saveVersion(page: Page, changelog: string): Promise<string> {
  await templateInput(page).focus();
  await page.keyboard.press('Control+s');
  const dialog = page.getByRole('dialog', { name: 'Save version' });
  // The suggestion is filled in once the dialog has compared the draft with the versions.
  await expect(dialog.getByLabel('Version')).toHaveValue(/^\d+\.\d+\.\d+/);
  const version = await dialog.getByLabel('Version').inputValue();
  await dialog.getByLabel('Changelog').fill(changelog);
  await dialog.getByRole('button', { name: 'Save version', exact: true }).click();
  await expect(dialog).toBeHidden();
  return version;
}

/** The history's entry of a version once the server has it ("Shared"). */
async function sharedEntry(page: Page, setId: string, version: string) {
  await go(page, `/sets/${setId}/history`);
  const entry = page.getByRole('list', { name: 'Versions' }).getByRole('listitem', { name: `Version ${version}` });
  await expect(entry.getByText('Shared', { exact: true })).toBeVisible(SYNC);
  return entry;
}

/** "Publish…" on a version, the dialog's action; resolves with the dialog showing the outcome. */
async function publish(page: Page, setId: string, version: string, action: 'Publish' | 'Request review') {
  const entry = await sharedEntry(page, setId, version);
  await entry.getByRole('button', { name: `Publish ${version}…` }).click();
  const dialog = page.getByRole('dialog', { name: `Publish @northwind/support ${version}` });
  await dialog.getByRole('button', { name: action, exact: true }).click(SYNC);
  await expect(dialog.getByRole('status', { name: 'Publish result' })).toBeVisible(SYNC);
  return dialog;
}

/** Grace's edit to the one prompt: a new line at the end. */
async function appendLine(page: Page, setId: string, text: string): Promise<void> {
  await go(page, `/sets/${setId}`);
  await page
    .getByRole('navigation', { name: 'Prompts' })
    .getByRole('button', { name: /prompt greeting$/ })
    .click();
  await expect(templateInput(page)).toBeVisible();
  await templateInput(page).focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await typeInEditor(page, text);
  await expect(page.getByLabel('Preview', { exact: true })).toContainText(text);
}

test('review flow: the author requests, an admin comments and approves in the queue, a rejection publishes nothing', async ({
  page,
  browser,
}) => {
  test.setTimeout(360_000);
  server = await startSyncServer();
  const http = server.url.replace(/^ws/, 'http');
  const adaToken = await addAccount(server, 'ada');
  const graceToken = await addAccount(server, 'grace');
  const registry = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const r = await fetch(`${http}${path}`, { headers: { authorization: `Bearer ${adaToken}` } });
    return { status: r.status, body: (await r.json()) as T };
  };

  // Ada: the project, its set and a prompt of two lines; sync on (her account registers the project, as admin).
  await createProjectAndSet(page, 'northwind', 'support');
  await createPrompt(page, 'greeting');
  await page.waitForFunction(() => performance.getEntriesByName('anvil:editor-ready').length > 0);
  await typeInEditor(page, 'Hello from Acme support.');
  await page.keyboard.press('Enter');
  await typeInEditor(page, 'How can we help?');
  await expect(page.getByLabel('Preview', { exact: true })).toContainText('How can we help?');
  const setId = (await page.locator('.set-editor').getAttribute('data-set-id')) ?? '';
  expect(setId).not.toBe('');
  const projectHref = await page
    .getByRole('navigation', { name: 'Breadcrumb' })
    .getByRole('link', { name: 'northwind', exact: true })
    .getAttribute('href');
  const projectId = /\/projects\/([^/?#]+)$/.exec(projectHref ?? '')?.[1] ?? '';
  expect(projectId).not.toBe('');
  await configureSync(page, server.url, adaToken, 'ada');

  // Edit mode open: Ada's 1.0.0 is published at once, and becomes latest.
  await go(page, `/sets/${setId}`);
  await expect(templateInput(page)).toBeVisible();
  expect(await saveVersion(page, 'First greeting')).toBe('1.0.0');
  const first = await publish(page, setId, '1.0.0', 'Publish');
  await expect(first.getByRole('status', { name: 'Publish result' })).toContainText(
    'Published @northwind/support 1.0.0',
  );
  await expect(first.getByRole('status', { name: 'Publish result' })).toContainText('it is now latest');
  await first.getByRole('button', { name: 'Close' }).click();
  const published = page.getByRole('list', { name: 'Versions' }).getByRole('listitem', { name: 'Version 1.0.0' });
  await expect(published.getByText('Published', { exact: true })).toBeVisible(SYNC);
  await expect(published.getByText('latest', { exact: true }).last()).toBeVisible();

  // Ada puts the project under review (project settings), then gives Grace a role on it.
  await go(page, `/projects/${projectId}`);
  const settings = page.getByRole('region', { name: 'Project settings' });
  await settings.getByLabel('Edit mode').selectOption('review');
  await settings.getByRole('button', { name: 'Save edit mode' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Edit mode saved' })).toBeVisible(SYNC);
  await grantRole(server, 'grace', projectId, 'context_engineer');

  // Grace's studio: another workspace, another browser context, her own account.
  second = await startStudio();
  secondContext = await browser.newContext();
  const grace = await secondContext.newPage();
  const graceErrors: string[] = [];
  grace.on('pageerror', (err) => graceErrors.push(err.stack ?? err.message));
  await openStudio(grace, second.url);
  await configureSync(grace, server.url, graceToken, 'grace');
  await grace.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects' }).click();
  await grace.getByRole('link', { name: 'northwind', exact: true }).click(SYNC);
  await grace.getByRole('link', { name: 'support', exact: true }).click(SYNC);
  // Ada's 1.0.0 has reached Grace's studio (so her next number is after it), published and latest.
  await go(grace, `/sets/${setId}/history`);
  const team = grace.getByRole('list', { name: 'Versions' }).getByRole('listitem', { name: /^Version 1\.0\.0 by / });
  await expect(team.getByText('From the team', { exact: true })).toBeVisible(SYNC);
  await expect(team.getByText('Published', { exact: true })).toBeVisible(SYNC);
  await appendLine(grace, setId, 'Please keep answers brief.');
  const wanted = await saveVersion(grace, 'Ask for brief answers');
  const requested = await publish(grace, setId, wanted, 'Request review');
  await expect(requested.getByRole('status', { name: 'Publish result' })).toContainText('Review request opened');
  await expect(requested.getByRole('link', { name: 'Open the review request' })).toBeVisible();
  await requested.getByRole('button', { name: 'Close' }).click();
  // Nothing is published while the request waits.
  expect(
    (await registry<PackageMetadata>('/api/registry/packages/@northwind/support')).body.versions[wanted],
  ).toBeUndefined();

  // Ada: the queue (from the main navigation) lists the request.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Review queue' })).toBeVisible();
  const queue = page.getByRole('table', { name: 'Review requests' });
  const row = queue.getByRole('row', { name: `@northwind/support ${wanted} by grace` });
  await expect(row).toBeVisible(SYNC);
  await expect(row).toContainText('1.0.0');
  await shot(page, 'registry-review-queue');

  // The review: summary, changelog, the comparison with 1.0.0 (a Monaco diff of the prompt).
  await row.getByRole('link', { name: `Review @northwind/support ${wanted}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Review @northwind/support ${wanted}` })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Summary' })).toContainText('Ask for brief answers');
  const comparison = page.getByRole('region', { name: 'Comparison' });
  await expect(comparison.getByRole('region', { name: 'Prompt greeting' })).toBeVisible(SYNC);
  await expect(comparison.locator('.diff-editor')).toBeVisible();
  await expect(comparison.locator('.diff-editor .view-line').filter({ hasText: 'brief' }).first()).toBeVisible(SYNC);

  // A comment on line 3 of the new side of greeting's diff: a click on the line number fills in where it goes.
  const comments = page.getByRole('region', { name: 'Comments' });
  await comparison.locator('.editor.modified .line-numbers').filter({ hasText: /^3$/ }).click();
  await expect(comments.getByLabel('Comment on')).toHaveValue('greeting');
  await expect(comments.getByLabel('Side')).toHaveValue('after');
  await expect(comments.getByLabel('Line')).toHaveValue('3');
  await expect(comments.getByLabel('Comment', { exact: true })).toBeFocused();
  await page.keyboard.type('Brief is good; maybe say "short"?');
  await comments.getByRole('button', { name: 'Add comment' }).click();
  const anchored = comments.getByRole('listitem', { name: 'Comment by ada on greeting, after, line 3' });
  await expect(anchored).toContainText('maybe say "short"', SYNC);
  // And one on the request as a whole, chosen with the keyboard-reachable fields.
  await comments.getByLabel('Comment on').selectOption('');
  await comments.getByLabel('Comment', { exact: true }).fill('Thanks, Grace.');
  await comments.getByLabel('Comment', { exact: true }).press('Control+Enter');
  await expect(comments.getByRole('listitem', { name: 'Comment by ada', exact: true })).toContainText(
    'Thanks, Grace.',
    SYNC,
  );
  await shot(page, 'registry-review-comments');
  // The top of the review (summary, changelog, comparison), light and dark.
  await page.locator('#content').evaluate((el) => el.scrollTo(0, 0));
  await shot(page, 'registry-review');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await shot(page, 'registry-review-dark');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();

  // Approve: published with the approver's name; the bundle is in the registry and on the feed.
  const decision = page.getByRole('region', { name: 'Decision' });
  await decision.getByLabel('Note to the author (optional)').fill('Looks good.');
  await decision.getByRole('button', { name: 'Approve and publish' }).click();
  const result = page.getByRole('status', { name: 'Decision result' });
  await expect(result).toContainText(`published @northwind/support ${wanted}`, SYNC);
  await expect(result).toContainText('now latest');
  const meta = await registry<PackageMetadata>('/api/registry/packages/@northwind/support');
  expect(meta.status).toBe(200);
  const record = meta.body.versions[wanted];
  expect(record?.integrity).toMatch(/^sha512-[A-Za-z0-9+/]+=*$/);
  expect(record?.publishedBy).toBe('ada');
  expect(meta.body.distTags.latest).toBe(wanted);
  await expect(result).toContainText(record?.integrity ?? 'no integrity');
  const feed = await registry<{ events: FeedEvent[] }>('/api/registry/events?name=@northwind/support');
  expect(feed.body.events.filter((e) => e.type === 'publish').map((e) => e.type === 'publish' && e.version)).toEqual([
    '1.0.0',
    wanted,
  ]);
  const bundle = await fetch(`${http}/api/registry/packages/@northwind/support/-/${wanted}`, {
    headers: { authorization: `Bearer ${adaToken}` },
  });
  expect(bundle.headers.get('x-anvil-integrity')).toBe(record?.integrity);

  // Grace's studio tells her, with the way to the review.
  const approved = grace.getByRole('status').filter({ hasText: 'Review approved' });
  await expect(approved).toContainText(`@northwind/support ${wanted} was approved by ada and published.`, NOTICE);
  await shot(grace, 'registry-review-approved-notice');

  // A second request, rejected: nothing is published.
  await appendLine(grace, setId, 'Sign every answer.');
  const rejectedVersion = await saveVersion(grace, 'Sign answers');
  const again = await publish(grace, setId, rejectedVersion, 'Request review');
  await expect(again.getByRole('status', { name: 'Publish result' })).toContainText('Review request opened');
  await again.getByRole('link', { name: 'Open the review request' }).click();
  await expect(
    grace.getByRole('heading', { level: 1, name: `Review @northwind/support ${rejectedVersion}` }),
  ).toBeVisible();
  // The author cannot decide on her own request.
  await expect(grace.getByRole('region', { name: 'Decision' })).toHaveCount(0);

  await go(page, '/reviews');
  const secondRow = page.getByRole('table', { name: 'Review requests' }).getByRole('row', {
    name: `@northwind/support ${rejectedVersion} by grace`,
  });
  await secondRow.getByRole('link', { name: `Review @northwind/support ${rejectedVersion}` }).click(SYNC);
  const decide = page.getByRole('region', { name: 'Decision' });
  await decide.getByLabel('Note to the author (optional)').fill('Signatures belong in the app.');
  await decide.getByRole('button', { name: 'Reject' }).click();
  await expect(page.getByRole('status', { name: 'Decision result' })).toContainText('nothing was published', SYNC);
  const after = await registry<PackageMetadata>('/api/registry/packages/@northwind/support');
  expect(Object.keys(after.body.versions).sort()).toEqual(['1.0.0', wanted].sort());
  expect(after.body.versions[rejectedVersion]).toBeUndefined();
  expect(after.body.distTags.latest).toBe(wanted);
  await expect(grace.getByRole('alert').filter({ hasText: 'Review rejected' })).toContainText(
    'nothing was published',
    NOTICE,
  );

  // Ada tags and deprecates the old 1.0.0 from its history: the only changes a published version allows.
  await go(page, `/sets/${setId}/history`);
  const old = page
    .getByRole('list', { name: 'Versions' })
    .getByRole('listitem', { name: 'Version 1.0.0', exact: true });
  await old.getByRole('button', { name: 'Actions for published 1.0.0' }).click();
  await page.getByRole('menuitem', { name: 'Set a dist-tag…' }).click();
  await page.getByRole('dialog').getByLabel('Tag').fill('stable');
  await page.getByRole('dialog').getByRole('button', { name: 'Set tag' }).click();
  await expect(old.getByText('stable', { exact: true })).toBeVisible(SYNC);
  await old.getByRole('button', { name: 'Actions for published 1.0.0' }).click();
  await page.getByRole('menuitem', { name: 'Deprecate…' }).click();
  await page.getByRole('dialog').getByLabel('Message for consumers').fill(`Use ${wanted}.`);
  await page.getByRole('dialog').getByRole('button', { name: 'Deprecate' }).click();
  await expect(old.getByText('Deprecated', { exact: true })).toBeVisible(SYNC);
  const tagged = await registry<PackageMetadata>('/api/registry/packages/@northwind/support');
  expect(tagged.body.distTags).toEqual({ latest: wanted, stable: '1.0.0' });
  expect(tagged.body.versions['1.0.0']?.deprecated).toBe(`Use ${wanted}.`);

  expect(graceErrors, "uncaught errors in the second studio's page").toEqual([]);
});
