import { readFile } from 'node:fs/promises';
import semver from 'semver';
import type { Command } from 'commander';
import { parsePackageName } from '../../shared/registry/names';
import { parseManifest, serializeManifest } from '../../shared/registry/manifest';
import type { ConsumerManifest } from '../../shared/registry/manifest';
import { resolveGraph } from '../../shared/registry/resolve-graph';
import { writeFileAtomic } from '../sdk/files';
import { resolveContext } from './context';
import { CliFailure, guarded, line } from './io';
import type { CliIO } from './io';
import { graphSource, metadataOrNull, registryClient } from './registry';

export interface AddSpec {
  name: string;
  /** What was written after the name's `@`: a range, a version or a dist-tag; null for none. */
  selector: string | null;
}

const TAG = /^[a-z][a-z0-9._-]*$/i;

/** `@acme/support@^1.2` → name and selector; throws `invalid_spec` naming what is wrong. */
export function parseSpec(text: string): AddSpec {
  const at = text.indexOf('@', 1);
  const name = at < 0 ? text : text.slice(0, at);
  const selector = at < 0 ? null : text.slice(at + 1);
  if (!parsePackageName(name))
    throw new CliFailure(
      'invalid_spec',
      `"${text}": "${name}" is not a set name such as @acme/support (lowercase a-z, 0-9, ".", "_", "-")`,
    );
  if (selector !== null && (selector === '' || (semver.validRange(selector) === null && !TAG.test(selector))))
    throw new CliFailure(
      'invalid_spec',
      `"${text}": "${selector}" is not a semver range (^1.2, ~1.2.3, 1.x, >=1 <2), a version or a tag`,
    );
  return { name, selector };
}

/**
 * `anvil add`: checks each set against the registry (it exists; the range is satisfiable; the whole graph with
 * it resolves) and writes it to anvil.json. No range: `^<latest>`; a dist-tag: `^<the tag's version>`.
 */
export function registerAdd(program: Command, io: CliIO): void {
  program
    .command('add')
    .description('Add prompt sets to anvil.json (checked against the registry); then run `anvil pull`')
    .argument('<sets...>', 'each @project/set, @project/set@range (^1.2), @project/set@version or @project/set@tag')
    .option('--registry <url>', 'the registry (else ANVIL_REGISTRY, anvil.json, anvil login)')
    .option('--token <token>', 'an access token (else ANVIL_TOKEN, anvil login)')
    .option('--json', 'print what was added as JSON', false)
    .action((sets: string[], o: { registry?: string; token?: string; json: boolean }) =>
      guarded(io, 'add', o.json, async () => {
        const specs = sets.map(parseSpec);
        const ctx = await resolveContext(io, o);
        const text = await readFile(ctx.manifestPath, 'utf8').catch(() => null);
        if (text === null) throw new CliFailure('no_manifest', `there is no ${ctx.manifestPath}; run \`anvil init\``);
        const manifest = parseManifest(text, ctx.manifestPath);
        const client = registryClient(ctx);
        const added: { name: string; range: string; version: string }[] = [];
        const next: ConsumerManifest = { ...manifest, dependencies: { ...manifest.dependencies } };
        for (const spec of specs) {
          const meta = await metadataOrNull(client, spec.name);
          if (!meta) throw new CliFailure('unknown_package', `${spec.name} is not in the registry at ${client.base}`);
          const versions = Object.keys(meta.versions);
          let range: string;
          if (spec.selector === null || (semver.validRange(spec.selector) === null && TAG.test(spec.selector))) {
            const tag = spec.selector ?? 'latest';
            const version = meta.distTags[tag];
            if (!version)
              throw new CliFailure(
                'unknown_tag',
                `${spec.name} has no tag "${tag}" (tags: ${Object.keys(meta.distTags).join(', ') || 'none'})`,
              );
            range = `^${version}`;
          } else range = spec.selector;
          const best = semver.maxSatisfying(versions, range);
          if (!best)
            throw new CliFailure(
              'no_matching_version',
              `no version of ${spec.name} satisfies ${range} (published: ${versions.join(', ') || 'none'})`,
            );
          next.dependencies[spec.name] = range;
          added.push({ name: spec.name, range, version: best });
        }
        // The whole graph with the new ranges must resolve (transitive ranges, one version per set).
        await resolveGraph(next, graphSource(client));
        await writeFileAtomic(ctx.manifestPath, serializeManifest(next));
        if (o.json) line(io.stdout, JSON.stringify({ manifest: ctx.manifestPath, added }));
        else {
          for (const a of added) line(io.stdout, `added ${a.name} ${a.range} (${a.version} satisfies it)`);
          line(io.stdout, 'run `anvil pull` to lock and download it');
        }
      }),
    );
}
