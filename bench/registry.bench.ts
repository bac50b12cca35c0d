// The team registry's HTTP layer (issue 6), against plain node:http in the same run.
//
// Servers: `registry-child.ts` in a child process hosts both, so the load generator here does not share their
// event loop: ours is createSyncServer with a real registry (token check against accounts.db, rate limiters,
// routing, the registry's verified-bundle cache), plain is a bare node:http server answering the same bytes
// from memory. Load: autocannon, 50 keep-alive connections on loopback, no pipelining.
//
// Rows:
//   1. bundle download (a ~20 KB bundle, 200 with the exact bytes): µs per request (1 / throughput), ours vs
//      plain; rounds of 3 s interleaved (ours, plain) × 3, medians. Target: ratio ≤ 1.4 (the bound:
//      throughput at least 0.7 of plain http).
//   2. metadata GET with a matching ETag (304): the same, rounds of 2 s × 3, no target.
//   3. publish latency: POST /api/registry/publish to the event arriving on an SSE feed client (fetch streaming),
//      55 publishes measured after 5 warm-ups, p50 and p95 ms; no baseline.
import autocannon from 'autocannon';
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REGISTRY_PATHS } from '../shared/registry/api';
import { openFeed } from '../sync-server/registry/http-fixtures';
import type { BenchRow } from './harness';
import { median, percentile, row } from './harness';
import type { Ready } from './registry-child';

const BENCH = 'registry';
const CHILD = fileURLToPath(new URL('./registry-child.ts', import.meta.url));
const CONNECTIONS = 50;
const ROUNDS = 3;
const WARMUP_PUBLISHES = 5;

async function startChild(): Promise<{ ready: Ready; close(): Promise<void> }> {
  const proc: ChildProcess = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  const ready = await new Promise<Ready>((resolve, reject) => {
    proc.once('message', (m: Ready) => resolve(m));
    proc.once('exit', (code) => reject(new Error(`registry-child exited (${code}) before it was ready`)));
  });
  return {
    ready,
    close: async () => {
      proc.send({ type: 'close' });
      await exited;
    },
  };
}

/** Requests per second answered with `status`, over `seconds`; any other answer fails the bench. */
async function load(url: string, headers: Record<string, string>, seconds: number, status: number): Promise<number> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers, pipelining: 1 });
  const good = status === 200 ? result['2xx'] : result['3xx'];
  const total = result.requests.total;
  if (result.errors > 0 || good < total * 0.999)
    throw new Error(
      `${url}: ${good} of ${total} answered ${status}, ${result.errors} errors, ${result.non2xx} non-2xx`,
    );
  return good / (result.duration || seconds);
}

/** Median requests per second of ours and plain, in interleaved rounds. */
async function lanes(
  ready: Ready,
  path: string,
  headers: Record<string, string>,
  seconds: number,
  status: number,
): Promise<{ ours: number; plain: number }> {
  const auth = { authorization: `Bearer ${ready.token}`, ...headers };
  // Warm both (JIT, caches, connection setup) before measuring.
  await load(`${ready.ours}${path}`, auth, 1, status);
  await load(`${ready.plain}${path}`, auth, 1, status);
  const ours: number[] = [];
  const plain: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    ours.push(await load(`${ready.ours}${path}`, auth, seconds, status));
    plain.push(await load(`${ready.plain}${path}`, auth, seconds, status));
  }
  process.stderr.write(
    `  ${path} (${status}): req/s ours ${ours.map(Math.round).join(', ')}; plain ${plain.map(Math.round).join(', ')}\n`,
  );
  return { ours: median(ours), plain: median(plain) };
}

/** ms from POST publish to the publish event on an SSE client, per version. */
async function publishLatency(ready: Ready): Promise<number[]> {
  // From the start: the first publish (1.0.0) is replayed, then every new one arrives live.
  const feed = await openFeed(`${ready.ours}${REGISTRY_PATHS.feed}?after=0`, ready.token);
  try {
    await feed.waitFor(1);
    const out: number[] = [];
    for (const version of ready.versions) {
      const before = feed.events.length;
      const start = performance.now();
      const arrived = feed.waitFor(before + 1, 10_000).then(() => performance.now());
      const res = await fetch(`${ready.ours}${REGISTRY_PATHS.publish}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ready.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ projectId: ready.projectId, setId: ready.setId, version }),
      });
      if (res.status !== 201) throw new Error(`publishing ${version}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      const end = await arrived;
      const event = feed.events[before];
      if (event?.data.type !== 'publish' || event.data.version !== version)
        throw new Error(`expected the publish of ${version} on the feed, got ${JSON.stringify(event?.data)}`);
      out.push(end - start);
    }
    return out.slice(WARMUP_PUBLISHES);
  } finally {
    feed.close();
  }
}

export default async function registryBench(): Promise<BenchRow[]> {
  const child = await startChild();
  try {
    const { ready } = child;
    const download = await lanes(ready, ready.bundlePath, {}, 3, 200);
    const notModified = await lanes(ready, ready.metadataPath, { 'if-none-match': ready.metadataEtag }, 2, 304);
    const latency = await publishLatency(ready);
    const us = (rps: number) => 1e6 / rps;
    const kb = (ready.bundleBytes / 1024).toFixed(0);
    return [
      row(
        BENCH,
        `bundle download (${kb} KB), µs per request at ${CONNECTIONS} keep-alive connections, vs plain node:http from memory`,
        us(download.ours),
        us(download.plain),
        'µs',
        1.4,
      ),
      row(
        BENCH,
        `metadata GET with matching ETag (304), µs per request at ${CONNECTIONS} connections, vs plain node:http 304`,
        us(notModified.ours),
        us(notModified.plain),
        'µs',
      ),
      row(
        BENCH,
        `publish → event on an SSE feed client, p50 (${latency.length} publishes)`,
        percentile(latency, 50),
        null,
        'ms',
      ),
      row(
        BENCH,
        `publish → event on an SSE feed client, p95 (${latency.length} publishes)`,
        percentile(latency, 95),
        null,
        'ms',
      ),
    ];
  } finally {
    await child.close();
  }
}
