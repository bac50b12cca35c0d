// The analytics dashboard against one real sync server process (`anvil serve`): before sync is on the screen says
// how to turn it on; Ada makes a project, publishes its set's first version, and the test, as an application would
// through the SDK, posts a batch of render and outcome events with her token to POST /api/usage/events. The
// dashboard (opened from the palette) shows the figures — totals, the charts with their tables, the breakdown by
// version and by model — in light and dark; the set filter narrows them; the editor's line for the prompt shows
// its renders, and leads back to the dashboard filtered to it.
import type { UsageBatch, UsageBatchResult, UsageEvent } from '../shared/usage/types';
import { USAGE_PATHS } from '../shared/usage/types';
import { createProjectAndSet, createPrompt, typeInEditor } from './support/editing';
import { expect, shot, test } from './support/studio';
import type { RunningSyncServer } from './support/sync';
import { addAccount, configureSync, startSyncServer } from './support/sync';
import { go, saveAndPublishFirstVersion } from './support/publishing';

const SYNC = { timeout: 30_000 };
const HOUR = 3600_000;

let server: RunningSyncServer | undefined;

// Playwright reads the fixtures a hook needs from its first argument's pattern: this one needs none.
// eslint-disable-next-line no-empty-pattern
test.afterEach(async ({}) => {
  await server?.stop();
  server = undefined;
});

/**
 * What an application's SDK would have sent over the last day: 120 renders of greeting 1.0.0 on the small model
 * and 30 on the large one (each with an outcome), and 6 renders that failed before resolving a version.
 */
function events(now: number): UsageEvent[] {
  const out: UsageEvent[] = [];
  const render = (i: number, over: Partial<UsageEvent & { type: 'render' }>) => {
    const id = `r-${i}`;
    out.push({
      type: 'render',
      id,
      at: now - ((i * 7) % 20) * HOUR - 60_000,
      name: '@northwind/support',
      prompt: 'greeting',
      version: '1.0.0',
      variant: null,
      experiment: null,
      latencyMs: 1 + (i % 5) * 0.5,
      inputTokens: 40,
      model: 'openai/gpt-4o-mini',
      costUsd: 0.0001,
      error: null,
      fallback: false,
      ...over,
    });
    return id;
  };
  for (let i = 0; i < 120; i++) render(i, {});
  for (let i = 120; i < 150; i++) {
    const renderId = render(i, { model: 'openai/gpt-4o', costUsd: 0.002 });
    out.push({
      type: 'outcome',
      id: `o-${i}`,
      at: now - 30_000,
      renderId,
      name: '@northwind/support',
      prompt: 'greeting',
      version: '1.0.0',
      variant: null,
      experiment: null,
      outputTokens: 100,
      modelLatencyMs: 800,
      costUsd: 0.001,
      metrics: { resolved: i % 2 },
    });
  }
  for (let i = 150; i < 156; i++)
    render(i, { version: null, inputTokens: null, model: null, costUsd: null, error: 'unavailable', latencyMs: 0.2 });
  return out;
}

