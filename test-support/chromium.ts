/**
 * The system Chromium and the flags it runs with. Playwright's own browser download is unreachable on these
 * machines (and CI installs Chromium with apt), so every launch names this executable. The flags keep
 * Chromium from reaching the network on its own (updates, sync) and from needing a sandbox or a GPU.
 */
export const CHROMIUM_PATH = process.env.ANVIL_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
