import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

/**
 * The launcher as `npm start` runs it: a child process (`node --import tsx main/launch/studio.ts`), its output
 * read line by line. ANVIL_NO_BUILD keeps it from starting a Vite build; ANVIL_NO_ELECTRON_DOWNLOAD and an
 * ELECTRON_OVERRIDE_DIST_PATH that points nowhere make "no Electron here" true on any machine.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'anvil-launch-'));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

interface Launched {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first match of `pattern` in the output (stdout and stderr together). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function launch(args: string[], env: NodeJS.ProcessEnv = {}): Launched {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'main', 'launch', 'studio.ts'), ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      ANVIL_NO_BUILD: '1',
      ANVIL_NO_ELECTRON_DOWNLOAD: '1',
      ELECTRON_OVERRIDE_DIST_PATH: join(base, 'no-electron-here'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => text,
    exited,
    waitFor: (pattern, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = text.match(pattern);
          if (!m) return false;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(m);
          return true;
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`No ${String(pattern)} within ${timeoutMs} ms. Output:\n${text}`));
        }, timeoutMs);
        listeners.add(check);
        if (!check()) void exited.then(() => setTimeout(check, 50));
      }),
  };
}

/** A GET with a chosen Host header (fetch would not let us set it). */
function get(url: string, host?: string): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: host ? { Host: host } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('npm start (the launcher)', () => {
  it('--web serves the studio on 127.0.0.1 with its secret, refuses other hosts, and stops cleanly on SIGTERM', async () => {
    const data = join(base, 'web');
    const studio = launch(['--web', '--port', '0', '--data', data]);
    const [, url] = (await studio.waitFor(/^ANVIL_STUDIO_URL=(\S+)$/m)) as [string, string];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
    expect(studio.output()).toContain(`Data folder: ${data}`);
    expect(studio.output()).toContain('Ctrl+C to stop.');
    expect(studio.output()).not.toMatch(/desktop app cannot start/);

    const page = await get(url);
    // 503 ("not built") only while something else is rebuilding out/renderer at this very moment.
    expect([200, 503]).toContain(page.status);
    expect(page.headers['content-security-policy']).toMatch(/default-src/);
    const { port } = new URL(url);
    expect((await get(url, `evil.example:${port}`)).status).toBe(403);

    studio.child.kill('SIGTERM');
    expect(await studio.exited).toEqual({ code: 0, signal: null });
    expect(studio.output()).toContain('Stopped.');
    expect(existsSync(join(data, 'workspace.db'))).toBe(true);
  });

  it('without --web, where Electron cannot run, says why in one line and serves the browser studio', async () => {
    // A display, so the reason is the missing binary (as on a desktop machine that skipped the download).
    const studio = launch(['--port', '0', '--data', join(base, 'fallback')], { DISPLAY: ':99' });
    await studio.waitFor(/^ANVIL_STUDIO_URL=/m);
    expect(studio.output()).toContain(
      "The desktop app cannot start here: Electron's binary is not installed (ANVIL_NO_ELECTRON_DOWNLOAD is set, " +
        'so it was not downloaded). Serving the studio in your browser instead.\n',
    );
    studio.child.kill('SIGINT');
    expect(await studio.exited, JSON.stringify(studio.output())).toEqual({ code: 0, signal: null });
  });

  it('exits 2 with one clear line when the given port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const studio = launch(['--web', '--port', String(port), '--data', join(base, 'taken')]);
      expect((await studio.exited).code).toBe(2);
      expect(studio.output()).toContain(`Port ${port} on 127.0.0.1 is taken`);
      expect(studio.output()).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('refuses a second studio on the same data folder, pointing at the first', async () => {
    const data = join(base, 'shared-folder');
    const first = launch(['--web', '--port', '0', '--data', data]);
    const [, url] = (await first.waitFor(/^ANVIL_STUDIO_URL=(\S+)$/m)) as [string, string];
    const second = launch(['--web', '--port', '0', '--data', data]);
    expect((await second.exited).code).toBe(2);
    expect(second.output()).toContain(`is serving the data folder ${data} at ${url}: open that one`);
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    expect(existsSync(join(data, 'studio.lock'))).toBe(false);
  });

  it('exits 2 for bad arguments and a data folder that cannot be written, without a stack trace', async () => {
    const bad = launch(['--colour']);
    expect((await bad.exited).code).toBe(2);
    expect(bad.output()).toMatch(/Unknown option '--colour'.*\n.*--help/);

    const file = join(base, 'a-file');
    writeFileSync(file, '');
    const unwritable = launch(['--web', '--data', join(file, 'data')]);
    expect((await unwritable.exited).code).toBe(2);
    expect(unwritable.output()).toContain('cannot be written (ENOTDIR)');
    expect(unwritable.output()).not.toMatch(/\n\s+at /);
  });

  it('--help prints the usage and exits 0', async () => {
    const help = launch(['--help']);
    expect((await help.exited).code).toBe(0);
    expect(help.output()).toMatch(/^Usage: npm start -- \[options\]/);
  });
});
