import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { UsageBatchResult, UsageSeries } from '../../shared/usage/types';
import { USAGE_PATHS } from '../../shared/usage/types';
import { removeDirs, startMain, tempDir } from '../server/testing';
import { USAGE_FILE } from './schema';
import { render } from './testing';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'server', 'main.ts');
const dirs: string[] = [];
let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  removeDirs(dirs);
});

describe('anvil serve', () => {
  it('serves usage from <data>/usage.db and closes it on SIGTERM', { timeout: 20_000 }, async () => {
    const dataDir = tempDir(dirs);
    const main = await startMain(MAIN, dataDir);
    child = main.proc;
    const http = main.url.replace('ws:', 'http:');
    const headers = { authorization: `Bearer ${main.adminToken as string}`, 'content-type': 'application/json' };
    const now = Date.now();
    const posted = await fetch(`${http}${USAGE_PATHS.events}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ client: 'test', events: [render({ at: now, name: '@acme/none' })], dropped: 0 }),
    });
    expect(posted.status).toBe(200);
    const result = (await posted.json()) as UsageBatchResult;
    expect(result.rejected.map((r) => r.code)).toEqual(['unknown_package']);
    const series = await fetch(`${http}${USAGE_PATHS.series}?from=${now}&to=${now + 1}`, { headers });
    expect(series.status).toBe(200);
    expect(((await series.json()) as UsageSeries).points).toHaveLength(1);
    expect(existsSync(join(dataDir, USAGE_FILE))).toBe(true);
    const exited = new Promise<number | null>((resolve) => main.proc.on('exit', (code) => resolve(code)));
    main.proc.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
