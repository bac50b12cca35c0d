import type { Page } from '@playwright/test';
import { test as base, expect } from '@playwright/test';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStudioHost } from '../../main/studio/host';
import { startWebServer } from '../../main/web/server';
import { RENDERER_ENV } from './global-setup';

export { expect };

/** A browser-mode studio serving one workspace. */
export interface RunningStudio {
  /** Open this in the page: it carries the launch's token (the page keeps it in sessionStorage). */
  url: string;
  dataDir: string;
  /** Stops serving, then closes the workspace after its last group commit. Safe to call twice. */
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The run's copy of the renderer (see global-setup.ts), else out/renderer (startStudio outside Playwright). */
const rendererDir = (): string => process.env[RENDERER_ENV] ?? join(ROOT, 'out', 'renderer');
const SCREENS_DIR = join(ROOT, 'test-results', 'screens');

/** Studios started and not yet stopped: the fixture stops what a test left running (e.g. after a restart). */
const running = new Set<RunningStudio>();

/**
 * A data folder with the demo seeded by the real first launch (createStudioHost with seed), made once per
 * worker process: seeding takes about two seconds, copying the closed database a few milliseconds.
 */
let seededTemplate: Promise<string> | undefined;

function demoTemplate(): Promise<string> {
  seededTemplate ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anvil-e2e-demo-'));
    const host = await createStudioHost({ dataDir: dir, mode: 'web', actor: 'e2e' });
    await host.close();
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  })();
  return seededTemplate;
}

/**
 * Starts the browser-mode studio in this process (the real StudioHost and web server, as `anvil --web` runs
 * them) on a free 127.0.0.1 port. Without `dataDir` a fresh temp folder is made (the caller removes it) and,
 * unless `seed` is false, holds the demo as a first launch leaves it (a copy of one seeded per worker). With
 * `dataDir`, that folder is opened as it is (a restart), seeded only if it is a new workspace and `seed` is
 * not false. The group-commit delay is the production one: the tests see saves exactly as people do.
 */
export async function startStudio(opts: { dataDir?: string; seed?: boolean } = {}): Promise<RunningStudio> {
  let dataDir = opts.dataDir;
  if (dataDir === undefined) {
    dataDir = mkdtempSync(join(tmpdir(), 'anvil-e2e-'));
    if (opts.seed !== false) cpSync(await demoTemplate(), dataDir, { recursive: true });
  }
  mkdirSync(dataDir, { recursive: true });
  const host = await createStudioHost({
    dataDir,
    mode: 'web',
    actor: 'e2e',
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  });
  let server: Awaited<ReturnType<typeof startWebServer>>;
  try {
    server = await startWebServer({ host, rendererDir: rendererDir() });
  } catch (err) {
    await host.close();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  const studio: RunningStudio = {
    url: server.url,
    dataDir,
    stop() {
      stopping ??= (async () => {
        running.delete(studio);
        try {
          await server.close();
        } finally {
          await host.close();
        }
      })();
      return stopping;
    },
  };
  running.add(studio);
  return studio;
}

/** Opens `url` and waits until the shell (main navigation and the screen's title) is on screen. */
export async function openStudio(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByRole('main').getByRole('heading', { level: 1 })).toBeVisible();
}

/** Full-page screenshot to `test-results/screens/<name>.png`, kept for reviewers. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENS_DIR, `${name}.png`), fullPage: true, animations: 'disabled' });
}

/**
 * Playwright's `test` with a `studio` fixture (a fresh temp data folder with the demo seeded, stopped after the
 * test; the folder is kept when the test failed, and its path attached to the report) and `page` already at
 * `studio.url` with the shell loaded. An uncaught error in the page fails the test (printed and attached).
 */
export const test = base.extend<{ studio: RunningStudio }>({
  // Playwright reads the fixtures a fixture needs from its first argument's pattern: this one needs none.
  // eslint-disable-next-line no-empty-pattern
  studio: async ({}, use, testInfo) => {
    const studio = await startStudio();
    try {
      await use(studio);
    } finally {
      for (const other of [...running]) await other.stop();
      await studio.stop();
      if (testInfo.status === testInfo.expectedStatus) rmSync(studio.dataDir, { recursive: true, force: true });
      else await testInfo.attach('data folder (kept)', { body: studio.dataDir, contentType: 'text/plain' });
    }
  },
  page: async ({ page, studio }, use, testInfo) => {
    const errors: string[] = [];
    page.on('pageerror', (err) => {
      errors.push(err.stack ?? err.message);
      console.error(`[page error] ${err.message}`);
    });
    await openStudio(page, studio.url);
    await use(page);
    if (errors.length > 0) {
      await testInfo.attach('page errors', { body: errors.join('\n\n'), contentType: 'text/plain' });
      // An exception nobody caught is a bug even when every assertion held.
      if (testInfo.status === testInfo.expectedStatus)
        throw new Error(`Uncaught errors in the page:\n${errors.join('\n\n')}`);
    }
  },
});
