import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test-support/chromium';

// End-to-end tests of the browser-mode studio. The system Chromium is used (Playwright never downloads a
// browser here); one worker, because every test starts its own studio on two shared cores. globalSetup builds
// the renderer when out/renderer is missing or older than its sources, so `npx playwright test` works alone.
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // Playwright empties its outputDir at every run; the screenshots of shot() live next to it, in
  // test-results/screens, so a run of one spec file does not wipe the screens of the others.
  // ANVIL_E2E_OUTPUT moves it (two runs at once in one tree would otherwise delete each other's traces).
  outputDir: process.env.ANVIL_E2E_OUTPUT ?? 'test-results/playwright',
  globalSetup: './e2e/support/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['./e2e/support/summary-reporter.ts']],
  use: {
    ...devices['Desktop Chrome'],
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 15_000,
  },
});
