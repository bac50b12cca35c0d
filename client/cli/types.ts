import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { parseLockfile } from '../../shared/registry/lockfile';
import { openDiskCache } from '../sdk/disk-cache';
import { writeFileAtomic } from '../sdk/files';
import { createLoader } from '../sdk/loader';
import { createRegistryClient } from '../sdk/registry-client';
import { PROJECT_FILES, resolveContext } from './context';
import { CliFailure, guarded, line } from './io';
import type { CliIO } from './io';
import { generateTypes } from './typegen';
import type { TypedPrompt } from './typegen';

/** `anvil types`: anvil-types.d.ts from the locked bundles (vendored, cached, or downloaded and verified). */
export function registerTypes(program: Command, io: CliIO): void {
  program
    .command('types')
    .description("Write anvil-types.d.ts: the locked prompts' parameters, so get(address, params) is type-checked")
    .option('--out <file>', 'where to write', PROJECT_FILES.types)
    .option('--module <name>', 'the SDK module the declarations augment', '@anvil/client')
    .option(
      '--registry <url>',
      'the registry, for bundles not yet cached (else ANVIL_REGISTRY, anvil.json, anvil login)',
    )
    .option('--token <token>', 'an access token (else ANVIL_TOKEN, anvil login)')
    .option('--json', 'print the result as JSON', false)
    .action((o: { out: string; module: string; registry?: string; token?: string; json: boolean }) =>
      guarded(io, 'types', o.json, async () => {
        const ctx = await resolveContext(io, o);
        const text = await readFile(ctx.lockfilePath, 'utf8').catch(() => null);
        if (text === null) throw new CliFailure('no_lock', `there is no ${ctx.lockfilePath}; run \`anvil pull\``);
        const lock = parseLockfile(text, ctx.lockfilePath);
        const loader = createLoader({
          vendorDir: ctx.vendorDir,
          cache: openDiskCache(ctx.cacheDir),
          client: ctx.registry ? createRegistryClient({ registry: ctx.registry, token: ctx.token }) : null,
          onProblem: (e) => line(io.stderr, `warning: ${e.message}`),
        });
        const prompts: TypedPrompt[] = [];
        for (const [name, entry] of Object.entries(lock.sets)) {
          const bundle = await loader.get(name, entry.version, entry.integrity);
          for (const p of bundle.document.manifest.prompts)
            prompts.push({ address: `${name}/${p.name}`, parameters: p.parameters });
        }
        const out = resolve(io.cwd, o.out);
        await writeFileAtomic(out, generateTypes(prompts, o.module, relative(io.cwd, ctx.lockfilePath)));
        const sets = Object.keys(lock.sets).length;
        if (o.json) line(io.stdout, JSON.stringify({ file: out, prompts: prompts.length, sets }));
        else line(io.stdout, `wrote ${relative(io.cwd, out)} (${prompts.length} prompts from ${sets} sets)`);
      }),
    );
}
