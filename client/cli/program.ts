import { Command } from 'commander';
import { requireRegistry, resolveContext } from './context';
import { registerAdd } from './add';
import { registerDiff } from './diff';
import { registerInit } from './init';
import { registerList } from './list';
import { registerLogin } from './login';
import { registerPull } from './pull';
import { registerRender } from './render';
import { registerSearch } from './search';
import { registerTypes } from './types';
import { CliExit, CliFailure, EXIT, guarded, processIO } from './io';
import type { CliIO } from './io';
import { push } from './push';
import { pushFolder, registerFolderCommands } from './folder';

export { runProgram, processIO } from './io';
export type { CliIO } from './io';

/**
 * The consumer's `anvil`: init, add, pull, push, export, import, list, search, render, diff, login, types.
 * Exit codes: 0 success, 1 usage error (commander's: unknown command or option, missing argument), 2 failure
 * (refused, unreachable, verification failed), with one line on stderr; `--json` prints data (and
 * `{ "error": { code, message } }` on failure) to stdout. `client/cli/consumer.ts` runs it; the repo's own
 * `anvil` (`anvil.ts`) adds the product commands (studio, serve, user, token, audit) to the same program.
 *
 * Build a new program for every run: commander keeps parsed option values on the Command objects.
 */
export function buildConsumerProgram(io: CliIO = processIO()): Command {
  const program = new Command('anvil')
    .description('Anvil: write, version and ship LLM prompts.')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride((err) => {
      throw err;
    });
  registerInit(program, io);
  registerAdd(program, io);
  registerPull(program, io);
  registerPush(program, io);
  registerFolderCommands(program, io);
  registerList(program, io);
  registerSearch(program, io);
  registerRender(program, io);
  registerDiff(program, io);
  registerLogin(program, io);
  registerTypes(program, io);
  // One line for a mistake in a consumer command (the error names it; --help shows the rest).
  for (const c of program.commands) c.showHelpAfterError(false);
  return program;
}

/** `anvil push`: publishes a team version the server accepted (the server builds the bundle). */
function registerPush(program: Command, io: CliIO): void {
  program
    .command('push')
    .description(
      "Publish a set from a folder of prompt files (anvil push DIR), or a team version a studio saved (--project --set --version), to the server's registry",
    )
    .argument('[dir]', 'a set folder (anvil-set.json + NAME.liquid files, as anvil export writes them)')
    .option('--server <url>', 'the sync server (http://host:port or the ws:// address the studio uses)')
    .option('--registry <url>', 'the same as --server')
    .option('--token <token>', 'an access token (anvil token create; else ANVIL_TOKEN or anvil login)')
    .option('--project <projectId>', 'the project id (a team version)')
    .option('--set <setId>', 'the set id (a team version)')
    .option('--version <version>', "the version: the team version to publish, or a folder's (default: its set file's)")
    .option('--changelog <text>', "with a folder: the changelog (default: the set file's)")
    .option('--override <reason>', 'with a folder: the reason for a breaking change under a minor/patch number')
    .option('--json', "with a folder: print the server's answer as JSON", false)
    .action(
      (
        dir: string | undefined,
        o: {
          server?: string;
          registry?: string;
          token?: string;
          project?: string;
          set?: string;
          version?: string;
          changelog?: string;
          override?: string;
          json: boolean;
        },
        command: Command,
      ) => {
        if (dir !== undefined) return guarded(io, 'push', o.json, () => pushFolder(io, dir, o));
        const missing = (['project', 'set', 'version'] as const).filter((k) => o[k] === undefined);
        if (missing.length > 0)
          command.error(
            `error: give a set folder (anvil push DIR), or a team version with ${missing.map((k) => `--${k}`).join(', ')}`,
            { exitCode: EXIT.usage, code: 'commander.missingMandatoryOptionValue' },
          );
        return guarded(io, 'push', false, async () => {
          const ctx = await resolveContext(io, { registry: o.server ?? o.registry, token: o.token });
          const server = requireRegistry(ctx);
          if (!ctx.token)
            throw new CliFailure(
              'no_token',
              'no token: pass --token, set ANVIL_TOKEN or run `anvil login` (anvil token create makes one)',
            );
          const code = await push(
            {
              server,
              token: ctx.token,
              projectId: o.project as string,
              setId: o.set as string,
              version: o.version as string,
            },
            { out: (l) => io.stdout.write(`${l}\n`), err: (l) => io.stderr.write(`${l}\n`) },
          );
          // push() says 1 for an unreachable server; for the command line every failure is 2.
          if (code !== 0) throw new CliExit(EXIT.failure);
        });
      },
    );
}
