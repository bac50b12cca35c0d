import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { AnvilError } from '../../shared/domain';

/**
 * Bundles on disk, content-addressed: `<dir>/<sha512 hex>.json` holds exactly the bytes whose integrity is
 * `sha512-<base64>` of the same digest. A file is written whole (temp file, fsync, rename, folder fsync) before
 * the database row that names it commits, so a row never points at a missing or torn file. Every read is checked
 * against its integrity; verified bytes are cached while the file's identity on disk (size, times, inode) stays
 * the same, so an altered file is read again, refused and never served.
 */
export interface BundleFiles {
  /** Stores `bytes` under `integrity` (which must be theirs); a file already holding them is kept. */
  write(bytes: Uint8Array, integrity: string): void;
  /** The verified bytes; throws `integrity_mismatch` (altered or truncated) or `bundle_missing`. */
  read(integrity: string, size: number): Uint8Array;
  /** Where the bytes of `integrity` live. */
  pathOf(integrity: string): string;
}

export interface BundleFilesOptions {
  /** Bytes of verified bundles kept in memory (default 64 MiB); the least recently used go first. */
  cacheBytes?: number;
  log?: (line: string) => void;
}

/** `sha512-<base64>` of `bytes` (the SRI form npm writes as `dist.integrity`). */
export function sha512Integrity(bytes: Uint8Array): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

interface Cached {
  bytes: Uint8Array;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
}

/** Temp files older than this are left from a crash mid-write (a live write takes milliseconds). */
const STALE_TEMP_MS = 60 * 60 * 1000;

export function openBundleFiles(dir: string, options: BundleFilesOptions = {}): BundleFiles {
  mkdirSync(dir, { recursive: true });
  removeStaleTemps(dir);
  const cacheLimit = options.cacheBytes ?? 64 * 1024 * 1024;
  const log = options.log ?? (() => undefined);
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recently used.
  const cache = new Map<string, Cached>();
  let cachedBytes = 0;

  const pathOf = (integrity: string) => join(dir, `${hexOf(integrity)}.json`);

  const forget = (path: string) => {
    const old = cache.get(path);
    if (!old) return;
    cache.delete(path);
    cachedBytes -= old.bytes.byteLength;
  };
  const remember = (path: string, entry: Cached) => {
    forget(path);
    if (entry.bytes.byteLength > cacheLimit) return;
    cache.set(path, entry);
    cachedBytes += entry.bytes.byteLength;
    for (const [key, value] of cache) {
      if (cachedBytes <= cacheLimit) break;
      cache.delete(key);
      cachedBytes -= value.bytes.byteLength;
    }
  };

  const mismatch = (integrity: string, path: string, why: string) => {
    log(`registry: bundle ${path} does not match ${integrity} (${why}); refused`);
    return new AnvilError({
      code: 'integrity_mismatch',
      message: `The stored bundle ${path} no longer matches its integrity ${integrity} (${why}); it is not served. Restore the file from a backup.`,
      path,
      details: { integrity },
    });
  };

  const verifiedOnDisk = (path: string, integrity: string): boolean => {
    try {
      return sha512Integrity(readFileSync(path)) === integrity;
    } catch {
      return false;
    }
  };

  return {
    pathOf,

    write(bytes, integrity) {
      if (sha512Integrity(bytes) !== integrity)
        throw new AnvilError({
          code: 'integrity_mismatch',
          message: `A bundle to store does not hash to the integrity ${integrity} it was given.`,
        });
      const path = pathOf(integrity);
      // Same bytes, same name: a retry or a racing publisher already stored them.
      if (verifiedOnDisk(path, integrity)) return;
      const temp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
      try {
        const fd = openSync(temp, 'wx', 0o644);
        try {
          let written = 0;
          while (written < bytes.byteLength) written += writeSync(fd, bytes, written);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(temp, path);
      } catch (err) {
        rmSync(temp, { force: true });
        throw new AnvilError({
          code: 'bundle_write_failed',
          message: `Could not store the bundle ${path}: ${(err as Error).message}`,
          path,
        });
      }
      fsyncDir(dir);
      forget(path);
    },

    read(integrity, size) {
      const path = pathOf(integrity);
      let stat;
      try {
        stat = statSync(path, { bigint: true });
      } catch {
        forget(path);
        log(`registry: bundle ${path} is missing`);
        throw new AnvilError({
          code: 'integrity_mismatch',
          message: `The stored bundle ${path} (${integrity}) is missing; it cannot be served. Restore the file from a backup.`,
          path,
          details: { integrity },
        });
      }
      const hit = cache.get(path);
      if (
        hit &&
        hit.bytes.byteLength === size &&
        hit.size === stat.size &&
        hit.mtimeNs === stat.mtimeNs &&
        hit.ctimeNs === stat.ctimeNs &&
        hit.ino === stat.ino
      ) {
        cache.delete(path);
        cache.set(path, hit);
        return hit.bytes;
      }
      forget(path);
      const bytes = new Uint8Array(readFileSync(path));
      if (bytes.byteLength !== size)
        throw mismatch(integrity, path, `${bytes.byteLength} bytes on disk, ${size} published`);
      if (sha512Integrity(bytes) !== integrity) throw mismatch(integrity, path, 'its bytes were changed');
      remember(path, { bytes, size: stat.size, mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs, ino: stat.ino });
      return bytes;
    },
  };
}

/** The hex digest inside `sha512-<base64>`: the file name, so it never carries `/` or `+` from base64. */
function hexOf(integrity: string): string {
  const m = /^sha512-([A-Za-z0-9+/]{86}==)$/.exec(integrity);
  if (!m)
    throw new AnvilError({
      code: 'invalid_integrity',
      message: `"${integrity.slice(0, 100)}" is not an sha512 integrity.`,
    });
  return Buffer.from(m[1] as string, 'base64').toString('hex');
}

function removeStaleTemps(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!name.includes('.tmp-')) continue;
    try {
      const path = join(dir, name);
      if (Date.now() - statSync(path).mtimeMs > STALE_TEMP_MS) rmSync(path, { force: true });
    } catch {
      // Another process renamed or removed it meanwhile.
    }
  }
}

/** Makes a rename durable: the folder entry is fsynced too (a no-op where folders cannot be opened). */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
