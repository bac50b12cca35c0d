// Test helper: the consumer program run in this process, with its own folder, environment and streams.
import { PassThrough, Readable } from 'node:stream';
import type { CliIO } from './io';
import { runProgram } from './io';
import { buildConsumerProgram } from './program';

export interface Ran {
  code: number;
  out: string;
  err: string;
}

/** `anvil …` in-process (a new program each time: commander keeps parsed values on its commands). */
export async function runConsumer(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; stdin?: string; tty?: boolean },
): Promise<Ran> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const io: CliIO = {
    cwd: options.cwd,
    env: options.env ?? {},
    stdout: Object.assign(stdout, { isTTY: options.tty ?? false, columns: 80 }),
    stderr,
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
  };
  const code = await runProgram(buildConsumerProgram(io), args, io);
  await new Promise((r) => setImmediate(r));
  return { code, out, err };
}
