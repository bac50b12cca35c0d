#!/usr/bin/env -S node --import tsx
/**
 * The `anvil` command line. For now one command, `studio`; the SDK issue adds the registry commands (pull,
 * lock, render…) to the same program.
 */
import { Command } from 'commander';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { runStudio } from './studio';

export function program(): Command {
  const anvil = new Command('anvil')
    .description('Anvil: write, version and ship LLM prompts.')
    .showHelpAfterError()
    .exitOverride((err) => {
      throw err;
    });
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
  return anvil;
}

// Run as a program (directly, or through the `anvil` link npm makes, hence the real path), not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  program()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      const code = (err as { exitCode?: number }).exitCode;
      process.exitCode = code === 0 ? 0 : 2;
    });
}
