import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('./anvil.ts', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** `anvil …` as a person runs it, with the page build skipped (the launcher's own tests cover it). */
function anvil(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, ANVIL_NO_BUILD: '1', ANVIL_NO_ELECTRON_DOWNLOAD: '1' },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, output: () => output };
}

describe('anvil studio', () => {
  it('serves the browser studio with the launcher, and stops cleanly on SIGTERM', async () => {
    const data = mkdtempSync(join(tmpdir(), 'anvil-cli-'));
    dirs.push(data);
    const run = anvil(['studio', '--web', '--port', '0', '--data', data]);
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address in: ${run.output()}`)), 30_000);
      const look = () => {
        const m = /^ANVIL_STUDIO_URL=(\S+)$/m.exec(run.output());
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        } else setTimeout(look, 50);
      };
      look();
    });
    // The launcher's server answers (200, or 503 "not built" on a fresh clone: vitest runs before the page build,
    // and ANVIL_NO_BUILD keeps this test from starting one), with the studio's CSP either way.
    const page = await fetch(url);
    expect([200, 503]).toContain(page.status);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  }, 60_000);

  it('passes the launcher its options: a bad one exits 2 with its one-line reason', async () => {
    const run = anvil(['studio', '--port', 'abc']);
    expect(await run.exit).toBe(2);
    expect(run.output()).toContain('--port must be a whole number');
  }, 30_000);

  it('an unknown command is a usage error: exits 1 and shows the help', async () => {
    const run = anvil(['nope']);
    expect(await run.exit).toBe(1);
    expect(run.output()).toContain("unknown command 'nope'");
    expect(run.output()).toContain('studio');
  }, 30_000);
});
