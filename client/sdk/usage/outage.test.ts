// The server unreachable while the application renders: renders unaffected, events kept in the disk spool and
// delivered once it is back, exactly once each; a spool that fills up drops its oldest batches and says how
// many. A few seconds of outage here; the full minute under ANVIL_SOAK=1.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lockfile } from '../../../shared/registry/lockfile';
import { createAnvil } from '../anvil';
import type { Anvil, AnvilOptions } from '../anvil';
import type { Receiver } from './test-kit';
import { seedCache, startReceiver, until } from './test-kit';

const SOAK = process.env.ANVIL_SOAK === '1';
const OUTAGE_MS = SOAK ? 60_000 : 2_000;

const dirs: string[] = [];
const opened: Anvil[] = [];
let receiver: Receiver;
let lockfile: Lockfile;

const temp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'anvil-usage-outage-'));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  receiver = await startReceiver();
  lockfile = await seedCache(temp());
});
afterAll(async () => {
  for (const a of opened) await a.close();
  await receiver.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function open(cacheDir: string, usage: NonNullable<AnvilOptions['usage']>): Promise<Anvil> {
  await seedCache(cacheDir);
  const a = createAnvil({ cacheDir, lockfile, mode: 'locked', registry: receiver.url, usage });
  opened.push(a);
  return a;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

describe('server unreachable', () => {
  it(
    `renders go on during a ${OUTAGE_MS / 1000} s outage; every event arrives afterwards, exactly once`,
    async () => {
      receiver.batches.length = 0;
      const cacheDir = temp();
      const anvil = await open(cacheDir, {
        batchSize: SOAK ? 500 : 100,
        flushMs: 100,
        retryMinMs: 50,
        retryMaxMs: 400,
        spoolBytes: 256 * 1024 * 1024,
      });
      const ids = new Set<string>();
      const render = async (): Promise<number> => {
        const t0 = performance.now();
        const r = await anvil.getOrThrow('@acme/support/greet', { customer: 'Ada' });
        ids.add(r.renderId as string);
        return performance.now() - t0;
      };
      // Before: the server up.
      const before: number[] = [];
      for (let i = 0; i < 200; i++) before.push(await render());

      await receiver.down();
      const during: number[] = [];
      const end = Date.now() + OUTAGE_MS;
      // About 500 renders a second: a busy application (30,000 events over the minute of the soak run).
      while (Date.now() < end) {
        for (let i = 0; i < 5; i++) during.push(await render());
        await sleep(10);
      }
      const stats = anvil.usageStats();
      expect(stats.lastError).toMatch(/unreachable/);
      expect(stats.spooled).toBeGreaterThan(0);
      expect(stats.dropped).toBe(0);
      expect(readdirSync(join(cacheDir, 'usage')).some((f) => f.endsWith('.jsonl'))).toBe(true);
      // Renders unaffected: none failed (getOrThrow), and a typical one took as long as before the outage.
      expect(median(during)).toBeLessThan(Math.max(1, median(before) * 3));

      await receiver.up();
      for (let i = 0; i < 50; i++) await render();
      await until(
        'every event delivered',
        () => anvil.usageStats().sent === ids.size && anvil.usageStats().pending === 0,
        SOAK ? 60_000 : 10_000,
      );
      await anvil.flush();
      const received = receiver.events().map((e) => e.id);
      expect(receiver.duplicates()).toEqual([]);
      expect(received.length).toBe(ids.size);
      expect(new Set(received)).toEqual(ids);
      expect(anvil.usageStats()).toMatchObject({ recorded: ids.size, sent: ids.size, dropped: 0, spooled: 0 });
      expect(receiver.batches.every((b) => b.dropped === 0)).toBe(true);
    },
    OUTAGE_MS * 2 + 30_000,
  );

  it('spool full: the oldest batches are dropped, counted, and the count reaches the server', async () => {
    receiver.batches.length = 0;
    await receiver.down();
    const cacheDir = temp();
    // About 16 KB holds a few batches of 20 events (~300 bytes each): most of 400 renders cannot be kept.
    const anvil = await open(cacheDir, { batchSize: 20, flushMs: 60_000, spoolBytes: 16 * 1024, retryMinMs: 60_000 });
    const ids: string[] = [];
    for (let i = 0; i < 400; i++)
      ids.push((await anvil.getOrThrow('@acme/support/greet', { customer: `c${i}` })).renderId as string);
    await anvil.flush();
    const stats = anvil.usageStats();
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.droppedUnreported).toBe(stats.dropped);
    expect(stats.spooled + stats.dropped).toBe(400);
    expect(stats.spoolBytes).toBeLessThanOrEqual(16 * 1024);
    // Closed while the server is down: the spool and the drop count stay on disk for the next process.
    await anvil.close();

    await receiver.up();
    const next = await open(cacheDir, { batchSize: 20, flushMs: 60_000 });
    await next.flush();
    const received = receiver.events().map((e) => e.id);
    // The newest were kept, the oldest dropped.
    expect(received).toEqual(ids.slice(ids.length - received.length));
    expect(received.length).toBe(stats.spooled);
    expect(receiver.batches[0]?.dropped).toBe(stats.dropped);
    expect(receiver.batches.slice(1).every((b) => b.dropped === 0)).toBe(true);
    expect(next.usageStats()).toMatchObject({ dropped: 0, droppedUnreported: 0, spooled: 0, sent: received.length });
    expect(readdirSync(join(cacheDir, 'usage'))).toEqual([]);
  });

  it('503 answers are retried like an unreachable server', async () => {
    receiver.batches.length = 0;
    const anvil = await open(temp(), { batchSize: 5, flushMs: 50, retryMinMs: 20, retryMaxMs: 50 });
    receiver.status = 503;
    for (let i = 0; i < 12; i++) await anvil.getOrThrow('@acme/support/greet', { customer: 'Ada' });
    await until('a failed attempt', () => (anvil.usageStats().lastError ?? '').startsWith('503'));
    receiver.status = 200;
    await until('all delivered', () => anvil.usageStats().sent === 12, 5_000);
    expect(receiver.events()).toHaveLength(12);
    expect(receiver.duplicates()).toEqual([]);
  });
});
