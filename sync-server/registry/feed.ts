import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FeedEvent } from '../../shared/registry/types';
import type { ApiCaller } from '../api/backend';
import { ApiError } from '../api/backend';
import { queryOf, wholeNumber } from '../api/wire';
import type { Registry } from './types';

export interface FeedOptions {
  /** A comment line this often keeps proxies from closing an idle stream (default 15 s). */
  heartbeatMs?: number;
  /**
   * Bytes a stream may have waiting for a slow reader (default 1 MiB); past it the connection is dropped and the
   * client resumes from its last event id, so the server never holds an unbounded backlog.
   */
  maxBufferedBytes?: number;
  /** Events per page when replaying from a cursor (default 500). */
  pageSize?: number;
  /** Open streams per account (default 20); past it 429. */
  maxStreamsPerAccount?: number;
  /** The `retry:` the stream tells EventSource clients, ms (default 2 s). */
  retryMs?: number;
}

export const DEFAULT_FEED_OPTIONS: Required<FeedOptions> = {
  heartbeatMs: 15_000,
  maxBufferedBytes: 1024 * 1024,
  pageSize: 500,
  maxStreamsPerAccount: 20,
  retryMs: 2_000,
};

const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 100;

export interface FeedQuery {
  after: number;
  project?: string;
  name?: string;
}

export interface Feed {
  /** `GET /api/registry/feed`: answers a `text/event-stream` until the client leaves or the feed closes. */
  stream(request: IncomingMessage, response: ServerResponse, caller: ApiCaller): void;
  /** `GET /api/registry/events`: the same events, polled. */
  poll(request: IncomingMessage, caller: ApiCaller): { events: FeedEvent[]; next: number };
  /** Open streams. */
  size(): number;
  /** Ends every stream (clients reconnect elsewhere with Last-Event-ID) and refuses new ones. */
  close(): void;
}

/**
 * The registry's update feed as server-sent events. A stream replays the stored events after the client's cursor
 * (`Last-Event-ID`, else `?after=`) in pages, then stays subscribed: a live event the caller may see (`canSee`,
 * asked per event: roles change) wakes it, and it reads on from its cursor with the same filtered query
 * (`registry.events`: `project` name, `name` @p/s). One cursor, one source: no gap or duplicate between replay
 * and live, and exactly the events the polled route would answer.
 */
