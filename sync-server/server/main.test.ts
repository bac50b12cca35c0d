import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseServeArgs } from './args';
import { SYNC_PROTOCOL_VERSION } from './protocol';
import type { TestClient } from './testing';
import { connect, removeDirs, tempDir } from './testing';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const dirs: string[] = [];
let child: ChildProcess | undefined;
let client: TestClient | undefined;

afterEach(() => {
  client?.close();
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  removeDirs(dirs);
});

describe('parseServeArgs', () => {
  it('reads port, data and host, with defaults', () => {
    expect(parseServeArgs(['--port', '4000', '--data', '/d'])).toEqual({
      port: 4000,
      host: '127.0.0.1',
      dataDir: '/d',
    });
    expect(parseServeArgs(['--data', '/d', '--host', '::1'])).toEqual({ port: 0, host: '::1', dataDir: '/d' });
  });

  it('refuses bad arguments with a coded error', () => {
    for (const argv of [[], ['--port', 'x', '--data', '/d'], ['--data'], ['--verbose', 'yes', '--data', '/d']]) {
      expect(() => parseServeArgs(argv)).toThrow(expect.objectContaining({ code: 'invalid_arguments' }));
    }
  });
});

describe('main.ts', () => {
  it('starts, prints its URL, serves, and exits 0 on SIGTERM', { timeout: 20_000 }, async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--data', tempDir(dirs)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ANVIL_SYNC_TOKEN: 'secret-token' },
    });
    child = proc;
    let stderr = '';
    proc.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      proc.stdout.setEncoding('utf8').on('data', (c: string) => {
        out += c;
        const m = /listening on (ws:\/\/\S+)/.exec(out);
        if (m) resolve(m[1] as string);
      });
      proc.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    const health = await fetch(`${url.replace('ws:', 'http:')}/healthz`);
    expect(await health.json()).toEqual({ ok: true, protocol: SYNC_PROTOCOL_VERSION });
    client = connect(url, 'doc-1', 'secret-token');
    await client.ready;
    const intruder = connect(url, 'doc-1', 'wrong-token');
    await expect(intruder.ready).rejects.toThrow(/unknown/);
    intruder.close();
    const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stderr).not.toContain('secret-token');
  });
});
