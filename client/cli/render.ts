import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { createAnvil } from '../sdk/anvil';
import type { AnvilSdkError } from '../sdk/errors';
import { resolveContext } from './context';
import { CliFailure, guarded, line } from './io';
import type { CliIO } from './io';

/** `k=v`: the value as JSON when it parses (`3`, `true`, `["a"]`, `"x"`), else the text as is. */
export function parseParam(text: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`"${text}" is not name=value`);
  const name = text.slice(0, eq);
  const raw = text.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  return { ...previous, [name]: value };
}

async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliFailure('unreadable', `could not read ${what} ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliFailure('invalid_json', `${what} ${path} is not JSON: ${(err as Error).message}`);
  }
}

/**
 * `anvil render ADDRESS`: the SDK's `get` as a command, in locked mode from this project's lock, vendored
 * folder and cache (or `--live` against the registry). Prints the text, or each chat message under its role;
 * `--json` prints the whole result with its token count.
 */
export function registerRender(program: Command, io: CliIO): void {
  program
    .command('render')
    .description('Render a prompt: prints its text, or its chat messages')
    .argument('<address>', '@project/set/prompt (or @project/set@version/prompt)')
    .option(
      '--param <name=value>',
      'a parameter (repeatable); the value is JSON when it parses, else a string',
      parseParam,
      {},
    )
    .option('--params-file <file>', 'parameters from a JSON object file (--param wins)')
    .option('--history <file>', "a chat prompt's conversation so far: a JSON array of { role, content }")
    .option('--live', 'resolve against the registry within anvil.json ranges instead of the lock file', false)
    .option('--registry <url>', 'the registry (else ANVIL_REGISTRY, anvil.json, anvil login)')
    .option('--token <token>', 'an access token (else ANVIL_TOKEN, anvil login)')
    .option('--json', 'print the whole result as JSON', false)
    .action(
      (
        address: string,
        o: {
          param: Record<string, unknown>;
          paramsFile?: string;
          history?: string;
          live: boolean;
          registry?: string;
          token?: string;
          json: boolean;
        },
      ) =>
        guarded(io, 'render', o.json, async () => {
          let params: Record<string, unknown> = {};
          if (o.paramsFile) {
            const file = await readJsonFile(resolve(io.cwd, o.paramsFile), 'the parameters file');
            if (file === null || typeof file !== 'object' || Array.isArray(file))
              throw new CliFailure('invalid_json', `the parameters file ${o.paramsFile} is not a JSON object`);
            params = file as Record<string, unknown>;
          }
          params = { ...params, ...o.param };
          const history = o.history ? await readJsonFile(resolve(io.cwd, o.history), 'the history file') : undefined;
          const ctx = await resolveContext(io, o);
          const vendored = await stat(ctx.vendorDir).then(
            () => true,
            () => false,
          );
          const anvil = createAnvil({
            mode: o.live ? 'live' : 'locked',
            registry: ctx.registry,
            token: ctx.token,
            cacheDir: ctx.cacheDir,
            manifest: ctx.manifest,
            lockfile: ctx.lockfilePath,
            vendorDir: vendored ? ctx.vendorDir : null,
            feed: 'off',
            // A developer's render from the command line is not the application's usage.
            usage: false,
          });
          const warnings: AnvilSdkError[] = [];
          anvil.on('warning', (w) => warnings.push(w));
          try {
            const r = await anvil.get(address, params, history === undefined ? undefined : { history });
            if (!r.ok) throw r.error;
            const v = r.value;
            if (o.json) {
              line(
                io.stdout,
                JSON.stringify({ ...(v as unknown as { toJSON(): object }).toJSON(), tokens: await v.tokens }),
              );
              return;
            }
            for (const w of warnings) line(io.stderr, `warning: ${w.message}`);
            if (v.fallback)
              line(
                io.stderr,
                `warning: the registry could not be reached; rendered ${v.name}@${v.version} from ${v.source}`,
              );
            if (v.kind === 'text') io.stdout.write(v.text.endsWith('\n') ? v.text : `${v.text}\n`);
            else
              v.messages.forEach((m, i) => {
                if (i > 0) line(io.stdout);
                line(io.stdout, `[${m.role}]`);
                line(io.stdout, m.content);
              });
          } finally {
            await anvil.close();
          }
        }),
    );
}
