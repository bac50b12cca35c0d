import { readFile, readdir, rm, rmdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import pLimit from 'p-limit';
import type { AnvilError } from '../../shared/domain/result';
import { readBundle } from '../../shared/registry/bundle';
import { lockMismatch, lockedExperiments, parseLockfile, serializeLockfile } from '../../shared/registry/lockfile';
import type { Lockfile } from '../../shared/registry/lockfile';
import { parseManifest } from '../../shared/registry/manifest';
import type { ConsumerManifest } from '../../shared/registry/manifest';
import { experimentVersions, graphToLockfile, resolveGraph } from '../../shared/registry/resolve-graph';
import type { Bundle, PackageMetadata } from '../../shared/registry/types';
import { openDiskCache } from './disk-cache';
import { AnvilSdkError } from './errors';
import { isTempFile, tempWriterAlive, writeFileAtomic } from './files';
import { vendorPath } from './loader';
import { createRegistryClient } from './registry-client';
import type { FetchLike, RegistryClient } from './registry-client';

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
  /**
   * Stops the pull (Ctrl-C in `anvil pull`): downloads in flight are cancelled and it rejects with an
   * `interrupted` error, the lock file and the vendored folder as they were. Once the new lock file is written
   * the pull is done and finishes (removing what the lock no longer names) whatever the signal says.
   */
  signal?: AbortSignal;
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

/** The error of a pull its signal stopped before the new lock file was written. */
function interrupted(cause: unknown): AnvilSdkError {
  return new AnvilSdkError({
    code: 'interrupted',
    message: 'interrupted; nothing was changed (the lock file and the vendored bundles are as they were)',
    cause,
  });
}

/**
 * `anvil pull` as a library: resolves anvil.json (keeping the lock's versions while they still satisfy), makes
 * sure every locked bundle is in the cache and verified (downloading what is missing), vendors them when asked,
 * then writes the lock file in one rename. Nothing is written until every bundle verified, and vendored files
 * of the previous lock are removed only after the new lock is in place, so an interrupted pull leaves the
 * previous state usable. A lock that still answers its manifest is not re-resolved: pulling with a complete
 * cache needs no network, and twice gives the same bytes.
 *
 * When one download fails the others are cancelled, and the pull settles only once every download has
 * stopped: nothing is written after it rejected. A failure or an abort while vendoring puts the vendored files
 * back as they were.
 */
export async function pull(options: PullOptions): Promise<PullResult> {
  if (options.signal?.aborted) throw interrupted(options.signal.reason);
  // Aborted by the caller's signal or by the first failed download: every request in flight stops with it.
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await pullWith(options, stop);
  } catch (err) {
    throw options.signal?.aborted ? interrupted(err) : err;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

async function pullWith(options: PullOptions, stop: AbortController): Promise<PullResult> {
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
        signal: stop.signal,
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
  if (old && oldProblem === null) {
    lock = client ? await withCurrentExperiments(old, client) : old;
    const moved = options.frozen ? experimentChange(old, lock) : null;
    if (moved)
      throw new AnvilSdkError({
        code: 'lock_outdated',
        message: `the lock file would change (${moved}); run \`anvil pull\` without --frozen and commit ${options.lockfile}`,
      });
  } else {
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
  // The first failure stops the others, and the pull goes on only once all of them have settled.
  let downloaded = 0;
  let done = 0;
  let failure: { error: unknown } | null = null;
  const names = Object.keys(lock.sets).sort();
  // The locked versions, then the other versions experiments target (rendered for their variants).
  const jobs: { name: string; version: string; integrity: string }[] = names.map((name) => ({
    name,
    version: (lock.sets[name] as Lockfile['sets'][string]).version,
    integrity: (lock.sets[name] as Lockfile['sets'][string]).integrity,
  }));
  for (const name of names)
    for (const [version, integrity] of Object.entries(lock.sets[name]?.variantVersions ?? {}))
      jobs.push({ name, version, integrity });
  const bundles = new Map<string, Bundle>();
  const limit = pLimit(DOWNLOAD_CONCURRENCY);
  const fetchOne = async ({ name, version, integrity }: (typeof jobs)[number]): Promise<void> => {
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
      // Stopped meanwhile (another download failed, Ctrl-C): the pull fails, and leaves the cache as it was.
      if (stop.signal.aborted) return;
      await cache.writeBundle(bundle);
      downloaded += bundle.bytes.length;
      source = 'registry';
    }
    bundles.set(`${name}@${version}`, bundle);
    done += 1;
    options.onProgress?.({ name, version, done, total: jobs.length, source, bytes: bundle.bytes.length });
  };
  await Promise.all(
    jobs.map((job) =>
      limit(async () => {
        if (stop.signal.aborted) return;
        try {
          await fetchOne(job);
        } catch (err) {
          failure ??= { error: err };
          stop.abort(err);
        }
      }),
    ),
  );
  if (options.signal?.aborted) throw interrupted(options.signal.reason);
  if (failure) throw (failure as { error: unknown }).error;

  const text = serializeLockfile(lock);
  const changed = text !== oldText;
  if (changed && options.frozen)
    throw new AnvilSdkError({
      code: 'lock_outdated',
      message: `the lock file ${options.lockfile} is not in its canonical form; run \`anvil pull\` without --frozen and commit it`,
    });

  // The vendored files, then the lock: stopped or failing before the lock is written, the vendored files
  // written so far are put back as they were.
  const keep = new Set<string>();
  const written: { path: string; previous: Buffer | null }[] = [];
  try {
    if (options.vendorDir)
      for (const { name, version } of jobs) {
        if (options.signal?.aborted) throw interrupted(options.signal.reason);
        const bundle = bundles.get(`${name}@${version}`) as Bundle;
        const path = vendorPath(options.vendorDir, name, bundle.document.manifest.version);
        keep.add(path);
        const existing = await readFile(path).catch(() => null);
        if (!existing || Buffer.compare(existing, bundle.bytes) !== 0) {
          await writeFileAtomic(path, bundle.bytes); // whole or not at all: a failed write changed nothing
          written.push({ path, previous: existing });
        }
      }
    if (options.signal?.aborted) throw interrupted(options.signal.reason);
    if (changed) await writeFileAtomic(options.lockfile, text);
  } catch (err) {
    if (options.vendorDir) await restoreVendor(options.vendorDir, written);
    throw err;
  }
  // The new lock is in place: the pull is done, whatever the signal says from here on.
  if (options.vendorDir) await pruneVendor(options.vendorDir, keep);
  return { lockfile: lock, text, changed, downloaded, deprecated };
}

/**
 * The lock with each set's experiments (and the versions they target) as the registry has them now, its
 * versions unchanged: a lock that answers its manifest still follows experiments at each `anvil pull`. With the
 * registry unreachable the lock's own are kept (the pull does not need the registry otherwise).
 */
async function withCurrentExperiments(lock: Lockfile, client: RegistryClient): Promise<Lockfile> {
  const limit = pLimit(DOWNLOAD_CONCURRENCY);
  const sets: Lockfile['sets'] = {};
  try {
    await Promise.all(
      Object.entries(lock.sets).map(([name, entry]) =>
        limit(async () => {
          let meta: PackageMetadata | null;
          try {
            const answer = await client.metadata(name);
            meta = answer.notModified ? null : answer.metadata;
          } catch (err) {
            // Gone upstream: the pinned bundle is still served, with the experiments it was pulled with.
            if ((err as AnvilSdkError).code !== 'unknown_package') throw err;
            sets[name] = entry;
            return;
          }
          const { experiments: _e, variantVersions: _v, ...rest } = entry;
          const experiments = lockedExperiments(meta?.experiments);
          const variantVersions = meta ? experimentVersions(meta, entry.version) : undefined;
          sets[name] = {
            ...rest,
            ...(experiments ? { experiments } : {}),
            ...(variantVersions ? { variantVersions } : {}),
          };
        }),
      ),
    );
  } catch (err) {
    const code = (err as AnvilSdkError).code;
    if (code === 'registry_unreachable' || code === 'registry_error') return lock;
    throw err;
  }
  return { ...lock, sets };
}

/** What changed in the sets' experiments between two locks of the same versions, or null. */
function experimentChange(before: Lockfile, after: Lockfile): string | null {
  for (const name of Object.keys(after.sets).sort()) {
    const a = JSON.stringify(lockedExperiments(before.sets[name]?.experiments) ?? []);
    const b = JSON.stringify(lockedExperiments(after.sets[name]?.experiments) ?? []);
    if (a !== b) return `the experiments of ${name} changed in the registry`;
  }
  return null;
}

/** Puts vendored files back as they were before this pull wrote them (removing new ones and their folders). */
async function restoreVendor(dir: string, written: readonly { path: string; previous: Buffer | null }[]) {
  for (const { path, previous } of [...written].reverse()) {
    if (previous) await writeFileAtomic(path, previous).catch(() => {});
    else {
      await rm(path, { force: true }).catch(() => {});
      for (let folder = dirname(path); folder.startsWith(dir + sep); folder = dirname(folder))
        if (
          !(await rmdir(folder).then(
            () => true,
            () => false,
          ))
        )
          break;
    }
  }
}

/**
 * Removes vendored bundles the lock no longer names (and empty folders), after the new lock is written; and
 * temp files left by a writer that died (a temp file of a running process, another pull writing the same
 * folder, is its write in progress).
 */
async function pruneVendor(dir: string, keep: ReadonlySet<string>): Promise<void> {
  let entries: string[];
  try {
    entries = (await readdir(dir, { recursive: true })) as string[];
  } catch {
    return;
  }
  const files = entries.map((e) => join(dir, e)).filter((p) => p.endsWith('.json') || isTempFile(p));
  for (const path of files)
    if (!keep.has(path) && !(isTempFile(path) && tempWriterAlive(path))) await rm(path, { force: true });
  // Deepest first, so a set folder goes before its project folder.
  const folders = entries
    .map((e) => join(dir, e))
    .filter((p) => !files.includes(p))
    .sort((a, b) => relative(dir, b).split(sep).length - relative(dir, a).split(sep).length);
  for (const folder of folders) await rmdir(folder).catch(() => {});
}
