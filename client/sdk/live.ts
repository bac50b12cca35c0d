import type { FeedEvent } from '../../shared/registry/types';
import { AnvilSdkError } from './errors';
import type { RegistryClient } from './registry-client';

export interface FeedFollowerOptions {
  enabled: boolean;
  transport: 'sse' | 'poll';
  pollMs: number;
  client: RegistryClient | null;
  /** A package whose events are few, to learn the newest event id cheaply (the server answers it as `next`). */
  probe: () => string | null;
  onEvent: (e: FeedEvent) => void;
  /** Connected (again): `tracked` are the packages to revalidate, since events may have been missed meanwhile. */
  onConnected: (tracked: string[]) => void;
  onDisconnected: (error: AnvilSdkError | null) => void;
}

const PAGE = 1000;
// A name no package has: its event list is empty, and the server still answers the newest id as `next`.
const NO_PACKAGE = '@anvil-sdk/head';

/**
 * Live mode's link to the registry: the SSE feed (`/api/registry/feed`) from the newest event id on, resumed
 * with `Last-Event-ID` after a drop (backoff 250 ms doubling to 5 s); polling `/api/registry/events` when the
 * server has no feed or when asked to. Only events of tracked packages are passed on.
 */
export function followFeed(o: FeedFollowerOptions) {
  const tracked = new Set<string>();
  const abort = new AbortController();
  let loop: Promise<void> | null = null;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  if (!o.enabled) markReady();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        abort.signal.removeEventListener('abort', done);
        resolve();
      }
      abort.signal.addEventListener('abort', done);
    });

  async function head(client: RegistryClient): Promise<number> {
    const name = o.probe() ?? NO_PACKAGE;
    let after = 0;
    for (;;) {
      const page = await client.events({ after, name, limit: PAGE });
      if (page.events.length < PAGE) return page.next;
      after = page.next;
    }
  }

  async function run(client: RegistryClient): Promise<void> {
    let transport = o.transport;
    let backoff = 250;
    let cursor = -1;
    const pass = (e: FeedEvent) => {
      if (e.id > cursor) cursor = e.id;
      if (tracked.has(e.name)) o.onEvent(e);
    };
    while (!abort.signal.aborted) {
      try {
        if (cursor < 0) cursor = await head(client);
        if (transport === 'sse') {
          await client.follow(
            cursor,
            {
              onOpen: () => {
                backoff = 250;
                markReady();
                o.onConnected([...tracked]);
              },
              onEvent: pass,
            },
            abort.signal,
          );
          if (!abort.signal.aborted) o.onDisconnected(null);
        } else {
          const page = await client.events({ after: cursor, limit: PAGE });
          if (backoff !== 0) {
            backoff = 0;
            markReady();
            o.onConnected([...tracked]);
          }
          for (const e of page.events) pass(e);
          cursor = Math.max(cursor, page.next);
          await sleep(o.pollMs);
          continue;
        }
      } catch (err) {
        if (abort.signal.aborted) return;
        const e =
          err instanceof AnvilSdkError
            ? err
            : new AnvilSdkError({
                code: 'feed_interrupted',
                message: `the registry's update feed dropped: ${(err as Error).message}`,
                cause: err,
              });
        // A server without the feed route: poll instead.
        if (transport === 'sse' && (e.code === 'invalid_response' || e.status === 404)) transport = 'poll';
        o.onDisconnected(e);
        if (transport === 'poll' && backoff === 0) backoff = 250;
      }
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 5_000);
    }
  }

  return {
    track(names: readonly string[]): void {
      for (const n of names) tracked.add(n);
      if (!loop && o.enabled && o.client && tracked.size > 0) loop = run(o.client).catch(() => {});
    },
    ready: () => ready,
    async close(): Promise<void> {
      abort.abort();
      markReady();
      await loop;
    },
  };
}
