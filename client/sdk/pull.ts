import { readFile, readdir, rm, rmdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import pLimit from 'p-limit';
import type { AnvilError } from '../../shared/domain/result';
import { readBundle } from '../../shared/registry/bundle';
import { lockMismatch, parseLockfile, serializeLockfile } from '../../shared/registry/lockfile';
import type { Lockfile } from '../../shared/registry/lockfile';
import { parseManifest } from '../../shared/registry/manifest';
import type { ConsumerManifest } from '../../shared/registry/manifest';
import { graphToLockfile, resolveGraph } from '../../shared/registry/resolve-graph';
import type { Bundle, PackageMetadata } from '../../shared/registry/types';
import { openDiskCache } from './disk-cache';
import { AnvilSdkError } from './errors';
import { writeFileAtomic } from './files';
import { vendorPath } from './loader';
import { createRegistryClient } from './registry-client';
import type { FetchLike } from './registry-client';

/** Options of {@link pull}; the command line's `anvil pull` passes the project's files (anvil.json, …). */
/** Bundles fetched at once by a pull: enough to hide round trips, well under the registry's per-token burst. */
const DOWNLOAD_CONCURRENCY = 8;

export interface PullOptions {
  /** `anvil.json`: its path or its content. */
  manifest: ConsumerManifest | string;
  /** Where the lock file is read from and written to (`anvil-lock.json`). */
  lockfile: string;
  /** The registry's base URL; default: anvil.json's `registry`. Not needed when the lock answers the manifest and every bundle is vendored or cached. */
  registry?: string | null;
  /** An access token, sent as `Authorization: Bearer`. */
  token?: string | null;
  /** The disk cache's folder (bundles by integrity); the same folder `createAnvil` reads. */
  cacheDir: string;
  /** Also write every locked bundle into this folder (`@project/set/<version>.json`), to commit with the app. */
  vendorDir?: string | null;
  /** Fail instead of changing the lock file (`anvil pull --frozen`, like `npm ci`). */
  frozen?: boolean;
  /** A `fetch` to use instead of the global one (tests, proxies). */
  fetch?: FetchLike;
  /** One registry request's limit in milliseconds (default 5 s). */
  timeoutMs?: number;
  /** After each set is verified in place (for a progress bar). */
  onProgress?: (p: {
    name: string;
    version: string;
    done: number;
    total: number;
    source: 'cache' | 'vendor' | 'registry';
    bytes: number;
  }) => void;
}

/** What {@link pull} did. */
export interface PullResult {
  /** The lock as written (or as it already was). */
  lockfile: Lockfile;
  /** The lock file's bytes as written (or as they already were). */
  text: string;
  /** Whether the lock file changed on disk. */
  changed: boolean;
  /** Bytes downloaded from the registry (bundles). */
  downloaded: number;
  /** Locked versions the registry marks deprecated (known when the registry was asked). */
  deprecated: { name: string; version: string; message: string }[];
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * `anvil pull` as a library: resolves anvil.json (keeping the lock's versions while they still satisfy), makes
 * sure every locked bundle is in the cache and verified (downloading what is missing), vendors them when asked,
 * then writes the lock file in one rename. Nothing is written until every bundle verified, and vendored files
 * of the previous lock are removed only after the new lock is in place, so an interrupted pull leaves the
 * previous state usable. A lock that still answers its manifest is not re-resolved: pulling with a complete
 * cache needs no network, and twice gives the same bytes.
 */
export async function pull(options: PullOptions): Promise<PullResult> {
  const manifest =
    typeof options.manifest === 'string'
      ? parseManifest(
          (await readOptional(options.manifest)) ??
            (() => {
              throw new AnvilSdkError({
                code: 'no_manifest',
                message: `${options.manifest} does not exist; run \`anvil init\``,
              });
            })(),
          options.manifest,
        )
      : options.manifest;
  const registry = options.registry ?? manifest.registry ?? null;
  const client = registry
    ? createRegistryClient({
        registry,
        token: options.token ?? null,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      })
    : null;
  const problems: AnvilError[] = [];
  const cache = openDiskCache(options.cacheDir, (e) => problems.push(e));

  const oldText = await readOptional(options.lockfile);
  let old: Lockfile | null = null;
  let oldProblem: string | null = oldText === null ? `there is no lock file ${options.lockfile}` : null;
  if (oldText !== null) {
    try {
      old = parseLockfile(oldText, options.lockfile);
      oldProblem = lockMismatch(old, manifest);
    } catch (err) {
      oldProblem = (err as Error).message;
    }
  }

  const deprecated: PullResult['deprecated'] = [];
  let lock: Lockfile;
  if (old && oldProblem === null) lock = old;
  else {
    if (options.frozen)
      throw new AnvilSdkError({
        code: 'lock_outdated',
        message: `the lock file would change (${oldProblem}); run \`anvil pull\` without --frozen and commit ${options.lockfile}`,
      });
    if (!client)
      throw new AnvilSdkError({
        code: 'no_registry',
        message: `resolving anvil.json needs a registry (${oldProblem}); give one in anvil.json ("registry") or with --registry`,
      });
    const graph = await resolveGraph(
      manifest,
      {
        async metadata(name): Promise<PackageMetadata | null> {
          try {
            const answer = await client.metadata(name);
            return answer.notModified ? null : answer.metadata;
          } catch (err) {
            if ((err as AnvilSdkError).code === 'unknown_package') return null;
            throw err;
          }
        },
      },
      { preferred: Object.fromEntries(Object.entries(old?.sets ?? {}).map(([n, s]) => [n, s.version])) },
    );
    for (const s of Object.values(graph.sets))
      if (s.deprecated !== null) deprecated.push({ name: s.name, version: s.version, message: s.deprecated });
    lock = graphToLockfile(manifest, graph);
  }

  // Every bundle verified in the cache before anything else is written; a few fetched at once, as npm does.
  let downloaded = 0;
  let done = 0;
  const names = Object.keys(lock.sets).sort();
  const bundles = new Map<string, Bundle>();
  const limit = pLimit(DOWNLOAD_CONCURRENCY);
  await Promise.all(
    names.map((name) =>
      limit(async () => {
        const { version, integrity } = lock.sets[name] as Lockfile['sets'][string];
        let source: 'cache' | 'vendor' | 'registry' = 'cache';
        let bundle = await cache.readBundle(integrity, { name, version });
        if (!bundle && options.vendorDir) {
          try {
            bundle = await readBundle(new Uint8Array(await readFile(vendorPath(options.vendorDir, name, version))), {
              integrity,
              name,
              version,
            });
            source = 'vendor';
            await cache.writeBundle(bundle);
          } catch {
            bundle = null;
          }
        }
        if (!bundle) {
          if (!client)
            throw new AnvilSdkError({
              code: 'unavailable',
              message: `${name}@${version} is not in the cache (${options.cacheDir}) and no registry is configured`,
            });
          bundle = await client.bundle(name, version, integrity);
          await cache.writeBundle(bundle);
          downloaded += bundle.bytes.length;
          source = 'registry';
        }
        bundles.set(name, bundle);
        done += 1;
        options.onProgress?.({ name, version, done, total: names.length, source, bytes: bundle.bytes.length });
      }),
    ),
  );

  const keep = new Set<string>();
  if (options.vendorDir)
    for (const name of names) {
      const bundle = bundles.get(name) as Bundle;
      const path = vendorPath(options.vendorDir, name, bundle.document.manifest.version);
      keep.add(path);
      const existing = await readFile(path).catch(() => null);
      if (!existing || Buffer.compare(existing, bundle.bytes) !== 0) await writeFileAtomic(path, bundle.bytes);
    }

  const text = serializeLockfile(lock);
  const changed = text !== oldText;
  if (changed) {
    if (options.frozen)
      throw new AnvilSdkError({
        code: 'lock_outdated',
        message: `the lock file ${options.lockfile} is not in its canonical form; run \`anvil pull\` without --frozen and commit it`,
      });
    await writeFileAtomic(options.lockfile, text);
  }
  if (options.vendorDir) await pruneVendor(options.vendorDir, keep);
  return { lockfile: lock, text, changed, downloaded, deprecated };
}

/** Removes vendored bundles the lock no longer names (and empty folders), after the new lock is written. */
async function pruneVendor(dir: string, keep: ReadonlySet<string>): Promise<void> {
  let entries: string[];
  try {
    entries = (await readdir(dir, { recursive: true })) as string[];
  } catch {
    return;
  }
  const files = entries.map((e) => join(dir, e)).filter((p) => p.endsWith('.json') || p.endsWith('.tmp'));
  for (const path of files) if (!keep.has(path)) await rm(path, { force: true });
  // Deepest first, so a set folder goes before its project folder.
  const folders = entries
    .map((e) => join(dir, e))
    .filter((p) => !files.includes(p))
    .sort((a, b) => relative(dir, b).split(sep).length - relative(dir, a).split(sep).length);
  for (const folder of folders) await rmdir(folder).catch(() => {});
}
