// What the editor's end-to-end tests share: making a project, a set and prompts through the UI, and typing into
// Monaco (which auto-closes `{{`, `{%`, brackets and quotes: `insertText` puts a whole string in as one input, and
// what was auto-closed after the cursor anyway is cut with Shift+Ctrl+End, Delete).
import type { Locator, Page } from '@playwright/test';
import { expect } from './studio';

/** The editor of the open text prompt (Monaco's textarea carries the accessible name). */
export const templateInput = (page: Page): Locator => page.locator('.editor-pane .monaco-editor textarea').first();

/** Types `text` at the cursor of the focused Monaco editor, dropping whatever Monaco auto-closed after it. */
export async function typeInEditor(page: Page, text: string): Promise<void> {
  await page.keyboard.insertText(text);
  await page.keyboard.press('Shift+Control+End');
  await page.keyboard.press('Delete');
}

export async function createProjectAndSet(page: Page, project: string, set: string): Promise<void> {
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  await page.getByRole('button', { name: 'New project' }).first().click();
  await page.getByLabel('Project name').fill(project);
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('button', { name: 'New prompt set' }).click();
  await page.getByLabel('Prompt set name').fill(set);
  await page.getByRole('button', { name: 'Create prompt set' }).click();
  await expect(page.getByText('This set has no prompts yet.')).toBeVisible();
}

/** "New prompt" (or "New chat prompt") in the list, then the name typed into the row's rename field. */
export async function createPrompt(page: Page, name: string, kind: 'text' | 'chat' = 'text'): Promise<void> {
  const list = page.getByRole('navigation', { name: 'Prompts' });
  await list.getByRole('button', { name: kind === 'chat' ? 'New chat prompt' : 'New prompt', exact: true }).click();
  const field = page.getByLabel('Prompt name');
  await field.fill(name);
  await field.press('Enter');
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByText(name, { exact: true })).toBeVisible();
  await expect(list.getByRole('button', { name: new RegExp(`prompt ${name}$`) })).toHaveAttribute(
    'aria-current',
    'page',
  );
  // Naming a new prompt leaves the cursor in its (first) editor.
  await expect(page.locator('.editor-pane .monaco-editor textarea').first()).toBeFocused();
}
