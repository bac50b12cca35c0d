import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FeedEvent } from '../../shared/registry/types';
import type { ApiCaller } from '../api/backend';
import type { ApiError } from '../api/backend';
import { createFeed } from './feed';
import type { Registry } from './types';

const caller: ApiCaller = { accountId: 'a1', name: 'ann', serverAdmin: false };

/** The parts of a Registry the feed uses, over an array of events. */
function fakeRegistry() {
  const stored: FeedEvent[] = [];
  const listeners = new Set<(e: FeedEvent) => void>();
  let onRead: (() => void) | undefined;
  const registry = {
    events(_caller: ApiCaller, q: { after: number; limit?: number; project?: string; name?: string }) {
      onRead?.();
      const limit = q.limit ?? 100;
      const rows = stored.filter((e) => e.id > q.after && (q.name === undefined || e.name === q.name)).slice(0, limit);
      const last = stored.at(-1)?.id ?? 0;
      return { events: rows, next: rows.length < limit ? Math.max(q.after, last) : (rows.at(-1)?.id ?? q.after) };
    },
    subscribe(listener: (e: FeedEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    canSee: () => true,
  } as unknown as Registry;
  const add = (name = '@acme/support'): FeedEvent => {
    const event: FeedEvent = {
      id: stored.length + 1,
      type: 'dist-tag',
      tag: `t${stored.length + 1}`,
      version: '1.0.0',
      name,
      projectId: 'p1',
      setId: 's1',
      at: '2026-11-25T10:00:00.000Z',
    };
    stored.push(event);
    for (const l of [...listeners]) l(event);
    return event;
  };
  return { registry, add, listeners, setOnRead: (f: (() => void) | undefined) => (onRead = f) };
}

/** A response that keeps what was written; `stuck` makes it behave like a reader that never reads. */
class FakeResponse extends EventEmitter {
  text = '';
  status = 0;
  writableLength = 0;
  writableEnded = false;
  destroyed = false;
  constructor(private readonly stuck = false) {
    super();
  }
  writeHead(status: number) {
    this.status = status;
    return this;
  }
  write(chunk: string) {
    this.text += chunk;
    if (this.stuck) this.writableLength += chunk.length;
    return !this.stuck;
  }
  end() {
    this.writableEnded = true;
    this.emit('close');
  }
  destroy() {
    this.destroyed = true;
    this.emit('close');
  }
  ids(): number[] {
    return [...this.text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
  }
}

const request = (url = '/api/registry/feed', headers: Record<string, string> = {}) =>
  ({ url, headers }) as unknown as IncomingMessage;
const tick = () => new Promise((r) => setImmediate(r));

describe('registry feed', () => {
  it('replays in pages and goes live with no gap or duplicate when events land during the replay', async () => {
    const f = fakeRegistry();
    for (let i = 0; i < 5; i++) f.add();
    const feed = createFeed(f.registry, { pageSize: 2 });
    // The first four page reads each commit another event (6 to 9): they land while the stream replays.
    let reads = 0;
    f.setOnRead(() => {
      if (++reads <= 4) f.add();
    });
    const res = new FakeResponse();
    feed.stream(request('/api/registry/feed?after=1'), res as unknown as ServerResponse, caller);
    f.setOnRead(undefined);
    await tick();
    await tick();
    f.add();
    await tick();
    expect(res.status).toBe(200);
    expect(res.ids()).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    feed.close();
    expect(res.writableEnded).toBe(true);
    expect(f.listeners.size).toBe(0);
  });

  it('Last-Event-ID wins over ?after=, and filters by name', async () => {
    const f = fakeRegistry();
    f.add();
    f.add('@acme/other');
    f.add();
    const feed = createFeed(f.registry);
    const res = new FakeResponse();
    feed.stream(
      request('/api/registry/feed?after=0&name=%40acme%2Fsupport', { 'last-event-id': '1' }),
      res as unknown as ServerResponse,
      caller,
    );
    f.add('@acme/other');
    f.add();
    await tick();
    expect(res.ids()).toEqual([3, 5]);
    feed.close();
  });

  it('drops a reader that lets too much pile up, and unsubscribes it', async () => {
    const f = fakeRegistry();
    for (let i = 0; i < 50; i++) f.add();
    const feed = createFeed(f.registry, { maxBufferedBytes: 2_000 });
    const res = new FakeResponse(true);
    feed.stream(request(), res as unknown as ServerResponse, caller);
    await tick();
    expect(res.destroyed).toBe(true);
    expect(res.ids().length).toBeLessThan(50);
    expect(feed.size()).toBe(0);
    expect(f.listeners.size).toBe(0);
  });

  it('bounds the streams of one account, and refuses new ones once closed', () => {
    const f = fakeRegistry();
    const feed = createFeed(f.registry, { maxStreamsPerAccount: 2 });
    feed.stream(request(), new FakeResponse() as unknown as ServerResponse, caller);
    feed.stream(request(), new FakeResponse() as unknown as ServerResponse, caller);
    expect(() => feed.stream(request(), new FakeResponse() as unknown as ServerResponse, caller)).toThrow(
      expect.objectContaining({ status: 429, code: 'too_many_streams' }) as ApiError,
    );
    feed.stream(request(), new FakeResponse() as unknown as ServerResponse, { ...caller, accountId: 'a2' });
    expect(feed.size()).toBe(3);
    feed.close();
    expect(feed.size()).toBe(0);
    expect(() => feed.stream(request(), new FakeResponse() as unknown as ServerResponse, caller)).toThrow(
      expect.objectContaining({ status: 503 }) as ApiError,
    );
  });
});
