import { createStudioHost } from '../studio/host';
import { createFileSecretStore } from '../sync/secrets';
import { startWebServer } from '../web/server';
import type { LaunchArgs } from './args';
import { listenOnFirstFree, portCandidates } from './port';

export interface BrowserStudio {
  url: string;
  port: number;
  /** Stop serving, then close the workspace (waits for the last group commit). */
  close(): Promise<void>;
}

export interface BrowserStudioOptions extends Pick<LaunchArgs, 'port' | 'portGiven'> {
  dataDir: string;
  actor: string;
  rendererDir?: string;
  log(line: string): void;
}

/** The browser mode: the workspace in `dataDir` (seeded with the demo on first run) served on 127.0.0.1. */
export async function startBrowserStudio(options: BrowserStudioOptions): Promise<BrowserStudio> {
  const host = await createStudioHost({
    dataDir: options.dataDir,
    mode: 'web',
    actor: options.actor,
    // No OS keychain outside Electron: the token is encrypted with a key kept outside the data folder.
    secrets: createFileSecretStore({ dir: options.dataDir }),
  });
  try {
    const server = await listenOnFirstFree(
      portCandidates(options),
      (port) =>
        startWebServer({
          host,
          port,
          ...(options.rendererDir !== undefined ? { rendererDir: options.rendererDir } : {}),
        }),
      (port) => options.log(`Port ${port} is taken; using a free one.`),
    );
    return {
      url: server.url,
      port: server.port,
      close: async () => {
        try {
          await server.close();
        } finally {
          await host.close();
        }
      },
    };
  } catch (err) {
    await host.close().catch(() => undefined);
    throw err;
  }
}

/** What the person needs to reach the studio, and a line for scripts (`ANVIL_STUDIO_URL=`). */
export function banner(url: string, dataDir: string): string[] {
  return [
    'The Anvil studio is running. Open this address in your browser (it carries this launch’s secret):',
    '',
    `    ${url}`,
    '',
    `Data folder: ${dataDir}`,
    'Ctrl+C to stop.',
    `ANVIL_STUDIO_URL=${url}`,
  ];
}
