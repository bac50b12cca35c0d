// A/B tests from the studio against one real sync server process (`anvil serve`) and the real SDK: Ada publishes
// her set with two greetings, defines an experiment on `greeting` in the studio (a bad weight is named beside its
// field first), publishes it; an application (the SDK in live mode, in this test's process) renders the prompt for
// 400 users and reports whether each conversation was resolved; the studio's results show each variant's
// exposures and rate with its interval and that the short greeting does better; Ada stops the experiment with it
// as the winner, and a new application process gets the winner for every user.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAnvil } from '../client/sdk/anvil';
import type { PackageMetadata } from '../shared/registry/types';
import { REGISTRY_PATHS } from '../shared/registry/api';
import { createProjectAndSet, createPrompt, typeInEditor } from './support/editing';
import { expect, shot, test } from './support/studio';
import type { RunningSyncServer } from './support/sync';
import { addAccount, configureSync, startSyncServer } from './support/sync';
import { go, saveAndPublishFirstVersion } from './support/publishing';

const SYNC = { timeout: 30_000 };
const NAME = '@northwind/support';
const USERS = 400;

let server: RunningSyncServer | undefined;
const dirs: string[] = [];

// Playwright reads the fixtures a hook needs from its first argument's pattern: this one needs none.
// eslint-disable-next-line no-empty-pattern
test.afterEach(async ({}) => {
  await server?.stop();
  server = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** An application following `@northwind/support` live, reporting usage to the server at once. */
function application(http: string, token: string) {
  const cacheDir = mkdtempSync(join(tmpdir(), 'anvil-e2e-app-'));
  dirs.push(cacheDir);
  return createAnvil({
    registry: http,
    token,
    cacheDir,
    manifest: { dependencies: { [NAME]: '^1.0.0' } },
    mode: 'live',
    feed: 'off',
    ttlMs: 0,
    usage: { flushMs: 50, batchSize: 200 },
  });
}

test('experiments: defined and published in the studio, assigned by the SDK, results per variant, stopped with a winner', async ({
  page,
}) => {
  test.setTimeout(240_000);
  server = await startSyncServer();
  const http = server.url.replace(/^ws/, 'http');
  const token = await addAccount(server, 'ada');

  // Ada's set: the greeting and a shorter alternative; sync on; 1.0.0 saved and published.
  await createProjectAndSet(page, 'northwind', 'support');
  await createPrompt(page, 'greeting');
  await page.waitForFunction(() => performance.getEntriesByName('anvil:editor-ready').length > 0);
  await typeInEditor(page, 'Hello from Northwind support, how can we help you today?');
  await createPrompt(page, 'greeting-short');
  await typeInEditor(page, 'Hi! What can we do?');
  await expect(page.getByLabel('Preview', { exact: true })).toContainText('What can we do?');
  const setId = (await page.locator('.set-editor').getAttribute('data-set-id')) ?? '';
  const promptId = (await page.locator('.set-editor').getAttribute('data-prompt-id')) ?? '';
  await configureSync(page, server.url, token, 'ada');
  await saveAndPublishFirstVersion(page, { setId, promptId, name: '@northwind/support', changelog: 'Two greetings' });

  // The editor leads to the set's experiments: none yet.
  await go(page, `/sets/${setId}/${promptId}`);
  await page.getByRole('link', { name: 'Experiments' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Experiments' })).toBeVisible();
  await expect(page.getByText(`No experiment on ${NAME} yet`)).toBeVisible(SYNC);
  await shot(page, 'experiments-empty');

  // Define it: a weight of 0 is named beside its field before anything is sent.
  await page.getByRole('button', { name: 'New experiment' }).click();
  const dialog = page.getByRole('dialog', { name: 'New experiment' });
  await dialog.getByLabel('Name').fill('Greeting length');
  await expect(dialog.getByLabel('Prompt', { exact: true })).toHaveValue('greeting');
  await expect(dialog.getByLabel('Prompt of control')).toHaveValue('greeting');
  await expect(dialog.getByLabel('Prompt of variant 2')).toHaveValue('greeting-short');
  await dialog.getByLabel('Key of variant 2').fill('short');
  await dialog.getByLabel('Weight of variant 2').fill('0');
  await dialog.getByRole('button', { name: 'Publish experiment' }).click();
  await expect(dialog.getByRole('group', { name: 'Variant 2' })).toContainText('a weight is a positive finite number');
  await expect(dialog.getByRole('alert')).toContainText('One problem to fix');
  await shot(page, 'experiments-define-error');
  await dialog.getByLabel('Weight of variant 2').fill('1');
  await expect(dialog.getByLabel('Share of variant 2')).toHaveText('50%');
  await shot(page, 'experiments-define');
  await dialog.getByRole('button', { name: 'Publish experiment' }).click();
  await expect(dialog).toBeHidden(SYNC);
  const detail = page.getByRole('article', { name: 'Experiment Greeting length' });
  await expect(detail.getByRole('region', { name: 'Definition' })).toContainText('running');
  await expect(detail.getByRole('list', { name: 'Variants' })).toContainText(
    'short — prompt greeting-short, 50% of units',
  );

  // The experiment is in the package's metadata, where the SDK follows it.
  const meta = (await (
    await fetch(`${http}${REGISTRY_PATHS.metadata(NAME)}`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as PackageMetadata;
  expect(meta.experiments?.map((e) => [e.id, e.status, e.variants.map((v) => v.key)])).toEqual([
    ['greeting-length', 'running', ['control', 'short']],
  ]);

  // An application renders for 400 users and reports outcomes: short resolves 60%, the control 30%.
  const app = application(http, token);
  const seen: Record<string, number> = {};
  for (let i = 0; i < USERS; i++) {
    const r = await app.getOrThrow(`${NAME}/greeting`, {}, { unitKey: `user-${i}` });
    const variant = r.variant ?? 'none';
    seen[variant] = (seen[variant] ?? 0) + 1;
    expect(r.kind === 'text' && r.text).toBe(
      variant === 'short' ? 'Hi! What can we do?' : 'Hello from Northwind support, how can we help you today?',
    );
    const resolved = i % 10 < (variant === 'short' ? 6 : 3) ? 1 : 0;
    app.outcome(r, { outputTokens: 50, metrics: { resolved } });
  }
  await app.flush();
  await app.close();
  expect((seen.control ?? 0) + (seen.short ?? 0)).toBe(USERS);
  expect(seen.control).toBeGreaterThan(140);
  expect(seen.short).toBeGreaterThan(140);

  // The results: exposures as the application saw them, rates with intervals, short clearly higher.
  await detail.getByRole('button', { name: 'Refresh' }).click();
  const table = detail.getByRole('table', { name: 'Results of Greeting length' });
  const control = table.getByRole('row', { name: /^control/ });
  const short = table.getByRole('row', { name: /^short/ });
  await expect(control.getByRole('cell').first()).toContainText(String(seen.control), SYNC);
  await expect(short.getByRole('cell').first()).toContainText(String(seen.short));
  await expect(control).toContainText('control');
  await expect(short).toContainText('higher than the control');
  await expect(short).toContainText(/\+\d+\.\d points \(\+\d+\.\d to \+\d+\.\d\)/);
  const costs = detail.getByRole('table', { name: 'Speed and cost of Greeting length' });
  await expect(costs.getByRole('row', { name: /^short/ })).toContainText('ms');
  const dismiss = page.getByRole('button', { name: 'Dismiss notification' });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
  await shot(page, 'experiments-results');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await shot(page, 'experiments-results-dark');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();

  // Stopped with the winner: a publish like any other; every user of a new application process gets it.
  await detail.getByRole('button', { name: 'Stop with a winner…' }).click();
  const stop = page.getByRole('dialog', { name: 'Stop "Greeting length"' });
  await expect(stop.getByRole('radio', { name: /^short/ })).toBeChecked();
  await shot(page, 'experiments-stop');
  await stop.getByRole('button', { name: 'Stop with short as the winner' }).click();
  await expect(stop).toBeHidden(SYNC);
  await expect(detail.getByRole('region', { name: 'Definition' })).toContainText('winner: short', SYNC);
  const after = application(http, token);
  for (let i = 0; i < 50; i++) {
    const r = await after.getOrThrow(`${NAME}/greeting`, {}, { unitKey: `user-${i}` });
    expect(r.variant).toBe('short');
  }
  await after.close();
  await shot(page, 'experiments-stopped');

  // The editor's line for the prompt says how its test ended, and leads back to it.
  await go(page, `/sets/${setId}`);
  await page
    .getByRole('navigation', { name: 'Prompts' })
    .getByRole('button', { name: /prompt greeting$/ })
    .click();
  const ab = page.getByRole('link', { name: 'A/B: Greeting length stopped, short won' });
  await expect(ab).toBeVisible(SYNC);
  // The lines shrink before the set's title does.
  await expect(page.getByRole('heading', { level: 1, name: /support/ })).toBeVisible();
  await shot(page, 'experiments-editor-line');
  await ab.click();
  await expect(page.getByRole('article', { name: 'Experiment Greeting length' })).toBeVisible();
});
