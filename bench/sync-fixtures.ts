// What the sync benchmarks share: stock Hocuspocus clients in Node, seeded documents that the parent and the
// server child build identically, and a poll helper. Benchmarks only: the sync path itself is never mocked.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { ParentMessage } from './sync-load-child';

/** Root text of the seeded load documents (the studio's drafts are deeper; the server does not care). */
export const LOAD_TEXT = 't';

/**
 * The seeded content of load document `i`: about 2 KB of text typed as 60 word inserts by one writer, with a
 * fixed client id so every process builds byte-identical updates (a client that has the seed sends nothing).
 */
export function seedUpdate(i: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 100_000 + i;
  const text = doc.getText(LOAD_TEXT);
  let s = i + 1;
  const rnd = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
  for (let w = 0; w < 60; w++) {
    doc.transact(() => text.insert(Math.floor(rnd() * (text.length + 1)), `word${w} of document ${i}; `));
  }
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** Name of load document `i`, in the server's `<projectId>/<documentId>` form (20 projects of 50 documents). */
export const loadDocName = (i: number): string =>
  `p${String(Math.floor(i / 50)).padStart(2, '0')}/d${String(i).padStart(4, '0')}`;

/** One stock WebSocket to `url`, reconnecting quickly (loopback benches never wait on a long backoff). */
export function stockSocket(url: string): HocuspocusProviderWebsocket {
  return new HocuspocusProviderWebsocket({
    url,
    WebSocketPolyfill: WebSocket,
    delay: 50,
    minDelay: 20,
    maxDelay: 200,
  });
}

export interface StockClient {
  provider: HocuspocusProvider;
  doc: Y.Doc;
  /** Resolves once the provider has synced with the server; rejects when refused. */
  synced: Promise<void>;
}

/** A stock provider for `name` on a (possibly shared, multiplexed) socket. */
export function stockClient(socket: HocuspocusProviderWebsocket, name: string, token: string, doc = new Y.Doc()) {
  let done!: () => void;
  let fail!: (err: Error) => void;
  const synced = new Promise<void>((resolve, reject) => {
    done = resolve;
    fail = reject;
  });
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name,
    document: doc,
    token,
    onSynced: () => done(),
    onAuthenticationFailed: ({ reason }) => fail(new Error(`${name} refused: ${reason}`)),
  });
  provider.attach();
  const client: StockClient = { provider, doc, synced };
  return client;
}

/** Polls `check` every `everyMs` until true; throws naming `what` after `ms`. */
export async function until(what: string, check: () => boolean, ms = 60_000, everyMs = 5): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Mebibytes, for memory rows. */
export const mib = (bytes: number): number => bytes / (1024 * 1024);

/**
 * A bare Hocuspocus server (no storage, no hooks) in a process of its own (`sync-load-child.ts bare`), so a
 * baseline's server is out of process like ours (`anvil serve`). Resolves once it listens.
 */
export async function startBareServer(): Promise<{ url: string; close(): Promise<void> }> {
  const child = fork(join(dirname(fileURLToPath(import.meta.url)), 'sync-load-child.ts'), ['bare'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { type: string; url?: string }) => resolve(m.url ?? ''));
    child.once('exit', (code) => reject(new Error(`the bare server exited (${code}) before listening`)));
  });
  return {
    url,
    close: async () => {
      child.send({ type: 'close' } satisfies ParentMessage);
      await exited;
    },
  };
}
