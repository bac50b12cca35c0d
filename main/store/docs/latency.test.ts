import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import { DocStore } from './doc-store';
import { SOAK, draftDoc, draftText, openDocsDb, tempDbFile } from './testing';

let db: Database | undefined;
afterEach(() => db?.close());

describe('DocStore acknowledgement latency', () => {
  it('acknowledges every edit of a steady stream within 100 ms of the edit', async () => {
    db = openDocsDb(tempDbFile());
    const store = new DocStore(db); // default maxDelayMs, real synchronous=FULL commits on disk
    await store.create('s1', 'set', draftDoc());
    const waits: number[] = [];
    const pending: Promise<void>[] = [];
    const end = performance.now() + (SOAK ? 20_000 : 1_500);
    let n = 0;
    // A fast typist plus an editor binding: bursts of 1 to 3 keystrokes every 1 to 4 ms.
    while (performance.now() < end) {
      for (let k = 1 + (n % 3); k > 0; k--) {
        const at = performance.now();
        const i = n++;
        pending.push(
          store
            .transact('s1', (doc) => draftText(doc).insert(draftText(doc).length, String(i % 10)))
            .then(() => void waits.push(performance.now() - at)),
        );
      }
      await sleep(1 + (n % 4));
    }
    await Promise.all(pending);
    await store.close();
    waits.sort((a, b) => a - b);
    const p = (q: number): number => waits[Math.min(waits.length - 1, Math.floor(q * waits.length))] ?? NaN;
    console.log(
      `${waits.length} edits: ack p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms, max ${p(1).toFixed(1)} ms`,
    );
    expect(waits.length).toBe(n);
    expect(p(1)).toBeLessThan(100);
  });
});
