import type { Readable, Writable } from 'node:stream';
import { CommanderError } from 'commander';
import type { Command } from 'commander';

/**
 * Where a command reads and writes: the process's streams, folder and environment when run as `anvil`, a
 * test's own when the program runs in-process (so one process can run many commands, each with its own cwd).
 */
export interface CliIO {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable;
  stdin: Readable & { isTTY?: boolean };
  /**
   * Calls `handler` on each Ctrl-C (SIGINT) until the returned function is called; while a handler is set,
   * Ctrl-C does not kill the process. Absent when the program runs in-process (tests).
   */
  onInterrupt?: (handler: () => void) => () => void;
}

export function processIO(): CliIO {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      return () => process.off('SIGINT', handler);
    },
  };
}

/** Exit codes, as client/README.md documents them (130 = 128 + SIGINT, as shells report a Ctrl-C). */
export const EXIT = { ok: 0, usage: 1, failure: 2, interrupted: 130 } as const;

/** Thrown by an action once it has said what went wrong: carries the exit code up to `runProgram`. */
export class CliExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'CliExit';
  }
}

/** A failure a command reports: `code` for `--json`, `message` names what is wrong and where. */
export class CliFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

export const line = (stream: Writable, text = ''): void => {
  stream.write(`${text}\n`);
};

/** Any thrown value as `{ code, message }` (AnvilError, AnvilSdkError and CliFailure keep their code). */
export function errorInfo(err: unknown): { code: string; message: string } {
  if (err instanceof Error && typeof (err as { code?: unknown }).code === 'string')
    return { code: (err as unknown as { code: string }).code, message: err.message };
  return { code: 'internal_error', message: err instanceof Error ? err.message : String(err) };
}

/**
 * Runs one command's work: a failure prints one line to stderr (`anvil <command>: <message>`), and with
 * `--json` also `{ "error": { code, message } }` on stdout, then exits 2 (130 when Ctrl-C stopped it: code
 * `interrupted`).
 */
export async function guarded(io: CliIO, name: string, json: boolean, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (err instanceof CliExit) throw err;
    const info = errorInfo(err);
    line(io.stderr, `anvil ${name}: ${info.message.replace(/\n/g, ' ')}`);
    if (json) line(io.stdout, JSON.stringify({ error: info }));
    throw new CliExit(info.code === 'interrupted' ? EXIT.interrupted : EXIT.failure);
  }
}

/**
 * Parses `args` (without node and the script) and runs the command; resolves with the exit code: 0, 1 for a
 * usage error (commander's: unknown command or option, missing argument, bad value), 2 for a failure.
 */
export async function runProgram(program: Command, args: readonly string[], io: CliIO): Promise<number> {
  try {
    await program.parseAsync([...args], { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CliExit) return err.exitCode;
    if (err instanceof CommanderError) {
      if (err.exitCode !== 0 && args.includes('--json'))
        line(io.stdout, JSON.stringify({ error: { code: err.code, message: err.message.replace(/^error: /, '') } }));
      return err.exitCode;
    }
    const info = errorInfo(err);
    line(io.stderr, `anvil: ${info.message}`);
    if (args.includes('--json')) line(io.stdout, JSON.stringify({ error: info }));
    return EXIT.failure;
  }
}
