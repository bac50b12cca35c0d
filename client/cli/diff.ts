import semver from 'semver';
import type { Command } from 'commander';
import { compareSets } from '../../shared/compare/compare-sets';
import { unifiedDiff } from '../../shared/compare/unified';
import { bundleContent } from '../../shared/registry/bundle';
import { parsePackageName } from '../../shared/registry/names';
import type { Bundle, PackageMetadata } from '../../shared/registry/types';
import { openDiskCache } from '../sdk/disk-cache';
import { resolveContext } from './context';
import { CliFailure, guarded, line } from './io';
import type { CliIO } from './io';
import { metadataOrNull, registryClient } from './registry';

/** `@acme/support@1.0.0` (or a range, or a tag); `B` may be a selector alone, meaning A's set. */
export function parseVersionRef(text: string, defaultName: string | null): { name: string; selector: string } {
  const at = text.startsWith('@') ? text.indexOf('@', 1) : -1;
  const name = text.startsWith('@') ? (at < 0 ? text : text.slice(0, at)) : defaultName;
  const selector = text.startsWith('@') ? (at < 0 ? 'latest' : text.slice(at + 1)) : text;
  if (!name || !parsePackageName(name))
    throw new CliFailure('invalid_spec', `"${text}" is not a set version such as @acme/support@1.0.0`);
  if (selector === '') throw new CliFailure('invalid_spec', `"${text}": nothing after "@"`);
  return { name, selector };
}

/** The version a selector names: an exact version, a dist-tag, or the highest in a range. */
function pick(meta: PackageMetadata, selector: string): string {
  if (meta.versions[selector]) return selector;
  const tagged = meta.distTags[selector];
  if (tagged) return tagged;
  const best = semver.validRange(selector) ? semver.maxSatisfying(Object.keys(meta.versions), selector) : null;
  if (best) return best;
  throw new CliFailure(
    'unknown_version',
    `${meta.name} has no version "${selector}" (published: ${Object.keys(meta.versions).join(', ') || 'none'})`,
  );
}

/**
 * `anvil diff A B`: two published versions fetched (from the cache when there, verified either way) and
 * compared as the studio's history compares them (shared/compare), printed as text or as the SetComparison.
 */
export function registerDiff(program: Command, io: CliIO): void {
  program
    .command('diff')
    .description('Compare two published versions of a set: summary, prompt diffs, parameter and setting changes')
    .argument('<a>', '@project/set@version (or a range or a tag)')
    .argument('<b>', '@project/set@version, or only a version of the same set')
    .option('--registry <url>', 'the registry (else ANVIL_REGISTRY, anvil.json, anvil login)')
    .option('--token <token>', 'an access token (else ANVIL_TOKEN, anvil login)')
    .option('--json', 'print the SetComparison as JSON', false)
    .action((aText: string, bText: string, o: { registry?: string; token?: string; json: boolean }) =>
      guarded(io, 'diff', o.json, async () => {
        const a = parseVersionRef(aText, null);
        const b = parseVersionRef(bText, a.name);
        const ctx = await resolveContext(io, o);
        const client = registryClient(ctx);
        // The project's cache when run in one; elsewhere nothing is written to the folder.
        const cache = ctx.manifest ? openDiskCache(ctx.cacheDir) : null;
        const metas = new Map<string, PackageMetadata>();
        const fetchVersion = async (ref: { name: string; selector: string }): Promise<Bundle> => {
          let meta = metas.get(ref.name);
          if (!meta) {
            meta = (await metadataOrNull(client, ref.name)) ?? undefined;
            if (!meta) throw new CliFailure('unknown_package', `${ref.name} is not in the registry at ${client.base}`);
            metas.set(ref.name, meta);
          }
          const version = pick(meta, ref.selector);
          const integrity = (meta.versions[version] as { integrity: string }).integrity;
          const cached = cache ? await cache.readBundle(integrity, { name: ref.name, version }) : null;
          if (cached) return cached;
          const bundle = await client.bundle(ref.name, version, integrity);
          await cache?.writeBundle(bundle);
          return bundle;
        };
        const before = await fetchVersion(a);
        const after = await fetchVersion(b);
        const comparison = compareSets(bundleContent(before.document), bundleContent(after.document));
        if (o.json) {
          line(io.stdout, JSON.stringify(comparison));
          return;
        }
        const label = (x: Bundle) => `${x.document.manifest.name}@${x.document.manifest.version}`;
        io.stdout.write(unifiedDiff(comparison, { before: label(before), after: label(after) }));
      }),
    );
}