test('usage dashboard: sync off says how to turn it on; reported events show as figures and charts, and in the editor', async ({
  page,
}) => {
  test.setTimeout(240_000);
  server = await startSyncServer();
  const http = server.url.replace(/^ws/, 'http');
  const token = await addAccount(server, 'ada');

  // Before sync: the screen (from the sidebar) says where analytics come from and how to turn sync on.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analytics' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Analytics' })).toBeVisible();
  const off = page.getByRole('status', { name: 'Analytics unavailable' });
  await expect(off).toContainText('switch sync on in Settings → Sync');
  await expect(off.getByRole('link', { name: 'Open the sync settings' })).toBeVisible();
  await shot(page, 'usage-sync-off');

  // Ada's project, set and prompt; sync on; 1.0.0 saved and published (edit mode open).
  await createProjectAndSet(page, 'northwind', 'support');
  await createPrompt(page, 'greeting');
  await page.waitForFunction(() => performance.getEntriesByName('anvil:editor-ready').length > 0);
  await typeInEditor(page, 'Hello from Northwind support.');
  await expect(page.getByLabel('Preview', { exact: true })).toContainText('Northwind support');
  const setId = (await page.locator('.set-editor').getAttribute('data-set-id')) ?? '';
  const promptId = (await page.locator('.set-editor').getAttribute('data-prompt-id')) ?? '';
  expect(setId).not.toBe('');
  await configureSync(page, server.url, token, 'ada');
  await saveAndPublishFirstVersion(page, { setId, promptId, name: '@northwind/support', changelog: 'First greeting' });

  // Published, nothing reported yet: the dashboard says how applications report usage.
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.getByRole('combobox').fill('Open analytics');
  await expect(palette.getByRole('option').first()).toContainText('Open analytics');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Analytics' })).toBeVisible();
  const filters = page.getByRole('form', { name: 'Analytics filters' });
  await expect(filters.getByLabel('Project')).toHaveValue('northwind', SYNC);
  const none = page.getByRole('status', { name: 'No usage yet' });
  await expect(none).toContainText('Applications report usage when they render prompts with the Anvil SDK', SYNC);
  await shot(page, 'usage-no-events');

  // An application's batch, sent with the token as the SDK sends it.
  const batch: UsageBatch = { client: 'e2e/1.0.0', events: events(Date.now()), dropped: 0 };
  const posted = await fetch(`${http}${USAGE_PATHS.events}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(batch),
  });
  expect(posted.status).toBe(200);
  const result = (await posted.json()) as UsageBatchResult;
  expect(result).toEqual({ accepted: 186, duplicates: 0, rejected: [] });

  // The figures: 156 renders, 6 errors, cost 120 × $0.0001 + 30 × ($0.002 + $0.001) = $0.10.
  await page.getByRole('button', { name: 'Refresh' }).click();
  const totals = page.getByRole('region', { name: 'Totals' });
  await expect(totals.getByRole('group', { name: 'Renders' })).toContainText('156', SYNC);
  await expect(totals.getByRole('group', { name: 'Error rate' })).toContainText('3.8%');
  await expect(totals.getByRole('group', { name: 'Error rate' })).toContainText('6 errors');
  await expect(totals.getByRole('group', { name: 'Cost' })).toContainText('$0.10');
  await expect(totals.getByRole('group', { name: 'Tokens' })).toContainText('6k in, 3k out');

  // Each chart is a named figure with a summary and its table.
  const renders = page.getByRole('figure', { name: 'Renders per hour' });
  await expect(renders.getByRole('img', { name: 'Chart: Renders per hour' })).toBeVisible();
  await expect(renders).toContainText('156 in total');
  await expect(page.locator('.chart-canvas canvas')).toHaveCount(5);
  const perVersion = page.getByRole('figure', { name: 'Tokens and cost per version' });
  await perVersion.getByText('Show tokens and cost per version as a table').click();
  const versionTable = perVersion.getByRole('table', { name: 'Tokens and cost per version' });
  await expect(versionTable.getByRole('row', { name: /^1\.0\.0 / })).toContainText('3,000');
  await expect(page.getByRole('figure', { name: 'Latency p50 and p95' })).toContainText('p95 from');

  // The breakdown table: by version, then by model.
  const byVersion = page.getByRole('table', { name: 'Usage by version' });
  await expect(byVersion.getByRole('row', { name: /^1\.0\.0 / })).toContainText('150');
  await expect(byVersion.getByRole('row', { name: /^unresolved / })).toContainText('100%');
  // The whole dashboard in one picture (a taller window), light and dark, without the earlier notices.
  const dismiss = page.getByRole('button', { name: 'Dismiss notification' });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
  await page.setViewportSize({ width: 1280, height: 1900 });
  await page.locator('#content').evaluate((el) => el.scrollTo(0, 0));
  await shot(page, 'usage-dashboard');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await shot(page, 'usage-dashboard-dark');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByLabel('by', { exact: true }).selectOption('model');
  const byModel = page.getByRole('table', { name: 'Usage by model' });
  await expect(byModel.getByRole('row', { name: /^openai\/gpt-4o-mini / })).toContainText('120');
  await expect(byModel.getByRole('row', { name: /^openai\/gpt-4o / })).toContainText('$0.09');

  // Filters: the set and its version narrow the figures to the 150 renders that resolved 1.0.0.
  await filters.getByLabel('Set').selectOption('@northwind/support');
  await filters.getByLabel('Version').selectOption('1.0.0');
  await expect(totals.getByRole('group', { name: 'Renders' })).toContainText('150', SYNC);
  await expect(totals.getByRole('group', { name: 'Latency p50 / p95' })).toContainText('over the range');
  await filters.getByLabel('Time range').selectOption('custom');
  await expect(filters.getByLabel('From (UTC)')).toBeVisible();
  await filters.getByLabel('Time range').selectOption('30d');
  await expect(totals.getByRole('group', { name: 'Renders' })).toContainText('150', SYNC);

  // The editor: the prompt's line, leading back to the dashboard filtered to it.
  await go(page, `/sets/${setId}/${promptId}`);
  const line = page.getByRole('link', { name: /^This prompt: 156 renders last 7 days, p95 .* ms, \$0\.10\./ });
  await expect(line).toBeVisible(SYNC);
  await shot(page, 'usage-editor-line');
  await line.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Analytics' })).toBeVisible();
  await expect(filters.getByLabel('Set')).toHaveValue('@northwind/support');
  await expect(page.getByRole('button', { name: 'Remove the prompt filter greeting' })).toBeVisible();
  await expect(totals.getByRole('group', { name: 'Renders' })).toContainText('156', SYNC);
});
