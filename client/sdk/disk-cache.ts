import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AnvilError } from '../../shared/domain/result';
import { readBundle } from '../../shared/registry/bundle';
import { isIntegrity } from '../../shared/registry/integrity';
import type { Bundle, PackageMetadata } from '../../shared/registry/types';
import { writeFileAtomic } from './files';

/** A package's metadata as last fetched: the registry's ETag (for a conditional GET) and when (ms). */
export interface CachedMetadata {
  metadata: PackageMetadata;
  etag: string | null;
  fetchedAt: number;
}

/** The SDK's disk cache (see {@link openDiskCache}). */
export interface DiskCache {
  /** The cache's folder. */
  readonly dir: string;
  /**
   * The bundle with this integrity, verified (sha512, schema, name and version) on every read; null when absent.
   * A file that fails verification is deleted, reported through `onProblem`, and answered null: the caller
   * fetches it again or refuses, never renders from it.
   */
  readBundle(integrity: string, expected: { name: string; version: string }): Promise<Bundle | null>;
  /** Stores a verified bundle under its integrity (atomically: a reader never sees half a file). */
  writeBundle(bundle: Bundle): Promise<void>;
  /** A package's metadata as last fetched, or null. */
  readMetadata(name: string): Promise<CachedMetadata | null>;
  /** Stores a package's metadata with its ETag and fetch time (atomically). */
  writeMetadata(name: string, entry: CachedMetadata): Promise<void>;
  /** Where the bundle with this integrity is (or would be) stored. */
  bundlePath(integrity: string): string;
}

/** `sha512-<base64>` → `sha512-<hex>`: a file name without `/` or `+`, one per content. */
export function integrityFileName(integrity: string): string {
  if (!isIntegrity(integrity))
    throw new AnvilError({ code: 'invalid_integrity', message: `"${integrity}" is not an sha512 integrity` });
  return `sha512-${Buffer.from(integrity.slice('sha512-'.length), 'base64').toString('hex')}.json`;
}

/**
 * The SDK's disk cache under `cacheDir`:
 *   bundles/sha512-<hex>.json   a bundle's exact bytes, addressed by their integrity (immutable, kept for good)
 *   metadata/<@p%2Fs>.json      { metadata, etag, fetchedAt } of a package
 * Every write is a temp file and a rename, so concurrent writers (two processes pulling the same bundle) never
 * leave a torn file; every bundle read is verified against the integrity it is addressed by.
 */
export function openDiskCache(dir: string, onProblem: (error: AnvilError) => void = () => {}): DiskCache {
  const bundlePath = (integrity: string) => join(dir, 'bundles', integrityFileName(integrity));
  const metadataPath = (name: string) => join(dir, 'metadata', `${encodeURIComponent(name)}.json`);
  return {
    dir,
    bundlePath,
    async readBundle(integrity, expected) {
      const path = bundlePath(integrity);
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(path));
      } catch {
        return null;
      }
      try {
        return await readBundle(bytes, { integrity, ...expected });
      } catch (err) {
        await rm(path, { force: true });
        const e = err instanceof AnvilError ? err : new AnvilError({ code: 'invalid_bundle', message: String(err) });
        onProblem(
          new AnvilError({
            code: e.code,
            message: `the cached bundle ${expected.name}@${expected.version} (${path}) failed verification and was removed: ${e.message}`,
            path,
            details: e.details,
          }),
        );
        return null;
      }
    },
    writeBundle: (bundle) => writeFileAtomic(bundlePath(bundle.integrity), bundle.bytes, { durable: false }),
    async readMetadata(name) {
      try {
        const entry = JSON.parse(await readFile(metadataPath(name), 'utf8')) as CachedMetadata;
        if (entry?.metadata?.name !== name || typeof entry.fetchedAt !== 'number' || !entry.metadata.versions)
          return null;
        return entry;
      } catch {
        return null;
      }
    },
    writeMetadata: (name, entry) => writeFileAtomic(metadataPath(name), JSON.stringify(entry), { durable: false }),
  };
}
