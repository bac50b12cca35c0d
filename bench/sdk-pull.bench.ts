// A cold `pull` (client/sdk/pull.ts) of 200 sets from a local server: a real sync server with its registry in a
// child process (`sdk-pull-child.ts`; API rate limits raised: with the defaults, 50 requests/s per token after a
// burst of 500, one token's repeated cold pulls of 200 sets, 400 requests each, would measure the limiter), 200
// small sets published in setup (inline publishes, not timed), then a consumer
// project depending on all 200 with an empty cache and no lock file: resolve (metadata of each), download every
// bundle, verify it (integrity, schema), write the cache and the lock file.
//
// Baselines in the same run, interleaved with ours in rounds (medians of 5): the same 200 bundles' bytes
// fetched with plain `fetch`, nothing else (no metadata, no verification, no files), one after another
// (sequential: pull's own order) and 16 at a time (concurrent).
//
// Rows:
//   1. cold pull vs sequential fetch of the bundles: ms, ratio ours / baseline (no target).
//   2. cold pull vs concurrent fetch of the bundles: ms, ratio (no target).
//   3. bytes transferred by the pull (every response body: metadata and bundles) vs the sum of the bundle
//      sizes: bytes, ratio (what resolving costs on the wire beyond the bundles themselves).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PromptSetContent } from '../shared/domain/prompt-set';
import { REGISTRY_PATHS } from '../shared/registry/api';
import { pull } from '../client/sdk/pull';
import type { FetchLike } from '../client/sdk/registry-client';
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { PullServerReady } from './sdk-pull-child';
import type { BenchRow } from './harness';
import { median, row } from './harness';

const BENCH = 'sdk-pull';
const SETS = 200;
const ROUNDS = 5;
const CONCURRENCY = 16;

const CHILD = fileURLToPath(new URL('./sdk-pull-child.ts', import.meta.url));
const PROJECT = { id: 'p1', name: 'acme' };

async function startServer(): Promise<{ url: string; token: string; stop(): Promise<void> }> {
  const proc: ChildProcess = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  const ready = await new Promise<PullServerReady>((resolve, reject) => {
    proc.once('message', (m: PullServerReady) => resolve(m));
    proc.once('exit', (code) => reject(new Error(`sdk-pull-child exited (${code}) before it was ready`)));
  });
  if (ready.projectId !== PROJECT.id || ready.projectName !== PROJECT.name) throw new Error('unexpected project');
  return {
    url: ready.url,
    token: ready.token,
    stop: async () => {
      proc.send({ type: 'close' });
      await exited;
    },
  };
}

const setName = (i: number) => `s${String(i).padStart(3, '0')}`;

function smallSet(i: number): PromptSetContent {
  return {
    id: `set-${i}`,
    projectId: PROJECT.id,
    name: setName(i),
    description: `Bench set ${i}`,
    dependencies: {},
    prompts: [
      {
        id: `p-${i}-a`,
        name: 'greet',
        description: 'Greets a customer',
        kind: 'text',
        template: `Hello {{ customer }}, this is set ${i}.\n{% if vip %}Thank you for being with us.{% endif %}`,
        parameters: [
          { name: 'customer', type: { type: 'string' }, required: true, description: 'Who' },
          { name: 'vip', type: { type: 'boolean' }, required: false, description: '' },
        ],
        model: { provider: 'openai', model: 'gpt-4o', temperature: 0.2 },
        metadata: {},
      },
      {
        id: `p-${i}-b`,
        name: 'triage',
        description: '',
        kind: 'chat',
        messages: [
          { type: 'message', role: 'system', content: `Sort tickets for team ${i}.` },
          { type: 'message', role: 'user', content: '{{ ticket }}' },
        ],
        parameters: [{ name: 'ticket', type: { type: 'string' }, required: true, description: '' }],
        model: null,
        metadata: {},
      },
    ],
  };
}