export function createFeed(registry: Registry, options: FeedOptions = {}): Feed {
  const o = { ...DEFAULT_FEED_OPTIONS, ...options };
  const open = new Set<() => void>();
  const perAccount = new Map<string, number>();
  let closed = false;

  const stream = (request: IncomingMessage, response: ServerResponse, caller: ApiCaller): void => {
    if (closed) throw new ApiError(503, 'closing', 'The server is closing; reconnect in a moment.');
    const query = feedQuery(request);
    const streams = perAccount.get(caller.accountId) ?? 0;
    if (streams >= o.maxStreamsPerAccount) {
      const error = new ApiError(
        429,
        'too_many_streams',
        `This account has ${streams} feed streams open; at most ${o.maxStreamsPerAccount} are allowed.`,
      );
      error.headers = { 'retry-after': '5' };
      throw error;
    }
    perAccount.set(caller.accountId, streams + 1);

    // Everything up to `cursor` has been considered (sent, or not for this stream). The stored events are the one
    // source: a live event only wakes the stream, which reads what follows its cursor with the same query as the
    // replay and the polled route. So replay and live share one cursor: no gap and no duplicate at the seam.
    let cursor = query.after;
    let ended = false;
    let started = false;
    let reading = false;
    let again = false;
    // Set once the stream starts; `end` may run before that (a refused first page).
    const timer: { heartbeat?: ReturnType<typeof setInterval> } = {};

    const end = (): void => {
      if (ended) return;
      ended = true;
      unsubscribe();
      if (timer.heartbeat) clearInterval(timer.heartbeat);
      open.delete(end);
      const n = (perAccount.get(caller.accountId) ?? 1) - 1;
      if (n > 0) perAccount.set(caller.accountId, n);
      else perAccount.delete(caller.accountId);
      if (started && !response.writableEnded) response.end();
    };
    /** Writes, and drops a reader that lets too much pile up (it resumes from its last id). */
    const write = (text: string): boolean => {
      if (ended) return false;
      const flowing = response.write(text);
      if (response.writableLength > o.maxBufferedBytes) {
        response.destroy();
        end();
        return false;
      }
      return flowing;
    };
    const page = () => registry.events(caller, { after: cursor, limit: o.pageSize, ...optional(query) });

    /** Sends every stored event after the cursor, a page at a time, waiting for a slow reader between pages. */
    const readOn = async (first?: { events: FeedEvent[]; next: number }): Promise<void> => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        let got = first ?? page();
        for (;;) {
          let flowing = true;
          for (const event of got.events) {
            if (event.id <= cursor) continue;
            cursor = event.id;
            flowing = write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
            if (ended) return;
          }
          const progressed = got.next > cursor || got.events.length > 0;
          cursor = Math.max(cursor, got.next);
          if (!flowing) await drained(response);
          if (ended) return;
          if (!progressed && !again) return;
          again = false;
          got = page();
        }
      } finally {
        reading = false;
      }
    };
    const fail = (): void => {
      // The registry refused midway (the caller lost access, a closed store): the client sees the stream end.
      response.destroy();
      end();
    };

    // Subscribed before the first read, so an event committed in between still wakes the stream.
    let woken = false;
    const unsubscribe = registry.subscribe((event) => {
      if (ended || event.id <= cursor || woken) return;
      // Cheap checks first: most events are of other packages or projects.
      if (query.name !== undefined && event.name !== query.name) return;
      if (!registry.canSee(caller, event.projectId)) return;
      woken = true;
      setImmediate(() => {
        woken = false;
        if (!ended) readOn().catch(fail);
      });
    });
    // The first page before the headers: a refusal (unknown project, no access) is still a plain error answer.
    let first: { events: FeedEvent[]; next: number };
    try {
      first = page();
    } catch (err) {
      end();
      throw err;
    }
    started = true;
    timer.heartbeat = setInterval(() => write(': ping\n\n'), o.heartbeatMs);
    timer.heartbeat.unref();
    open.add(end);
    response.on('close', end);
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // Reverse proxies (nginx) would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    write(`retry: ${o.retryMs}\n: anvil registry feed\n\n`);
    readOn(first).catch(fail);
  };

  return {
    stream,
    poll(request, caller) {
      const query = feedQuery(request);
      const limit = Math.min(MAX_LIMIT, wholeNumber(queryOf(request).get('limit'), 'limit', 1, 1e9, DEFAULT_LIMIT));
      return registry.events(caller, { after: query.after, limit, ...optional(query) });
    },
    size: () => open.size,
    close() {
      closed = true;
      for (const end of [...open]) end();
    },
  };
}

/** The cursor (`Last-Event-ID` wins over `?after=`, as EventSource sends it on reconnect) and the filters. */
export function feedQuery(request: IncomingMessage): FeedQuery {
  const query = queryOf(request);
  const header = request.headers['last-event-id'];
  const fromHeader = typeof header === 'string' && header.trim() !== '' ? header.trim() : null;
  const after = wholeNumber(
    fromHeader ?? query.get('after'),
    fromHeader === null ? 'after' : 'Last-Event-ID',
    0,
    Number.MAX_SAFE_INTEGER,
    0,
  );
  const project = query.get('project') ?? '';
  const name = query.get('name') ?? '';
  if (project.length > 200 || /[/\s]/.test(project))
    throw new ApiError(400, 'invalid_query', `project must be a project name (got "${project.slice(0, 40)}").`);
  if (name !== '' && !/^@[^/\s]{1,100}\/[^/\s]{1,100}$/.test(name))
    throw new ApiError(400, 'invalid_query', `name must be a package name @project/set (got "${name.slice(0, 40)}").`);
  return { after, ...(project ? { project } : {}), ...(name ? { name } : {}) };
}

function optional(query: FeedQuery): { project?: string; name?: string } {
  return {
    ...(query.project === undefined ? {} : { project: query.project }),
    ...(query.name === undefined ? {} : { name: query.name }),
  };
}

function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
