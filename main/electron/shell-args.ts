import { parseArgs } from 'node:util';
import { isAbsolute, resolve } from 'node:path';

/** What the desktop shell reads from its command line (the launcher passes both; a packaged app neither). */
export interface ShellArgs {
  dataDir?: string;
  /** A better-sqlite3 addon built for this Electron (`main/launch/native.ts`); absent in a packaged app. */
  nativeBinding?: string;
}

/**
 * Electron's `process.argv` holds the executable, then (when run as `electron main.cjs`) the script, then our
 * options mixed with whatever Chromium switches the user or the OS added: unknown options are ignored, not
 * errors. `defaultApp` is Electron's `process.defaultApp` (true when started as `electron <script>`).
 */
export function parseShellArgs(argv: readonly string[], defaultApp: boolean, cwd: string): ShellArgs {
  const { values } = parseArgs({
    args: argv.slice(defaultApp ? 2 : 1),
    options: { data: { type: 'string' }, 'native-binding': { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  const data = text(values.data);
  const binding = text(values['native-binding']);
  return {
    ...(data ? { dataDir: resolve(cwd, data) } : {}),
    ...(binding && isAbsolute(binding) ? { nativeBinding: binding } : {}),
  };
}