async function inOrder<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export default async function sdkPull(): Promise<BenchRow[]> {
  const root = mkdtempSync(join(tmpdir(), 'anvil-bench-pull-'));
  const server = await startServer();
  try {
    const headers = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
    const setupStart = performance.now();
    let bundleBytes = 0;
    const names: string[] = [];
    await inOrder(
      Array.from({ length: SETS }, (_, i) => i),
      4,
      async (i) => {
        const res = await fetch(`${server.url}${REGISTRY_PATHS.publish}`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ projectId: PROJECT.id, content: smallSet(i), version: '1.0.0' }),
        });
        if (res.status !== 201) throw new Error(`publishing set ${i}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      },
    );
    for (let i = 0; i < SETS; i++) names.push(`@${PROJECT.name}/${setName(i)}`);
    for (const name of names) {
      const res = await fetch(`${server.url}${REGISTRY_PATHS.bundle(name, '1.0.0')}`, { headers });
      bundleBytes += (await res.arrayBuffer()).byteLength;
    }
    process.stderr.write(
      `  setup: ${SETS} sets published in ${((performance.now() - setupStart) / 1000).toFixed(1)} s, ${bundleBytes} bundle bytes\n`,
    );

    const manifest = { dependencies: Object.fromEntries(names.map((n) => [n, '^1.0.0'])) };
    let run = 0;
    /** One cold pull in fresh folders; with `count`, every response body's bytes are added to it. */
    const coldPull = async (count?: { bytes: number }): Promise<number> => {
      const dir = join(root, `consumer-${++run}`);
      const counting: FetchLike | undefined = count
        ? async (input, init) => {
            const res = await fetch(input, init);
            const body = new Uint8Array(await res.arrayBuffer());
            count.bytes += body.byteLength;
            return new Response(res.status === 304 ? null : body, { status: res.status, headers: res.headers });
          }
        : undefined;
      const start = performance.now();
      const result = await pull({
        manifest,
        lockfile: join(dir, 'anvil-lock.json'),
        cacheDir: join(dir, 'cache'),
        registry: server.url,
        token: server.token,
        ...(counting ? { fetch: counting } : {}),
      });
      const ms = performance.now() - start;
      if (Object.keys(result.lockfile.sets).length !== SETS) throw new Error('the pull did not lock every set');
      rmSync(dir, { recursive: true, force: true });
      return ms;
    };
    const fetchBundles = async (limit: number): Promise<number> => {
      const start = performance.now();
      let bytes = 0;
      await inOrder(names, limit, async (name) => {
        const res = await fetch(`${server.url}${REGISTRY_PATHS.bundle(name, '1.0.0')}`, { headers });
        bytes += (await res.arrayBuffer()).byteLength;
      });
      if (bytes !== bundleBytes) throw new Error('the baseline fetched other bytes');
      return performance.now() - start;
    };

    // Warm-up (JIT, connections, the server's caches), then interleaved rounds.
    await coldPull();
    await fetchBundles(1);
    await fetchBundles(CONCURRENCY);
    const ours: number[] = [];
    const sequential: number[] = [];
    const concurrent: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      ours.push(await coldPull());
      sequential.push(await fetchBundles(1));
      concurrent.push(await fetchBundles(CONCURRENCY));
    }
    const transferred = { bytes: 0 };
    await coldPull(transferred);
    process.stderr.write(
      `  cold pull ms: ${ours.map((m) => m.toFixed(0)).join(', ')}; sequential fetch: ${sequential.map((m) => m.toFixed(0)).join(', ')}; concurrent: ${concurrent.map((m) => m.toFixed(0)).join(', ')}\n`,
    );
    return [
      row(
        BENCH,
        `cold pull of ${SETS} sets vs sequential fetch of their bundles`,
        median(ours),
        median(sequential),
        'ms',
      ),
      row(
        BENCH,
        `cold pull of ${SETS} sets vs concurrent fetch (${CONCURRENCY} at a time)`,
        median(ours),
        median(concurrent),
        'ms',
      ),
      row(BENCH, `bytes transferred by the pull vs the sum of bundle sizes`, transferred.bytes, bundleBytes, 'bytes'),
    ];
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
