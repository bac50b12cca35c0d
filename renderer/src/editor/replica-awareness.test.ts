import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { StudioEvents } from '../../../shared/contract';
import { peersOf } from './presence';
import { ReplicaAwareness } from './replica-awareness';

type Listener = (p: StudioEvents['docs:awareness']) => void;

/** A fake relay: what one client sends with `docs:awareness` reaches every other client as an event. */
function relay() {
  const clients: { listeners: Set<Listener>; sent: string[] }[] = [];
  const client = () => {
    const me = { listeners: new Set<Listener>(), sent: [] as string[] };
    clients.push(me);
    const api = {
      invoke: (op: string, args: { docId: string; update: string }) => {
        if (op === 'docs:awareness') {
          me.sent.push(args.update);
          for (const other of clients) if (other !== me) for (const l of other.listeners) l(args);
        }
        return Promise.resolve(undefined);
      },
      on: (event: string, listener: Listener) => {
        if (event === 'docs:awareness') me.listeners.add(listener);
        return () => me.listeners.delete(listener);
      },
    };
    return { api: api as never, me };
  };
  return { client };
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ReplicaAwareness', () => {
  it('a state set here reaches the other replica; leaving removes it there', async () => {
    const r = relay();
    const a = r.client();
    const b = r.client();
    const pa = new ReplicaAwareness(a.api, 'set1', new Y.Doc(), 10);
    const pb = new ReplicaAwareness(b.api, 'set1', new Y.Doc(), 10);
    pa.start();
    pb.start();
    pa.awareness.setLocalState({ user: { name: 'Ada', color: '#1864ab' }, promptId: 'p1' });
    await tick(5);
    expect(peersOf(pb.awareness).map((p) => [p.user.name, p.promptId])).toEqual([['Ada', 'p1']]);
    // B sees nobody but A; A does not see itself.
    expect(peersOf(pa.awareness)).toEqual([]);
    await pa.close();
    expect(peersOf(pb.awareness)).toEqual([]);
    await pb.close();
  });

  it('a burst of cursor moves is throttled, and the last one always goes', async () => {
    const r = relay();
    const a = r.client();
    const b = r.client();
    const pa = new ReplicaAwareness(a.api, 'set1', new Y.Doc(), 30);
    const pb = new ReplicaAwareness(b.api, 'set1', new Y.Doc(), 30);
    pa.start();
    for (let i = 0; i < 20; i++)
      pa.awareness.setLocalState({ user: { name: 'Ada', color: '#1864ab' }, promptId: `p${i}` });
    await tick(80);
    expect(a.me.sent.length).toBeLessThanOrEqual(3);
    expect(peersOf(pb.awareness)[0]?.promptId).toBe('p19');
    await pa.close();
    await pb.close();
  });

  it('nothing is sent before the document is open; what was set then goes at start', async () => {
    const r = relay();
    const a = r.client();
    const pa = new ReplicaAwareness(a.api, 'set1', new Y.Doc(), 10);
    pa.awareness.setLocalState({ user: { name: 'Ada', color: '#1864ab' }, promptId: 'p1' });
    await tick(20);
    expect(a.me.sent).toHaveLength(0);
    pa.start();
    await tick(20);
    expect(a.me.sent).toHaveLength(1);
    await pa.close();
  });

  it('garbage from elsewhere is ignored, and states of other documents are not applied', async () => {
    const r = relay();
    const a = r.client();
    const pa = new ReplicaAwareness(a.api, 'set1', new Y.Doc(), 10);
    for (const l of a.me.listeners) l({ docId: 'set1', update: 'AAAA////' });
    const other = new ReplicaAwareness(r.client().api, 'set2', new Y.Doc(), 10);
    other.start();
    other.awareness.setLocalState({ user: { name: 'Bob', color: '#1864ab' }, promptId: null });
    await tick(20);
    expect(peersOf(pa.awareness)).toEqual([]);
    await pa.close();
    await other.close();
  });
});
