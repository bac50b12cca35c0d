#!/usr/bin/env -S node --import tsx
/**
 * The repo's `anvil`: the consumer program (`program.ts`: init, add, pull, push, list, render, diff, login, …)
 * plus the product's own commands: `studio`, the sync server (`serve`) and its accounts (`user`, `token`,
 * `audit`). The client package's `anvil` (`consumer.ts`) runs the consumer program alone.
 */
import type { Command } from 'commander';
import { Argument, CommanderError, InvalidArgumentError, Option } from 'commander';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseExpiry, parseMoment } from './duration';
import { processIO, runProgram } from './io';
import type { CliIO } from './io';
import { buildConsumerProgram } from './program';
import { SERVER_MAIN, runAccountsAdmin, runEntry } from './server';
import { runStudio } from './studio';

export function program(io: CliIO = processIO()): Command {
  const anvil = buildConsumerProgram(io);
  const before = new Set(anvil.commands);
  anvil
    .command('studio')
    .description('Open the studio: the desktop app, or in your browser with --web (options: anvil studio --help)')
    // The launcher owns these options (and its --help): one parser, the same words as `npm start --`.
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[options...]')
    .action(async (options: string[]) => {
      process.exitCode = await runStudio(options);
    });
  serverCommands(anvil);
  // The server commands exit 2 on a bad value as they always did (their scripts rely on it); the consumer
  // commands and the program itself follow the 0/1/2 of client/README.md.
  const product = anvil.commands.filter((c) => !before.has(c));
  const exitTwo = (err: CommanderError): never => {
    throw err.exitCode === 0 ? err : new CommanderError(2, err.code, err.message);
  };
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const c of product.flatMap(all)) c.exitOverride(exitTwo);
  return anvil;
}

const ROLES = ['admin', 'context_engineer', 'viewer', 'none'];

function port(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535.');
  return n;
}

/** `--data DIR`: every server command names the folder it works on; guessing one could edit the wrong server. */
const dataOption = () => new Option('--data <dir>', "the sync server's data folder").makeOptionMandatory();

/**
 * The sync server and its accounts. The accounts commands work on the data folder directly (the server need
 * not run); their parsing stays here and the work is done by sync-server/accounts/admin-cli.ts, run as a child.
 * A mistake (unknown user, bad role) exits 2 with one line.
 */
function serverCommands(anvil: Command): void {
  const run = async (request: Record<string, unknown>) => {
    process.exitCode = await runAccountsAdmin(request);
  };
  anvil
    .command('serve')
    .description('Run the sync server on a data folder (first start: creates the admin account, prints its token)')
    .addOption(new Option('--port <port>', 'the port to listen on (0: any free one)').argParser(port))
    .addOption(dataOption())
    .action(async (o: { port?: number; data: string }) => {
      const args = ['--data', o.data, ...(o.port === undefined ? [] : ['--port', String(o.port)])];
      process.exitCode = await runEntry(SERVER_MAIN, args, 'the sync server');
    });

  const user = anvil.command('user').description("Manage the sync server's accounts and their project roles");
  user
    .command('add')
    .description('Add an account (no access to any project until given a role)')
    .argument('<name>', 'lowercase a-z, 0-9, ".", "_", "-"')
    .option('--server-admin', 'may manage the whole server', false)
    .addOption(dataOption())
    .action((name: string, o: { serverAdmin: boolean; data: string }) =>
      run({ command: 'user.add', data: o.data, name, serverAdmin: o.serverAdmin }),
    );
  user
    .command('list')
    .description('List the accounts, their roles and active tokens')
    .option('--json', 'as JSON', false)
    .addOption(dataOption())
    .action((o: { json: boolean; data: string }) => run({ command: 'user.list', data: o.data, json: o.json }));
  user
    .command('remove')
    .description('Remove an account with its roles and tokens')
    .argument('<name>')
    .addOption(dataOption())
    .action((name: string, o: { data: string }) => run({ command: 'user.remove', data: o.data, name }));
  user
    .command('role')
    .description("Set an account's role on a project (none: no access)")
    .argument('<name>')
    .argument('<projectId>')
    .addArgument(new Argument('<role>').choices(ROLES))
    .addOption(dataOption())
    .action((name: string, projectId: string, role: string, o: { data: string }) =>
      run({ command: 'user.role', data: o.data, name, projectId, role }),
    );

  const token = anvil.command('token').description('Create, list and revoke access tokens');
  token
    .command('create')
    .description('Create a token for an account; it is printed once (alone on stdout), only its hash is kept')
    .argument('<name>')
    .addOption(
      new Option('--expires <when>', 'a duration (90m, 12h, 30d, 2w) or a date').argParser((t) => parseExpiry(t)),
    )
    .addOption(dataOption())
    .action((name: string, o: { expires?: number; data: string }) =>
      run({ command: 'token.create', data: o.data, name, expiresAt: o.expires ?? null }),
    );
  token
    .command('list')
    .description("List an account's tokens (ids, expiry, last use; never the tokens)")
    .argument('<name>')
    .addOption(dataOption())
    .action((name: string, o: { data: string }) => run({ command: 'token.list', data: o.data, name }));
  token
    .command('revoke')
    .description('Revoke a token by its id (tok_…); refused from the next connection on')
    .argument('<tokenId>')
    .addOption(dataOption())
    .action((tokenId: string, o: { data: string }) => run({ command: 'token.revoke', data: o.data, tokenId }));

  const audit = anvil
    .command('audit')
    .description("Show the sync server's audit log, newest first")
    .option('--entity <id>', 'only rows about this account, token, project or document id')
    .option('--actor <name>', 'only rows by this actor')
    .option('--action <action>', 'only this action (user.add, role.set, token.revoke, doc.connect…)')
    .addOption(new Option('--since <when>', 'from a date, or a duration ago (2h, 7d)').argParser((t) => parseMoment(t)))
    .addOption(new Option('--until <when>', 'before a date, or a duration ago').argParser((t) => parseMoment(t)))
    .addOption(
      new Option('--limit <n>', 'at most n rows (1 to 1000, default 50)').argParser((t) => {
        const n = Number(t);
        if (!/^\d+$/.test(t) || n < 1 || n > 1000) throw new InvalidArgumentError('a limit is 1 to 1000.');
        return n;
      }),
    )
    .option('--json', 'as JSON', false)
    .addOption(dataOption())
    .action(
      (o: {
        entity?: string;
        actor?: string;
        action?: string;
        since?: number;
        until?: number;
        limit?: number;
        json: boolean;
        data: string;
      }) =>
        run({
          command: 'audit.query',
          data: o.data,
          entityId: o.entity,
          actor: o.actor,
          action: o.action,
          since: o.since,
          until: o.until,
          limit: o.limit,
          json: o.json,
        }),
    );

  // One line for a mistake in these commands (the error names it; --help shows the rest).
  for (const group of [user, token, audit]) for (const c of [group, ...group.commands]) c.showHelpAfterError(false);
}

// Run as a program (directly, or through the `anvil` link npm makes, hence the real path), not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const io = processIO();
  void runProgram(program(io), process.argv.slice(2), io).then((code) => {
    // The product commands set process.exitCode themselves (their work runs in a child process).
    if (code !== 0) process.exitCode = code;
  });
}
