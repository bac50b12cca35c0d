import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../files';
import type { PreparedEvent } from './prepare';

/**
 * Batches kept on disk while the server is unreachable: one JSONL file per batch (a line per event), named
 * `<ms>-<pid>-<seq>-<events>.jsonl` so the oldest sorts first and its size in events is known without reading
 * it. Bounded by bytes: a write that would pass the limit first deletes the oldest files, and what they held
 * is counted as dropped. Files are written whole (temp file + rename), so a crash never leaves half a batch;
 * a later process with the same cache folder sends what an earlier one left.
 */
export interface Spool {
  readonly dir: string;
  /** Events and bytes on disk. */
  readonly events: number;
  readonly bytes: number;
  /** Writes one batch; returns how many events were dropped to make room (the batch's own when it alone is too big). */
  write(batch: readonly PreparedEvent[]): Promise<number>;
  /** The oldest batch, or null when the spool is empty. */
  oldest(): Promise<{ file: string; events: PreparedEvent[] } | null>;
  /** Deletes a batch once the server has it (or refused it for good). */
  remove(file: string): Promise<void>;
  /** Drops not yet reported, kept on disk so a restart still reports them. */
  readonly carriedDropped: number;
  saveDropped(n: number): Promise<void>;
}

const SEGMENT = /^(\d{15})-(\d+)-(\d+)-(\d+)\.jsonl$/;
const DROPPED_FILE = 'dropped.json';

interface Segment {
  file: string;
  events: number;
  bytes: number;
}

export async function openSpool(dir: string, maxBytes: number): Promise<Spool> {
  await mkdir(dir, { recursive: true });
  const segments: Segment[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const m = SEGMENT.exec(name);
    if (!m) continue;
    try {
      segments.push({ file: name, events: Number(m[4]), bytes: (await stat(join(dir, name))).size });
    } catch {
      // Taken by another process meanwhile.
    }
  }
  let carriedDropped = 0;
  try {
    const n = (JSON.parse(await readFile(join(dir, DROPPED_FILE), 'utf8')) as { dropped?: unknown }).dropped;
    if (typeof n === 'number' && Number.isSafeInteger(n) && n > 0) carriedDropped = n;
  } catch {
    // None saved.
  }
  let seq = 0;
  let savedDropped = carriedDropped;
  const totals = () =>
    segments.reduce((a, s) => ({ events: a.events + s.events, bytes: a.bytes + s.bytes }), {
      events: 0,
      bytes: 0,
    });

  return {
    dir,
    get events() {
      return totals().events;
    },
    get bytes() {
      return totals().bytes;
    },
    carriedDropped,
    async write(batch) {
      if (batch.length === 0) return 0;
      const text = `${batch.join('\n')}\n`;
      const bytes = Buffer.byteLength(text);
      if (bytes > maxBytes) return batch.length;
      let dropped = 0;
      let used = totals().bytes;
      while (segments.length > 0 && used + bytes > maxBytes) {
        const old = segments.shift() as Segment;
        used -= old.bytes;
        dropped += old.events;
        await rm(join(dir, old.file), { force: true });
      }
      const name = `${String(Date.now()).padStart(15, '0')}-${process.pid}-${String(++seq).padStart(6, '0')}-${batch.length}.jsonl`;
      await writeFileAtomic(join(dir, name), text, { durable: false });
      segments.push({ file: name, events: batch.length, bytes });
      return dropped;
    },
    async oldest() {
      while (segments.length > 0) {
        const s = segments[0] as Segment;
        try {
          const text = await readFile(join(dir, s.file), 'utf8');
          return { file: s.file, events: text.split('\n').filter((l) => l.length > 0) };
        } catch {
          // Gone (another process sent it): forget it.
          segments.shift();
        }
      }
      return null;
    },
    async remove(file) {
      const i = segments.findIndex((s) => s.file === file);
      if (i >= 0) segments.splice(i, 1);
      await rm(join(dir, file), { force: true });
    },
    async saveDropped(n) {
      if (n === savedDropped) return;
      savedDropped = n;
      if (n === 0) await rm(join(dir, DROPPED_FILE), { force: true });
      else await writeFileAtomic(join(dir, DROPPED_FILE), JSON.stringify({ dropped: n }), { durable: false });
    },
  };
}
