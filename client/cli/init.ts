import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { serializeManifest } from '../../shared/registry/manifest';
import type { ConsumerManifest } from '../../shared/registry/manifest';
import { PROJECT_FILES, normalizeRegistry } from './context';
import { CliFailure, guarded, line } from './io';
import type { CliIO } from './io';
import { join } from 'node:path';

/** `anvil init`: an empty anvil.json in the current folder; an existing one is never overwritten. */
export function registerInit(program: Command, io: CliIO): void {
  program
    .command('init')
    .description('Create anvil.json (the prompt sets this project uses) in the current folder')
    .option('--registry <url>', 'the registry to write into anvil.json (http(s)://host:port)')
    .option('--json', 'print the result as JSON', false)
    .action((o: { registry?: string; json: boolean }) =>
      guarded(io, 'init', o.json, async () => {
        const path = join(io.cwd, PROJECT_FILES.manifest);
        const manifest: ConsumerManifest = { dependencies: {} };
        if (o.registry !== undefined) manifest.registry = normalizeRegistry(o.registry, '--registry');
        try {
          // `wx`: created only if absent, so two inits or an existing manifest can never lose anything.
          await writeFile(path, serializeManifest(manifest), { flag: 'wx' });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EEXIST')
            throw new CliFailure('manifest_exists', `${path} already exists; edit it or use \`anvil add\``);
          throw err;
        }
        if (o.json) line(io.stdout, JSON.stringify({ manifest: path, registry: manifest.registry ?? null }));
        else line(io.stdout, `wrote ${path}${manifest.registry ? ` (registry ${manifest.registry})` : ''}`);
      }),
    );
}
