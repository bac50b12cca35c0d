import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseLockfile } from '../../shared/registry/lockfile';
import type { PackageMetadata } from '../../shared/registry/types';
import { openDiskCache } from '../sdk/disk-cache';
import { resolveContext } from './context';
import { CliFailure, guarded, line } from './io';
import type { CliIO } from './io';
import { registryClient } from './registry';

export interface ListedSet {
  name: string;
  version: string;
  integrity: string;
  /** The deprecation message, or null (`checked` says whether anyone could tell). */
  deprecated: string | null;
  /** Where the deprecation status came from: the registry now, the cached metadata, or nowhere. */
  checked: 'registry' | 'cache' | 'unknown';
  /** Whether anvil.json names it (else a dependency of a set it names). */
  direct: boolean;
}

/** `anvil list`: the locked sets, with the registry's deprecation (or the cached metadata's when offline). */
export function registerList(program: Command, io: CliIO): void {
  program
    .command('list')
    .description('List the locked sets: name, version, integrity, deprecation')
    .option('--offline', 'do not ask the registry (deprecations as last cached)', false)
    .option('--registry <url>', 'the registry (else ANVIL_REGISTRY, anvil.json, anvil login)')
    .option('--token <token>', 'an access token (else ANVIL_TOKEN, anvil login)')
    .option('--json', 'print the sets as JSON', false)
    .action((o: { offline: boolean; registry?: string; token?: string; json: boolean }) =>
      guarded(io, 'list', o.json, async () => {
        const ctx = await resolveContext(io, o);
        const text = await readFile(ctx.lockfilePath, 'utf8').catch(() => null);
        if (text === null) throw new CliFailure('no_lock', `there is no ${ctx.lockfilePath}; run \`anvil pull\``);
        const lock = parseLockfile(text, ctx.lockfilePath);
        const cache = openDiskCache(ctx.cacheDir);
        const client = !o.offline && ctx.registry ? registryClient(ctx, { timeoutMs: 3_000, retries: 0 }) : null;
        let unreachable: string | null = null;
        const sets: ListedSet[] = [];
        for (const [name, entry] of Object.entries(lock.sets)) {
          let meta: PackageMetadata | null = null;
          let checked: ListedSet['checked'] = 'unknown';
          if (client && unreachable === null) {
            try {
              const answer = await client.metadata(name);
              if (!answer.notModified) [meta, checked] = [answer.metadata, 'registry'];
            } catch (err) {
              // Gone upstream answers 404: shown as such; an unreachable registry is said once, then the cache.
              const e = err as { code?: string; status?: number; message: string };
              if (e.status === 404) {
                sets.push({
                  name,
                  version: entry.version,
                  integrity: entry.integrity,
                  deprecated: 'missing from the registry',
                  checked: 'registry',
                  direct: name in lock.dependencies,
                });
                continue;
              }
              unreachable = e.message;
            }
          }
          if (!meta) {
            const cached = await cache.readMetadata(name);
            if (cached) [meta, checked] = [cached.metadata, 'cache'];
          }
          sets.push({
            name,
            version: entry.version,
            integrity: entry.integrity,
            deprecated: meta?.versions[entry.version]?.deprecated ?? null,
            checked,
            direct: Object.prototype.hasOwnProperty.call(lock.dependencies, name),
          });
        }
        if (o.json) {
          line(io.stdout, JSON.stringify({ lockfile: ctx.lockfilePath, sets }));
          return;
        }
        if (unreachable) line(io.stderr, `warning: deprecations as last cached: ${unreachable}`);
        if (sets.length === 0) line(io.stdout, 'no sets locked (anvil add @project/set, then anvil pull)');
        const width = Math.max(0, ...sets.map((s) => `${s.name}@${s.version}`.length));
        for (const s of sets) {
          const id = `${s.name}@${s.version}`.padEnd(width);
          const note =
            s.deprecated !== null ? `  DEPRECATED: ${s.deprecated}` : s.checked === 'unknown' ? '  (not checked)' : '';
          line(io.stdout, `${id}  ${s.integrity.slice(0, 23)}…${s.direct ? '' : '  (dependency)'}${note}`);
        }
      }),
    );
}
