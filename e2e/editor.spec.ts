// The prompt set editor end to end, in the browser-mode studio: a project, a set and prompts made through the UI,
// a template typed into Monaco, its parameters and live preview, a broken tag marked in place and listed with its
// line and column, a version saved with Mod+S, and a chat prompt with two messages.
//
// Typing: Monaco auto-closes `{{`, `{%`, brackets and quotes. `insertText` puts a whole string in as one input
// (no per-key auto-closing of most pairs), and what was auto-closed after the cursor anyway is cut with
// Shift+Ctrl+End, Delete. The assertions read the model's text through the preview, never the keystrokes.
import { createProjectAndSet, createPrompt, templateInput, typeInEditor } from './support/editing';
import { expect, shot, test } from './support/studio';

test('a text prompt: parameters, samples, preview, markers, problems and a saved version', async ({ page }) => {
  await createProjectAndSet(page, 'e2e-shop', 'support');
  await createPrompt(page, 'greeting');
  await page.waitForFunction(() => performance.getEntriesByName('anvil:editor-ready').length > 0);
  await typeInEditor(page, 'Hello {{ customer.name }}{% for item in items %}{{ item }}{% endfor %}');

  // The parameters the template reads appear as they are typed, proposed for declaration.
  const parameters = page.getByRole('region', { name: 'Parameters' });
  await expect(parameters.getByText('customer', { exact: true })).toBeVisible();
  await expect(parameters.getByText('items', { exact: true })).toBeVisible();
  await expect(parameters.getByRole('button', { name: 'Declare customer' })).toBeVisible();

  // Sample values (generated until given) drive the preview.
  const preview = page.getByLabel('Preview', { exact: true });
  await page.getByLabel('Sample customer').fill('{"name": "Ada"}');
  await page.getByLabel('Sample items').fill('["tea", "cake"]');
  await page.getByLabel('Sample items').blur();
  await expect(preview).toHaveText('Hello Adateacake');
  await expect(page.getByLabel('Token count', { exact: true })).toHaveText(/\d+ tokens/);

  // One click declares both; they become editable declarations with their inferred types.
  await parameters.getByRole('button', { name: 'Declare all' }).click();
  await expect(parameters.getByRole('listitem', { name: 'Parameter customer' })).toBeVisible();
  await expect(parameters.getByRole('listitem', { name: 'Parameter items' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Problems' })).toContainText('none');
  await shot(page, 'editor-text-prompt');

  // A declared type the template contradicts is a type conflict, fixed in one click.
  await parameters.getByLabel('Type of items', { exact: true }).selectOption('number');
  const useInferred = parameters.getByRole('button', { name: 'Use the inferred type for items' });
  await expect(useInferred).toBeVisible();
  await expect(page.getByRole('region', { name: 'Problems' })).toContainText('1 other');
  await useInferred.click();
  await expect(useInferred).toBeHidden();
  await expect(page.getByRole('region', { name: 'Problems' })).toContainText('none');
  await expect(preview).toHaveText('Hello Adateacake');

  // Mod+S saves a version: 1.0.0 is suggested for the set's first.
  await templateInput(page).focus();
  await page.keyboard.press('Control+s');
  const dialog = page.getByRole('dialog', { name: 'Save version' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Version')).toHaveValue('1.0.0');
  await dialog.getByLabel('Changelog').fill('First greeting');
  await dialog.getByRole('button', { name: 'Save version', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('support 1.0.0')).toBeVisible();

  // A broken tag: marked in the editor and listed with its place once typing pauses; the preview says why.
  await templateInput(page).focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await typeInEditor(page, '{% if %}');
  const problems = page.getByRole('region', { name: 'Problems' });
  await expect(problems).toContainText('1 error');
  const problem = problems.getByRole('button', { name: /^error: .*\(line 2, column \d+\)$/ });
  await expect(problem).toBeVisible();
  await expect(page.locator('.editor-pane .squiggly-error').first()).toBeVisible();
  await expect(preview.getByRole('alert')).toContainText('line 2');
  await shot(page, 'editor-broken-tag');

  // F8 goes to the problem from the start of the template.
  await templateInput(page).focus();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('F8');
  await expect(templateInput(page)).toBeFocused();
  // The cursor's line number is highlighted: the problem is on line 2.
  await expect(page.locator('.editor-pane .monaco-editor .line-numbers.active-line-number')).toHaveText('2');

  // Fixing it clears the problem.
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.press('Delete');
  await page.keyboard.press('Backspace');
  await expect(problems).toContainText('none');
  await expect(preview).toHaveText('Hello Adateacake');
});

test('samples are remembered per prompt, and the preview can be hidden', async ({ page }) => {
  await createProjectAndSet(page, 'e2e-samples', 'notes');
  await createPrompt(page, 'first');
  await typeInEditor(page, 'Dear {{ name }}');
  await page.getByLabel('Sample name').fill('Grace');
  await page.getByLabel('Sample name').blur();
  const preview = page.getByLabel('Preview', { exact: true });
  await expect(preview).toHaveText('Dear Grace');

  await createPrompt(page, 'second');
  await typeInEditor(page, 'Bye {{ name }}');
  await expect(preview).toHaveText('Bye example name');

  // Back to the first prompt: its sample is still there.
  await page
    .getByRole('navigation', { name: 'Prompts' })
    .getByRole('button', { name: /prompt first$/ })
    .click();
  await expect(preview).toHaveText('Dear Grace');

  // Mod+Shift+P hides the preview; the palette (Mod+K) lists the editor's commands and shows it again.
  await page.keyboard.press('Control+Shift+P');
  await expect(page.getByLabel('Preview', { exact: true })).toHaveCount(0);
  await page.keyboard.press('Control+k');
  await page.keyboard.type('show preview');
  await expect(page.getByRole('option', { name: /Show preview/ })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Preview', { exact: true })).toHaveText('Dear Grace');
});

test('a chat prompt with two messages, previewed as messages', async ({ page }) => {
  await createProjectAndSet(page, 'e2e-chat', 'bots');
  await createPrompt(page, 'helper', 'chat');
  const system = page.getByRole('listitem', { name: 'Message 1 (system)' });
  const user = page.getByRole('listitem', { name: 'Message 2 (user)' });
  await expect(system).toBeVisible();
  await expect(user).toBeVisible();

  await system.locator('.monaco-editor textarea').focus();
  await typeInEditor(page, 'You help {{ company }} customers.');
  await user.locator('.monaco-editor textarea').focus();
  await typeInEditor(page, 'Question: {{ question }}');

  const preview = page.getByLabel('Preview', { exact: true });
  await expect(preview.getByRole('listitem')).toHaveCount(2);
  await expect(preview).toContainText('You help example company customers.');
  await expect(preview).toContainText('Question: example question');

  // A broken tag in the second message is placed in that message.
  const broken = ' {% for x in %}';
  await typeInEditor(page, broken);
  const problems = page.getByRole('region', { name: 'Problems' });
  await expect(
    problems.getByRole('button', { name: /^error: .*\(Message 2 \(user\), line 1, column \d+\)$/ }),
  ).toBeVisible();
  await expect(problems).toContainText('1 error');
  // The parameters panel keeps the last good list while the template does not parse.
  const parameters = page.getByRole('region', { name: 'Parameters' });
  await expect(parameters.getByText('question', { exact: true })).toBeVisible();
  await expect(parameters.getByText('company', { exact: true })).toBeVisible();
  for (let i = 0; i < broken.length; i++) await page.keyboard.press('Backspace');
  await expect(problems).toContainText('0 errors');

  // "Add message" adds a third (an assistant turn after a user one) and puts the cursor in it; Remove takes it out.
  await page.getByRole('button', { name: 'Add message' }).click();
  const third = page.getByRole('listitem', { name: 'Message 3 (assistant)' });
  await expect(third.locator('.monaco-editor textarea')).toBeFocused();
  await typeInEditor(page, 'Sure.');
  await expect(preview.getByRole('listitem')).toHaveCount(3);
  await page.getByRole('button', { name: 'Remove message 3' }).click();
  await expect(third).toHaveCount(0);
  await expect(preview.getByRole('listitem')).toHaveCount(2);

  await shot(page, 'editor-chat-prompt');
  await page.getByRole('button', { name: /Switch to (dark|light) theme/ }).click();
  await shot(page, 'editor-chat-prompt-other-theme');
});

test('opening a set without a prompt selects its first prompt; the address opens a prompt', async ({ page }) => {
  await createProjectAndSet(page, 'e2e-address', 'many');
  await createPrompt(page, 'alpha');
  await typeInEditor(page, 'A');
  await createPrompt(page, 'beta');
  await typeInEditor(page, 'B');
  // Only what is durable survives a reload: wait for the save status.
  await expect(page.locator('.save-status')).toHaveText('Saved');
  const url = new URL(page.url());
  const [, , setId, betaId] = url.hash.split('/');
  expect(betaId).toBeTruthy();

  await page.goto(`${url.origin}/#/sets/${setId}`);
  await page.reload();
  await expect(page).toHaveURL(new RegExp(`#/sets/${setId}/[\\w-]+$`));
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText('alpha');
  await expect(page.getByLabel('Preview', { exact: true })).toHaveText('A');

  await page.goto(`${url.origin}/#/sets/${setId}/${betaId}`);
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText('beta');
  await expect(page.getByLabel('Preview', { exact: true })).toHaveText('B');
});

test('the prompt list: rename, duplicate, reorder and delete, from the keyboard and the row menu', async ({ page }) => {
  await createProjectAndSet(page, 'e2e-list', 'ops');
  await createPrompt(page, 'alpha');
  await typeInEditor(page, 'A');
  await createPrompt(page, 'beta');
  const list = page.getByRole('navigation', { name: 'Prompts' });
  const rows = list.locator('.prompt-row-open');
  const row = (name: string) => list.getByRole('button', { name: new RegExp(`prompt ${name}$`) });
  await expect(rows).toHaveText([/alpha$/, /beta$/]);

  // Alt+1 and Alt+2 move between the list (at the open prompt) and the editor; ↑ and Enter open another.
  await page.keyboard.press('Alt+1');
  await expect(row('beta')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(row('alpha')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Preview', { exact: true })).toHaveText('A');
  await page.keyboard.press('Alt+2');
  await expect(templateInput(page)).toBeFocused();

  // F2 renames the focused row.
  await row('alpha').focus();
  await page.keyboard.press('F2');
  await page.getByLabel('Prompt name').fill('first');
  await page.keyboard.press('Enter');
  await expect(rows).toHaveText([/first$/, /beta$/]);

  // The row menu duplicates, and the copy opens.
  await row('first').hover();
  await list.getByRole('button', { name: 'Actions for first' }).click();
  await list.getByRole('menuitem', { name: 'Duplicate' }).click();
  await expect(rows).toHaveCount(3);
  await expect(row('first-copy')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByLabel('Preview', { exact: true })).toHaveText('A');

  // Alt+↑ moves the focused row up.
  await row('beta').focus();
  await page.keyboard.press('Alt+ArrowUp');
  await page.keyboard.press('Alt+ArrowUp');
  await expect(rows.first()).toHaveText(/beta$/);

  // Delete asks first.
  await row('beta').focus();
  await page.keyboard.press('Delete');
  await list.getByRole('group', { name: 'Delete beta?' }).getByRole('button', { name: 'Delete' }).click();
  await expect(rows).toHaveCount(2);
  await expect(row('beta')).toHaveCount(0);
});

test('keys typed just before a reload are kept (pending edits are sent when the page goes)', async ({ page }) => {
  await createProjectAndSet(page, 'e2e-unload', 'quick');
  await createPrompt(page, 'note');
  await typeInEditor(page, 'typed then reloaded');
  await page.reload();
  await expect(page.getByLabel('Preview', { exact: true })).toHaveText('typed then reloaded');
});

test('completion offers the prompt parameters and the allowed filters (demo content)', async ({ page }) => {
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  await page.getByRole('link', { name: 'acme', exact: true }).click();
  await page.getByRole('link', { name: 'common', exact: true }).click();
  // `/sets/:setId` opens the set's first prompt.
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText('header');
  await templateInput(page).focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('{{ pro');
  const suggestions = page.locator('.editor-pane .suggest-widget');
  await expect(suggestions).toContainText('product');
  await page.keyboard.press('Escape');
  await page.keyboard.type(' | up');
  await expect(suggestions).toContainText('upcase');
  await shot(page, 'editor-completion');
});
