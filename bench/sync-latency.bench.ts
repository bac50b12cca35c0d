// Edit-to-remote-visibility latency between two clients through a sync server on loopback (issue 5).
//
// Workload: one character typed at a time at the end of a text in client A, then the time until client B's
// in-memory document shows it (a Y.Text observer in B, so no polling delay); the next character follows 20 to
// 50 ms (seeded) after B saw the last one. 20 warm-up characters, then 200 measured, per lane.
//
// Lanes, interleaved in rounds of 25 so a burst of machine noise hits them alike:
//   - ours, default timing: two studios (`openStudio`: a real workspace with its SQLite store and our sync
//     engine, each in a temp folder) against a real `anvil serve` process (`startServer`: accounts, token
//     auth, update checks in a worker, SQLite storage). A types through the store as a local edit (`typeAt`,
//     origin local), as the editor binding does; B shows it once its engine applied the server's update to
//     its store's live document. The engine's DEFAULT timing, what users get: it merges local changes and
//     puts them on the wire at most every `batchMs` = 30 ms, so most of this figure is that wait. (The
//     stores commit on `openStudio`'s 5 ms test timing; neither commit is on the measured path: A's bridge
//     takes the change from the live document, and B shows it before committing it.)
//   - ours, batchMs 0: the same with the batching off, to show what the rest of the path costs.
//   - baseline: the raw protocol, two stock `@hocuspocus/provider` clients on a root Y.Text through a bare
//     `@hocuspocus/server` (no storage, no hooks) in a child process, so both servers are out of process.
// Rows: p50 and p95 ms of each lane of ours vs the baseline. Target null: the issue gives no ratio.
import type * as Y from 'yjs';
import { templateText } from '../shared/doc';
import type { SyncTiming } from '../main/sync/engine';
import { DEFAULT_TIMING } from '../main/sync/engine';
import type { ServerProcess, Studio } from '../main/sync/testing';
import { freePort, makePrompt, openStudio, removeDirs, startServer, tempDir, typeAt } from '../main/sync/testing';
import type { BenchRow } from './harness';
import { percentile, row } from './harness';
import type { StockClient } from './sync-fixtures';
import { startBareServer, stockClient, stockSocket, until } from './sync-fixtures';

const BENCH = 'sync-latency';
const WARMUP = 20;
const ROUNDS = 8;
const PER_ROUND = 25;
const GAP_MS: [number, number] = [20, 50];
const SAMPLE_TIMEOUT_MS = 5_000;

/** One way of typing a character on one side and seeing it on the other. */
interface Lane {
  /** Make the edit; the promise (if any) is its durability, awaited after the sample, outside the clock. */
  type(ch: string): Promise<void> | void;
  /** Where the other side shows it. */
  seen: Y.Text;
  close(): Promise<void>;
}

/** performance.now() when `text` reaches `length` characters (observed, not polled). */
function reaches(text: Y.Text, length: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      text.unobserve(check);
      reject(new Error(`an edit did not reach the other side within ${SAMPLE_TIMEOUT_MS} ms`));
    }, SAMPLE_TIMEOUT_MS);
    const check = (): void => {
      if (text.length < length) return;
      clearTimeout(timer);
      text.unobserve(check);
      resolve(performance.now());
    };
    text.observe(check);
  });
}

let seed = 11;
const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One character: ms from the edit to the other side showing it. */
async function sampleOnce(lane: Lane, i: number): Promise<number> {
  const seen = reaches(lane.seen, lane.seen.length + 1);
  const start = performance.now();
  const durable = lane.type(String.fromCharCode(97 + (i % 26)));
  const ms = (await seen) - start;
  await durable;
  return ms;
}

async function samples(lane: Lane, n: number, from: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    await sleep(GAP_MS[0] + rnd() * (GAP_MS[1] - GAP_MS[0]));
    out.push(await sampleOnce(lane, from + i));
  }
  return out;
}

