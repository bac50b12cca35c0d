// What the studio benchmarks share: a browser-mode studio on a data folder (the same host and server
// `npm start -- --web` runs), an empty page served the same way as the baseline, and Debian's Chromium.
import type { Browser, Page } from '@playwright/test';
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkspace, workspaceFile } from '../main/store/workspace';
import { createStudioHost } from '../main/studio/host';
import { DEFAULT_RENDERER_DIR, startWebServer } from '../main/web/server';
import type { WebStudio } from '../main/web/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test-support/chromium';
import type { Target } from '../test-support/large-workspace';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}

/** The built renderer, built now if missing (benches measure the production bundle, not Vite's dev server). */
export function ensureRendererBuilt(): void {
  if (existsSync(join(DEFAULT_RENDERER_DIR, 'index.html'))) return;
  process.stderr.write('  building the renderer…\n');
  execFileSync('npx', ['vite', 'build', '-c', 'renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
}

export interface BenchStudio {
  studio: WebStudio;
  /** An empty page served by a second server of the same kind: what loading costs with no app in it. */
  empty: WebStudio;
  close(): Promise<void>;
}

export async function startBenchStudio(dataDir: string): Promise<BenchStudio> {
  ensureRendererBuilt();
  const host = await createStudioHost({ dataDir, mode: 'web', actor: 'bench', seed: false });
  const studio = await startWebServer({ host });
  const emptyDir = mkdtempSync(join(tmpdir(), 'anvil-empty-page-'));
  writeFileSync(
    join(emptyDir, 'index.html'),
    '<!doctype html><html><head><title>empty</title></head><body></body></html>',
  );
  const emptyHost = await createStudioHost({
    dataDir: join(emptyDir, 'data'),
    mode: 'web',
    actor: 'bench',
    seed: false,
  });
  const empty = await startWebServer({ host: emptyHost, rendererDir: emptyDir });
  return {
    studio,
    empty,
    async close() {
      await studio.close();
      await host.close();
      await empty.close();
      await emptyHost.close();
      rmSync(emptyDir, { recursive: true, force: true });
    },
  };
}

/** The first prompt of the first set of a project (by name), read straight from the store before the studio opens it. */
export async function findTarget(dataDir: string, projectName?: string): Promise<Target> {
  const ws = await openWorkspace({ file: workspaceFile(dataDir), actor: 'bench' });
  try {
    const projects = await ws.projects.list({});
    const project = projectName ? projects.find((p) => p.name === projectName) : projects[0];
    if (!project) throw new Error(`no project ${projectName ?? ''} in ${dataDir}`);
    const sets = await ws.sets.list({ projectId: project.id });
    const set = sets[0];
    if (!set) throw new Error(`project ${project.name} has no set`);
    const content = await ws.sets.content({ setId: set.id });
    const prompt = content.prompts[0];
    if (!prompt) throw new Error(`set ${set.name} has no prompt`);
    return { setId: set.id, promptId: prompt.id };
  } finally {
    await ws.close();
  }
}

export const editorUrl = (studio: WebStudio, target: Target): string =>
  `${studio.url}#/sets/${target.setId}/${target.promptId}`;

/** Milliseconds from the navigation's start to the editor's `anvil:editor-ready` mark, in a fresh context (cold cache). */
export async function timeToEditor(browser: Browser, url: string): Promise<number> {
  return withPage(browser, async (page) => {
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => performance.getEntriesByName('anvil:editor-ready').length > 0, null, {
      timeout: 30_000,
      polling: 'raf',
    });
    return page.evaluate(() => (performance.getEntriesByName('anvil:editor-ready')[0] as PerformanceEntry).startTime);
  });
}

/** Milliseconds from the navigation's start to the `load` event of a page, in a fresh context. */
export async function timeToLoad(browser: Browser, url: string): Promise<number> {
  return withPage(browser, async (page) => {
    await page.goto(url, { waitUntil: 'load' });
    return page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return nav.loadEventEnd;
    });
  });
}

export async function withPage<T>(browser: Browser, fn: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    return await fn(await context.newPage());
  } finally {
    await context.close();
  }
}
