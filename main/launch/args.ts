import { parseArgs } from 'node:util';
import { resolve } from 'node:path';

/** What `npm start` / `anvil studio` accept. */
export interface LaunchArgs {
  help: boolean;
  /** Serve the studio to a browser instead of opening the desktop app. */
  web: boolean;
  /** Browser mode's port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** The port was given: if it is taken, that is an error rather than a quiet move to a free one. */
  portGiven: boolean;
  /** Absolute; absent means the platform's default (`defaultDataDir`). */
  dataDir?: string;
}

export const DEFAULT_PORT = 5219;

export const USAGE = `Usage: npm start -- [options]   (or: npx anvil studio [options])

Starts the Anvil studio: the desktop app where Electron can run, otherwise the same studio in your browser.

Options:
  --web          Serve the studio to a browser on 127.0.0.1 instead of opening the desktop app.
  --port N       The browser mode's port (default ${DEFAULT_PORT}, or a free one if taken; 0: any free port).
  --data DIR     Keep the workspace in DIR (default: the app's user-data folder, e.g. ~/.config/Anvil).
  --help         Show this help.
`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parse the launcher's arguments; anything unknown or malformed is a `UsageError` naming the problem. */
export function parseLaunchArgs(argv: readonly string[], cwd: string): LaunchArgs {
  let values: { help?: boolean; web?: boolean; port?: string; data?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        help: { type: 'boolean', short: 'h' },
        web: { type: 'boolean' },
        port: { type: 'string' },
        data: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional.*$/s, '.'));
  }
  let port = DEFAULT_PORT;
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535)
      throw new UsageError(`--port must be a whole number from 0 to 65535, not ${JSON.stringify(values.port)}.`);
    port = Number(values.port);
  }
  if (values.data !== undefined && values.data.trim() === '')
    throw new UsageError('--data needs a folder, for example --data ./anvil-data.');
  return {
    help: values.help === true,
    web: values.web === true,
    port,
    portGiven: values.port !== undefined,
    ...(values.data !== undefined ? { dataDir: resolve(cwd, values.data) } : {}),
  };
}