/** Two studios on `server`, A's prompt synced to B; A types into its template, B's template is watched. */
async function studioLane(
  server: ServerProcess,
  token: string,
  timing: Partial<SyncTiming>,
  dirs: string[],
  project: string,
): Promise<Lane> {
  const studios: Studio[] = [];
  const close = async () => {
    for (const s of studios) await s.close();
  };
  try {
    const a = await openStudio(tempDir(dirs, 'anvil-bench-latency-'), { timing });
    studios.push(a);
    const ids = await makePrompt(a.ws, { project, set: 'latency', prompt: 'typed' });
    await a.engine.configure({ url: server.url, token });
    await a.engine.waitFor('synced', 15_000);
    const b = await openStudio(tempDir(dirs, 'anvil-bench-latency-'), { timing });
    studios.push(b);
    await b.engine.configure({ url: server.url, token });
    // B learns of the project from the server and creates the set locally once its content has come.
    await until('the set to reach studio B', () => b.ws.internals.docs.get(ids.setId) !== undefined, 15_000);
    await b.engine.waitFor('synced', 15_000);
    const doc = b.ws.internals.docs.get(ids.setId);
    if (!doc) throw new Error('the set is not open in studio B');
    return {
      type: (ch) => typeAt(a.ws, ids.setId, ids.promptId, Number.MAX_SAFE_INTEGER, ch),
      seen: templateText(doc, ids.promptId),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Two stock providers on one document of a bare Hocuspocus server in a child process. */
async function stockLane(): Promise<Lane> {
  const server = await startBareServer();
  const sockets = [stockSocket(server.url), stockSocket(server.url)];
  const clients: StockClient[] = sockets.map((s) => stockClient(s, 'bench/latency', 'bare'));
  const close = async () => {
    for (const c of clients) c.provider.destroy();
    for (const s of sockets) s.destroy();
    await server.close();
  };
  const [a, b] = clients;
  if (!a || !b) throw new Error('two stock clients expected');
  try {
    await Promise.all(clients.map((c) => c.synced));
  } catch (err) {
    await close();
    throw err;
  }
  const text = a.doc.getText('t');
  return { type: (ch) => text.insert(text.length, ch), seen: b.doc.getText('t'), close };
}

export default async function syncLatency(): Promise<BenchRow[]> {
  const dirs: string[] = [];
  const lanes: Lane[] = [];
  let server: ServerProcess | undefined;
  try {
    server = await startServer(tempDir(dirs, 'anvil-bench-latency-server-'), await freePort());
    const token = server.adminToken;
    if (!token) throw new Error('the sync server printed no admin token');
    // Each lane is kept as soon as it is made, so a failure later still closes it.
    const keep = (lane: Lane): Lane => (lanes.push(lane), lane);
    const named = {
      default: keep(await studioLane(server, token, DEFAULT_TIMING, dirs, 'latency-default')),
      unbatched: keep(await studioLane(server, token, { ...DEFAULT_TIMING, batchMs: 0 }, dirs, 'latency-unbatched')),
      stock: keep(await stockLane()),
    };
    const got = { default: [] as number[], unbatched: [] as number[], stock: [] as number[] };
    for (const lane of lanes) await samples(lane, WARMUP, 0);
    for (let r = 0; r < ROUNDS; r++)
      for (const name of Object.keys(named) as (keyof typeof named)[])
        got[name].push(...(await samples(named[name], PER_ROUND, WARMUP + r * PER_ROUND)));
    const n = ROUNDS * PER_ROUND;
    const p = (name: keyof typeof got, q: number) => percentile(got[name], q);
    process.stderr.write(
      `  ${n} characters per lane, ${GAP_MS[0]}–${GAP_MS[1]} ms apart; max ms: default ${fmt(Math.max(...got.default))}, ` +
        `batchMs 0 ${fmt(Math.max(...got.unbatched))}, stock ${fmt(Math.max(...got.stock))}\n`,
    );
    const vs = 'vs stock clients, bare Hocuspocus';
    return [
      row(
        BENCH,
        `edit→remote p50 ms, engine default timing (batchMs 30) ${vs}`,
        p('default', 50),
        p('stock', 50),
        'ms',
      ),
      row(
        BENCH,
        `edit→remote p95 ms, engine default timing (batchMs 30) ${vs}`,
        p('default', 95),
        p('stock', 95),
        'ms',
      ),
      row(BENCH, `edit→remote p50 ms, engine batchMs 0 ${vs}`, p('unbatched', 50), p('stock', 50), 'ms'),
      row(BENCH, `edit→remote p95 ms, engine batchMs 0 ${vs}`, p('unbatched', 95), p('stock', 95), 'ms'),
    ];
  } finally {
    for (const lane of lanes) await lane.close();
    await server?.stop();
    removeDirs(dirs);
  }
}

const fmt = (ms: number): string => ms.toFixed(1);
