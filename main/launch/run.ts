import { spawn } from 'node:child_process';

export interface RunResult {
  code: number | null;
  /** The tail of stdout and stderr together, for a reason to show when it failed. */
  output: string;
  timedOut: boolean;
}

export type Runner = (
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
) => Promise<RunResult>;

/** Run a child process to completion, keeping the last 8 KB of its output; killed after `timeoutMs`. */
export const runProcess: Runner = (command, args, options) =>
  new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8192);
    };
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, output: `${output}${err.message}`, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut });
    });
  });

/**
 * The most telling part of a failed command's output: the first line naming an error (with the lines of its
 * message that follow, as node-gyp wraps them), without the tools' log prefixes; else the last line.
 */
export function failureReason(result: RunResult, what: string): string {
  if (result.timedOut) return `${what} timed out`;
  const lines = result.output
    .split(/\r?\n/)
    .map((l) => l.replace(/^(gyp (ERR!|WARN|info)( stack)?|prebuild-install (warn|info|ERR!?)( \S+)?)\s*/, '').trim())
    .filter(Boolean);
  const first = lines.findIndex((l) => /\b(\w*Error\b|ENOTFOUND|EAI_AGAIN|ECONN\w+|ETIMEDOUT|EACCES|ENOENT)/.test(l));
  let text: string;
  if (first >= 0) {
    const parts = [lines[first] as string];
    for (const next of lines.slice(first + 1, first + 4)) {
      if (/^at\s|^(System|command|cwd|node -v|node-gyp -v|not ok)\b/.test(next)) break;
      parts.push(next);
    }
    text = parts.join(' ');
  } else text = lines.at(-1) ?? `exit code ${String(result.code)}`;
  return `${what} failed: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
}
