// Sync server memory and CPU with 1,000 documents and 50 connected clients. The server runs in a child process
// (`sync-load-child.ts`) so `process.memoryUsage()` / `process.cpuUsage()` are its own, reported over IPC; the
// clients are stock `@hocuspocus/provider`s in this process, one multiplexed WebSocket per client.
//
// Workload, the same for ours and the baseline server:
//   - 1,000 documents of about 2 KB of text each (`seedUpdate`), 50 clients, each subscribed to 40 documents so
//     every document has exactly two subscribers (2,000 subscriptions); every client's replicas start with the
//     seeded content. Ours loads the documents from its SQLite store (seeded before the child starts, as
//     after a restart); the bare server starts empty and receives them from the clients in the first sync.
//   - Then 5 s of light editing: each client types one character every 200 ms into its documents in turn
//     (250 edits/s in all), each edit reaching the other subscriber through the server; then every pair of
//     replicas is checked to agree.
// Figures: memory delta of the server process from listening to after the editing (after two forced GCs);
// CPU time of the connect phase and of the editing phase; wall time to connect and sync every subscription.
// Baselines: memory, the same 1,000 documents as bare Y.Docs in a process of their own; CPU and wall time,
// a bare Hocuspocus server (no storage, no hooks) with the same traffic. Target null: figures are reported.
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import type { HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { openSqliteStorage } from '../sync-server/storage/sqlite';
import type { BenchRow } from './harness';
import { row } from './harness';
import type { ChildMessage, Measure, ParentMessage } from './sync-load-child';
import type { StockClient } from './sync-fixtures';
import { LOAD_TEXT, loadDocName, mib, seedUpdate, stockClient, stockSocket, until } from './sync-fixtures';

const BENCH = 'sync-server-load';
const DOCS = 1_000;
const CLIENTS = 50;
const PER_CLIENT = 40;
const EDIT_MS = 5_000;
const EDIT_EVERY_MS = 200;
const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'sync-load-child.ts');

interface Child {
  url: string;
  ask(m: ParentMessage, answer: ChildMessage['type']): Promise<ChildMessage>;
  close(): Promise<void>;
}

