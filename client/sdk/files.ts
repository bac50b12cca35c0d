import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

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
