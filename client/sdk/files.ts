import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file whole or not at all: a temp file beside it, flushed to disk, then renamed over it. A reader
 * (or a concurrent writer of the same entry) sees the old bytes or the new, never a torn file; a crash leaves
 * at worst a `.tmp` file, which nothing reads. `durable: false` skips the flush: for the disk cache, whose
 * entries are verified on every read, so one lost to a power cut is refetched, and 200 flushes made most of a
 * cold pull's time.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: { durable?: boolean } = {},
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w', 0o644);
  try {
    await handle.writeFile(data);
    if (options.durable !== false) await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** `<path>.<pid>.<12 hex>.tmp`: the temp file {@link writeFileAtomic} writes before its rename. */
const TEMP_NAME = /\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/** Whether `path` is a temp file (of {@link writeFileAtomic}, or any `.tmp`). */
export const isTempFile = (path: string): boolean => path.endsWith('.tmp');

/**
 * Whether the process that writes the temp file `path` still runs (its write may be in progress: leave it).
 * A temp file whose writer is gone (killed mid-write) is garbage.
 */
export function tempWriterAlive(path: string): boolean {
  const pid = Number(TEMP_NAME.exec(path)?.[1] ?? NaN);
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes this process's temp files at once (synchronously): under `folders` (recursively), and beside each of
 * `files`. For a process about to exit in the middle of a write (a second Ctrl-C), so the folders it wrote keep
 * no `.tmp` of it.
 */
export function removeOwnTempFilesSync(folders: readonly string[], files: readonly string[] = []): void {
  const own = new RegExp(`\\.${process.pid}\\.[0-9a-f]{12}\\.tmp$`);
  const list = (dir: string, recursive: boolean): string[] => {
    try {
      return readdirSync(dir, { recursive }) as string[];
    } catch {
      return [];
    }
  };
  for (const dir of folders) for (const e of list(dir, true)) if (own.test(e)) rmSync(join(dir, e), { force: true });
  for (const file of files)
    for (const e of list(dirname(file), false))
      if (e.startsWith(`${basename(file)}.`) && own.test(e)) rmSync(join(dirname(file), e), { force: true });
}
