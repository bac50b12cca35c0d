import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CLI = fileURLToPath(new URL('./anvil.ts', import.meta.url));
// tsx by its full path: a child started in another folder (a consumer project) cannot resolve it by name.
const TSX = pathToFileURL(
  join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs'),
).href;

/**
 * `anvil …` as a person runs it; resolves with the exit code (null when a signal ended it: `signal` says which)
 * and both streams, killed if it hangs. `onSpawn` gets the child (to send it a signal).
 */
export function anvil(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; onSpawn?: (child: ChildProcess) => void } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
    });
    options.onSpawn?.(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    // 'close', not 'exit': both streams are read to their end.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err: err.replace(/^npm warn.*\n/gm, '') });
    });
  });
}