async function startChild(args: string[]): Promise<Child> {
  const proc: ChildProcess = fork(CHILD, args, {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<string, (m: ChildMessage) => void>();
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  proc.on('message', (m: ChildMessage) => {
    const w = waiting.get(m.type);
    waiting.delete(m.type);
    w?.(m);
  });
  const next = (type: ChildMessage['type']): Promise<ChildMessage> =>
    new Promise((resolve, reject) => {
      waiting.set(type, resolve);
      proc.once('exit', (code) => reject(new Error(`sync-load-child exited (${code}) before '${type}'`)));
    });
  const ready = (await next('ready')) as { type: 'ready'; url: string };
  return {
    url: ready.url,
    ask: (m, answer) => {
      const got = next(answer);
      proc.send(m);
      return got;
    },
    close: async () => {
      proc.send({ type: 'close' } satisfies ParentMessage);
      await exited;
    },
  };
}

const measure = async (child: Child): Promise<Measure> =>
  ((await child.ask({ type: 'measure' }, 'measure')) as { type: 'measure'; measure: Measure }).measure;

const cpuMs = (a: Measure, b: Measure): number => (b.cpuUser + b.cpuSystem - a.cpuUser - a.cpuSystem) / 1000;

interface ServerRun {
  connectMs: number;
  connectCpuMs: number;
  editCpuMs: number;
  edits: number;
  rssDelta: number;
  heapDelta: number;
}

/** Documents client `c` subscribes to: a window of 40 that overlaps its neighbour's by half. */
const docsOf = (c: number): number[] => Array.from({ length: PER_CLIENT }, (_, k) => (c * (DOCS / CLIENTS) + k) % DOCS);

async function serverRun(mode: 'ours' | 'bare'): Promise<ServerRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'anvil-bench-sync-load-'));
  const seeds = Array.from({ length: DOCS }, (_, i) => seedUpdate(i));
  if (mode === 'ours') {
    const storage = openSqliteStorage(dataDir);
    for (let i = 0; i < DOCS; i++) await storage.append(loadDocName(i), seeds[i] as Uint8Array);
    await storage.close();
  }
  const child = await startChild(mode === 'ours' ? ['ours', dataDir] : ['bare']);
  const sockets = Array.from({ length: CLIENTS }, () => stockSocket(child.url));
  const clients: StockClient[][] = [];
  try {
    const m0 = await measure(child);
    const begin = performance.now();
    for (let c = 0; c < CLIENTS; c++) {
      clients.push(
        docsOf(c).map((i) => {
          const doc = new Y.Doc();
          Y.applyUpdate(doc, seeds[i] as Uint8Array);
          return stockClient(sockets[c] as HocuspocusProviderWebsocket, loadDocName(i), `rw-client${c}`, doc);
        }),
      );
    }
    await Promise.all(clients.flat().map((cl) => cl.synced));
    const connectMs = performance.now() - begin;
    const m1 = await measure(child);

    // Light editing: every client types one character every 200 ms (staggered), into its documents in turn.
    let edits = 0;
    let seed = 7;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const timers: ReturnType<typeof setInterval>[] = [];
    await Promise.all(
      clients.map(
        (mine, c) =>
          new Promise<void>((resolve) => {
            setTimeout(
              () => {
                let turn = 0;
                const timer = setInterval(() => {
                  const text = (mine[turn++ % mine.length] as StockClient).doc.getText(LOAD_TEXT);
                  text.insert(Math.floor(rnd() * (text.length + 1)), String.fromCharCode(97 + (edits++ % 26)));
                }, EDIT_EVERY_MS);
                timers.push(timer);
                resolve();
              },
              (c * EDIT_EVERY_MS) / CLIENTS,
            );
          }),
      ),
    );
    await new Promise((r) => setTimeout(r, EDIT_MS));
    for (const t of timers) clearInterval(t);
    // Every document's two replicas agree (each edit crossed the server) before the editing phase is measured.
    const replicas = new Map<string, Y.Doc[]>();
    for (const cl of clients.flat()) {
      const name = cl.provider.configuration.name;
      replicas.set(name, [...(replicas.get(name) ?? []), cl.doc]);
    }
    const agree = (): boolean =>
      [...replicas.values()].every(
        ([a, b]) => !!a && !!b && a.getText(LOAD_TEXT).toString() === b.getText(LOAD_TEXT).toString(),
      );
    await until(`every document's replicas to agree (${mode})`, agree, 30_000, 20);
    const m2 = await measure(child);
    return {
      connectMs,
      connectCpuMs: cpuMs(m0, m1),
      editCpuMs: cpuMs(m1, m2),
      edits,
      rssDelta: m2.rss - m0.rss,
      heapDelta: m2.heapUsed - m0.heapUsed,
    };
  } finally {
    for (const cl of clients.flat()) cl.provider.destroy();
    for (const s of sockets) s.destroy();
    await child.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The memory floor: the same documents as bare Y.Docs in a process of their own. */
async function bareDocs(): Promise<{ rssDelta: number; heapDelta: number }> {
  const child = await startChild(['docs', String(DOCS)]);
  try {
    const m0 = await measure(child);
    await child.ask({ type: 'load' }, 'loaded');
    const m1 = await measure(child);
    return { rssDelta: m1.rss - m0.rss, heapDelta: m1.heapUsed - m0.heapUsed };
  } finally {
    await child.close();
  }
}

export default async function syncServerLoad(): Promise<BenchRow[]> {
  const ours = await serverRun('ours');
  const bare = await serverRun('bare');
  const docs = await bareDocs();
  process.stderr.write(
    `  ${DOCS} documents, ${CLIENTS} clients × ${PER_CLIENT} subscriptions; ${ours.edits} edits (ours), ` +
      `${bare.edits} (bare) in ${EDIT_MS / 1000} s\n`,
  );
  const load = `${DOCS} docs, ${CLIENTS} clients`;
  return [
    row(BENCH, `server RSS delta MiB (${load}) vs bare Y.Docs`, mib(ours.rssDelta), mib(docs.rssDelta), 'MiB'),
    row(BENCH, `server heap delta MiB (${load}) vs bare Y.Docs`, mib(ours.heapDelta), mib(docs.heapDelta), 'MiB'),
    row(BENCH, `server RSS delta MiB (${load}) vs bare Hocuspocus`, mib(ours.rssDelta), mib(bare.rssDelta), 'MiB'),
    row(BENCH, `server heap delta MiB (${load}) vs bare Hocuspocus`, mib(ours.heapDelta), mib(bare.heapDelta), 'MiB'),
    row(
      BENCH,
      `server CPU ms, connect + sync ${CLIENTS * PER_CLIENT} subscriptions`,
      ours.connectCpuMs,
      bare.connectCpuMs,
      'ms',
    ),
    row(BENCH, `wall ms to connect + sync ${CLIENTS * PER_CLIENT} subscriptions`, ours.connectMs, bare.connectMs, 'ms'),
    row(
      BENCH,
      `server CPU ms, ${EDIT_MS / 1000} s of editing (${(CLIENTS * 1000) / EDIT_EVERY_MS} edits/s)`,
      ours.editCpuMs,
      bare.editCpuMs,
      'ms',
    ),
  ];
}
