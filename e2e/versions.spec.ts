// Versions end to end, in the browser-mode studio: a set's first version saved from the editor, a breaking change
// saved under a minor number only with an override and its reason (which the audit log keeps), the history's
// timeline and per-prompt filter, the comparison of the two versions (changed prompt, parameter table, Monaco diff
// editor side by side and inline, next change), and a restore of the first version that keeps the draft as a
// snapshot.
//
// Typing in Monaco: see editor.spec.ts (insertText, then what Monaco auto-closed after the cursor is cut).
import { join } from 'node:path';
import { openWorkspace } from '../main/store/workspace';
import { createProjectAndSet, createPrompt, templateInput, typeInEditor } from './support/editing';
import { expect, shot, test } from './support/studio';

test('save two versions, compare them side by side and inline, restore the first', async ({ page, studio }) => {
  await createProjectAndSet(page, 'e2e-versions', 'release');
  await createPrompt(page, 'greeting');
  await page.waitForFunction(() => performance.getEntriesByName('anvil:editor-ready').length > 0);
  await typeInEditor(page, 'Hello there');
  const preview = page.getByLabel('Preview', { exact: true });
  await expect(preview).toHaveText('Hello there');
  const setId = await page.locator('.set-editor').getAttribute('data-set-id');
  expect(setId).toBeTruthy();

  // 1.0.0: the first version, compared with the empty set (a prompt was added: minor).
  await templateInput(page).focus();
  await page.keyboard.press('Control+s');
  const dialog = page.getByRole('dialog', { name: 'Save version' });
  await expect(dialog.getByLabel('Version')).toHaveValue('1.0.0');
  await expect(dialog.getByRole('list', { name: 'Reasons' })).toContainText('prompt greeting was added');
  await dialog.getByLabel('Changelog').fill('First greeting');
  await dialog.getByRole('button', { name: 'Save version', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('release 1.0.0')).toBeVisible();

  // A new text using a parameter, declared: a required parameter added is a breaking (major) change.
  await templateInput(page).focus();
  await page.keyboard.press('Control+a');
  await typeInEditor(page, 'Hello {{ tone }} friend,\nwelcome back.');
  const parameters = page.getByRole('region', { name: 'Parameters' });
  await parameters.getByRole('button', { name: 'Declare tone' }).click();
  await expect(parameters.getByRole('listitem', { name: 'Parameter tone' })).toBeVisible();

  await templateInput(page).focus();
  await page.keyboard.press('Control+s');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Version')).toHaveValue('2.0.0');
  await expect(dialog.getByText('Major', { exact: true })).toBeVisible();
  const reasons = dialog.getByRole('list', { name: 'Reasons' });
  await expect(reasons).toContainText('greeting: required parameter tone was added');
  await expect(reasons).toContainText('greeting: template text changed');
  await shot(page, 'versions-save-dialog');

  // Under a minor number it is refused in place, until the override box is ticked and a reason given.
  await dialog.getByLabel('Version').fill('1.0.0');
  await expect(dialog.getByRole('alert')).toContainText('already exists');
  await dialog.getByLabel('Version').fill('1.1.0');
  await expect(dialog.getByRole('alert')).toContainText('not a major step from 1.0.0');
  await expect(dialog.getByLabel('Version')).toHaveAttribute('aria-invalid', 'true');
  const save = dialog.getByRole('button', { name: 'Save version', exact: true });
  await expect(save).toBeDisabled();
  await dialog.getByRole('checkbox', { name: /Publish this breaking change as 1\.1\.0 anyway/ }).check();
  await expect(save).toBeDisabled();
  const why = 'every caller already sends tone';
  await dialog.getByLabel('Reason for the override').fill(why);
  await expect(dialog.getByRole('alert')).toBeHidden();
  await shot(page, 'versions-save-dialog-override');
  await dialog.getByLabel('Changelog').fill('Greeting takes a tone');
  await save.click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('release 1.1.0')).toBeVisible();

  // History: the draft on top, then the versions newest first with their class, changelog and override.
  await page.getByRole('link', { name: 'History', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
  const timeline = page.getByRole('list', { name: 'Versions' });
  await expect(timeline.getByRole('listitem', { name: 'Draft' })).toContainText('Same as 1.1.0');
  const v110 = timeline.getByRole('listitem', { name: 'Version 1.1.0' });
  await expect(v110).toContainText('Major');
  await expect(v110).toContainText('Greeting takes a tone');
  await expect(v110.getByRole('note')).toContainText(why);
  await expect(timeline.getByRole('listitem', { name: 'Version 1.0.0' })).toContainText('First greeting');
  await expect(timeline.getByRole('listitem')).toHaveCount(3);
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText('release');

  // Per prompt: greeting changed in both versions.
  await page.getByLabel('Prompt', { exact: true }).selectOption({ label: 'greeting' });
  await expect(page.getByText('2 of 2 versions changed greeting')).toBeVisible();
  await expect(v110).toContainText('greeting changed');
  await shot(page, 'versions-history');
  await page.getByLabel('Prompt', { exact: true }).selectOption({ label: 'All prompts' });

  // Compare 1.1.0 with the version before it.
  await v110.getByRole('button', { name: 'Compare 1.1.0 with previous' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Compare 1.0.0 → 1.1.0' })).toBeVisible();
  const summary = page.getByRole('region', { name: 'Summary' });
  await expect(summary.getByRole('list', { name: 'Prompt counts' })).toContainText('1 changed');
  await expect(summary).toContainText('Major');
  // Computed off the page's thread.
  expect(page.workers().some((w) => w.url().includes('compare.worker'))).toBe(true);
  const changed = page.getByRole('region', { name: 'Prompt greeting' });
  await expect(changed).toContainText('changed');
  const table = changed.getByRole('table', { name: 'Parameter changes of greeting' });
  await expect(table.getByRole('row', { name: /tone/ })).toContainText('added');
  await expect(table.getByRole('row', { name: /tone/ })).toContainText('string');
  const diff = changed.getByRole('group', { name: 'Diff: greeting, 1.0.0 → greeting, 1.1.0' });
  await expect(diff).toHaveAttribute('data-layout', 'side-by-side');
  await expect(diff.locator('.monaco-diff-editor')).toBeVisible();
  const originalWidth = () => diff.locator('.editor.original').evaluate((e) => e.getBoundingClientRect().width);
  await expect.poll(originalWidth).toBeGreaterThan(200);
  // Liquid, highlighted with the studio's editor theme.
  await expect(diff.locator('.editor.modified')).toHaveAttribute('data-mode-id', 'anvil-liquid');
  await expect(diff.locator('.editor.modified .view-lines')).toContainText('welcome back.');
  const next = page.getByRole('button', { name: 'Next change' });
  await expect(next).toBeEnabled();
  await shot(page, 'versions-compare-side-by-side');

  // Inline, remembered; next change (Alt+F5) moves the cursor there and says where.
  await page.getByRole('button', { name: 'Show inline' }).click();
  await expect(diff).toHaveAttribute('data-layout', 'inline');
  // Inline: the original side is only its line-number gutter; the modified side shows both.
  await expect.poll(originalWidth).toBeLessThan(60);
  await expect(diff.locator('.editor.modified .view-lines.line-delete')).toContainText('Hello there');
  await page.keyboard.press('Alt+F5');
  await expect(page.getByRole('toolbar', { name: 'Comparison' }).getByRole('status')).toHaveText(
    /^Change 1 of \d+ \(greeting\)$/,
  );
  await shot(page, 'versions-compare-inline');
  await page.reload();
  await expect(page.getByRole('group', { name: /^Diff: greeting/ })).toHaveAttribute('data-layout', 'inline');
  await page.getByRole('button', { name: 'Show side by side' }).click();

  // The draft against 1.0.0 from the pickers.
  await page.getByLabel('To', { exact: true }).selectOption('draft');
  await expect(page.getByRole('heading', { level: 1, name: 'Compare 1.0.0 → Draft' })).toBeVisible();

  // Restore 1.0.0: confirmed, the draft kept as a snapshot, and the editor shows the old text.
  await page.getByRole('link', { name: 'History', exact: true }).first().click();
  await timeline
    .getByRole('listitem', { name: 'Version 1.0.0' })
    .getByRole('button', { name: 'Restore 1.0.0…' })
    .click();
  const confirm = page.getByRole('dialog', { name: 'Restore version 1.0.0?' });
  await expect(confirm).toContainText('kept first as an automatic snapshot');
  await confirm.getByRole('button', { name: 'Restore 1.0.0' }).click();
  await expect(page.getByText('Restored version 1.0.0')).toBeVisible();
  await expect(page.getByLabel('Preview', { exact: true })).toHaveText('Hello there');
  await expect(
    page.getByRole('region', { name: 'Parameters' }).getByRole('listitem', { name: 'Parameter tone' }),
  ).toHaveCount(0);

  await page.getByRole('link', { name: 'History', exact: true }).click();
  await expect(timeline.getByRole('listitem', { name: 'Draft' })).toContainText(
    'Unsaved changes since 1.1.0 (same content as 1.0.0)',
  );
  const snapshots = page.getByRole('list', { name: 'Snapshots' });
  await expect(snapshots.getByRole('listitem')).toHaveCount(1);
  await expect(snapshots).toContainText('restore of version 1.0.0');
  await shot(page, 'versions-history-after-restore');

  // The snapshot puts the replaced draft back (itself keeping the draft it replaces).
  await snapshots.getByRole('button', { name: 'Restore the snapshot taken before restore of version 1.0.0…' }).click();
  await page
    .getByRole('dialog', { name: 'Restore this snapshot?' })
    .getByRole('button', { name: 'Restore snapshot' })
    .click();
  await expect(page.getByText('Restored the snapshot')).toBeVisible();
  await expect(page.getByLabel('Preview', { exact: true })).toHaveText(/^Hello .* friend,\s*welcome back\.$/);

  // The store kept the override with the version and in the audit log, and audited the restore.
  await studio.stop();
  const ws = await openWorkspace({ file: join(studio.dataDir, 'workspace.db'), actor: 'e2e-check' });
  try {
    const audit = await ws.audit.list({ entityId: setId ?? '' });
    const saved = audit.find((e) => e.action === 'version.save' && e.details.version === '1.1.0');
    expect(saved?.details).toMatchObject({ override: why, changeClass: 'major' });
    expect(audit.some((e) => e.action === 'version.restore' && e.details.version === '1.0.0')).toBe(true);
    expect(audit.filter((e) => e.action === 'draft.snapshot')).toHaveLength(2);
    const [latest] = await ws.versions.list({ setId: setId ?? '' });
    expect(latest).toMatchObject({ version: '1.1.0', override: why });
  } finally {
    await ws.close();
  }
});

test('a chat prompt compared message by message; history and comparison from the palette', async ({ page }) => {
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  await page.getByRole('link', { name: 'acme', exact: true }).click();
  await page.getByRole('link', { name: 'triage', exact: true }).click();
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByText('classify')).toBeVisible();

  await page.keyboard.press('Control+k');
  await page.keyboard.type('open history');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
  const timeline = page.getByRole('list', { name: 'Versions' });
  await expect(timeline.getByRole('listitem', { name: /^Version / })).toHaveCount(3);

  // Any two, picked in the timeline: the older one on the left whatever the order of picking.
  await page.getByRole('checkbox', { name: 'Select 1.1.1 for comparison' }).check();
  await page.getByRole('checkbox', { name: 'Select 1.0.0 for comparison' }).check();
  await page.getByRole('button', { name: 'Compare selected (2/2)' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Compare 1.0.0 → 1.1.1' })).toBeVisible();
  await page.goBack();
  await timeline
    .getByRole('listitem', { name: 'Version 1.1.0' })
    .getByRole('button', { name: 'Compare 1.1.0 with previous' })
    .click();

  // Message by message: only the user message changed; the new parameter is in the table with its enum.
  const classify = page.getByRole('region', { name: 'Prompt classify' });
  const messages = classify.getByRole('list', { name: 'Messages of classify' });
  await expect(messages.getByRole('listitem', { name: 'Message 1 (system)' })).toContainText('unchanged');
  const user = messages.getByRole('listitem', { name: 'Message 3 (user)' });
  await expect(user).toContainText('changed');
  await expect(user.getByRole('group', { name: /^Diff: classify Message 3 \(user\), 1\.0\.0/ })).toBeVisible();
  await expect(user.locator('.editor.modified .view-lines').first()).toContainText('customer_tier');
  const table = classify.getByRole('table', { name: 'Parameter changes of classify' });
  await expect(table.getByRole('row', { name: /customer_tier/ })).toContainText('"free", "pro", "enterprise"');
  await shot(page, 'versions-compare-chat');
  await page.getByRole('button', { name: /Switch to (dark|light) theme/ }).click();
  await shot(page, 'versions-compare-chat-other-theme');

  // 1.1.0 → 1.1.1 changed only the model settings: the metadata table says so.
  await page.getByLabel('From', { exact: true }).selectOption('1.1.0');
  await page.getByLabel('To', { exact: true }).selectOption('1.1.1');
  await expect(page.getByRole('heading', { level: 1, name: 'Compare 1.1.0 → 1.1.1' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Metadata changes of classify' })).toContainText('model');

  // "Compare versions…" from the editor: the latest version against the draft.
  await page.getByRole('link', { name: 'Open editor' }).click();
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByText('classify')).toBeVisible();
  await page.keyboard.press('Control+k');
  await page.keyboard.type('compare versions');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Compare 1.1.1 → Draft' })).toBeVisible();
  await expect(page.getByText('Both sides have the same prompts and text.')).toBeVisible();
});

test('a text replaced wholesale is shown whole on both sides, not as a diff', async ({ page }) => {
  await createProjectAndSet(page, 'e2e-replaced', 'rewrite');
  await createPrompt(page, 'long');
  await page.waitForFunction(() => performance.getEntriesByName('anvil:editor-ready').length > 0);
  const lines = (word: string) => Array.from({ length: 700 }, (_, i) => `${word} line ${i}`).join('\n');
  await typeInEditor(page, lines('old'));
  await page.keyboard.press('Control+s');
  const dialog = page.getByRole('dialog', { name: 'Save version' });
  await expect(dialog.getByLabel('Version')).toHaveValue('1.0.0');
  await dialog.getByRole('button', { name: 'Save version', exact: true }).click();
  await expect(dialog).toBeHidden();

  // 700 lines, none in common: beyond the diff's edit-length bound.
  await templateInput(page).focus();
  await page.keyboard.press('Control+a');
  await typeInEditor(page, lines('new'));
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();
  await page.keyboard.press('Control+k');
  await page.keyboard.type('compare versions');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Compare 1.0.0 → Draft' })).toBeVisible();
  const prompt = page.getByRole('region', { name: 'Prompt long' });
  await expect(prompt.getByRole('note')).toContainText('Replaced');
  await expect(prompt.getByLabel('long, 1.0.0 (whole text)')).toContainText('old line 699');
  await expect(prompt.getByLabel('long, Draft (whole text)')).toContainText('new line 699');
  await expect(prompt.locator('.monaco-diff-editor')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Summary' })).toContainText('+700 −700 lines');
});
