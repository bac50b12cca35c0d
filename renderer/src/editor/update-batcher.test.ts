import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { SaveStatus } from './update-batcher';
import { UpdateBatcher } from './update-batcher';

/** Manual timers: tests decide when a delay has passed. */
function clock() {
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  return {
    setTimer: (fn: () => void, ms: number) => {
      timers.set(next, { fn, ms });
      return next++;
    },
    clearTimer: (h: unknown) => timers.delete(h as number),
    pending: () => [...timers.values()].map((t) => t.ms),
    fire() {
      const all = [...timers.entries()];
      timers.clear();
      for (const [, t] of all) t.fn();
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

function edits(n: number): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < n; i++) doc.getText('t').insert(i, String(i % 10));
  return { doc, updates };
}

describe('UpdateBatcher', () => {
  it('merges a burst of updates into one send after the delay', async () => {
    const c = clock();
    const sent: Uint8Array[] = [];
    const b = new UpdateBatcher({ send: async (u) => void sent.push(u), delayMs: 40, ...c });
    const { doc, updates } = edits(20);
    for (const u of updates) b.push(u);
    expect(sent).toHaveLength(0);
    expect(c.pending()).toEqual([40]);
    c.fire();
    await b.idle();
    expect(sent).toHaveLength(1);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, sent[0] as Uint8Array);
    expect(copy.getText('t').toString()).toBe(doc.getText('t').toString());
    expect(b.status).toEqual({ state: 'saved' });
  });

  it('reports pending, saving and saved', async () => {
    const c = clock();
    const statuses: SaveStatus['state'][] = [];
    const b = new UpdateBatcher({ send: async () => {}, onStatus: (s) => statuses.push(s.state), ...c });
    b.push(edits(1).updates[0] as Uint8Array);
    c.fire();
    await b.idle();
    expect(statuses).toEqual(['pending', 'saving', 'saved']);
  });

  it('keeps one send in flight; updates made meanwhile go in the next batch, in order', async () => {
    const c = clock();
    const sent: Uint8Array[] = [];
    let release: () => void = () => {};
    const b = new UpdateBatcher({
      send: (u) => {
        sent.push(u);
        return new Promise<void>((r) => (release = r));
      },
      ...c,
    });
    const { doc, updates } = edits(6);
    for (const u of updates.slice(0, 3)) b.push(u);
    c.fire();
    await tick();
    for (const u of updates.slice(3)) b.push(u);
    expect(c.pending()).toEqual([]); // nothing scheduled while one is in flight
    release();
    await tick();
    expect(c.pending()).toHaveLength(1);
    c.fire();
    await tick();
    release();
    await b.idle();
    expect(sent).toHaveLength(2);
    const copy = new Y.Doc();
    for (const u of sent) Y.applyUpdate(copy, u);
    expect(copy.getText('t').toString()).toBe(doc.getText('t').toString());
  });

  it('a failed send is retried with backoff and nothing is lost', async () => {
    const c = clock();
    const sent: Uint8Array[] = [];
    let fail = 2;
    const b = new UpdateBatcher({
      send: async (u) => {
        if (fail-- > 0) throw new Error('The connection to the studio closed.');
        sent.push(u);
      },
      retryMs: 100,
      ...c,
    });
    const { doc, updates } = edits(5);
    for (const u of updates) b.push(u);
    c.fire();
    await tick();
    expect(b.status).toMatchObject({ state: 'error', retryInMs: 100, message: 'The connection to the studio closed.' });
    c.fire();
    await tick();
    expect(b.status).toMatchObject({ state: 'error', retryInMs: 200 });
    b.push(edits(1).updates[0] as Uint8Array); // typing during the outage queues, does not reschedule
    c.fire();
    await b.idle();
    expect(b.status).toEqual({ state: 'saved' });
    expect(sent).toHaveLength(1);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, sent[0] as Uint8Array);
    expect(copy.getText('t').length).toBe(doc.getText('t').length + 1);
  });

  it('flush sends at once without waiting for the delay', async () => {
    const c = clock();
    const sent: Uint8Array[] = [];
    const b = new UpdateBatcher({ send: async (u) => void sent.push(u), ...c });
    for (const u of edits(3).updates) b.push(u);
    await b.flush();
    expect(sent).toHaveLength(1);
    expect(c.pending()).toEqual([]);
  });
});
