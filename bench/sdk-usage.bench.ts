// The cost of usage analytics on `get`'s hot path: the same cached, parsed prompt (bench/sdk-get.bench.ts's)
// through two clients in one process, one recording usage events (and calling the OpenTelemetry API, no SDK
// configured, as in an application that has not set one up), one with `usage: false, telemetry: false`.
// Rounds alternate which client goes first; between rounds the recording client's batcher catches up, untimed
// (it prepares and sends in short slices between turns of the event loop, as an application's loop has between
// requests; a round's tight loop of awaited gets gives it none). The figure is the ratio of the per-round
// medians; the issue bounds it at 1.05. The batcher's own work per event (token counting above all, then cost,
// JSON, the request) is the second row: CPU the application spends, but never inside a `get`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentHash } from '../shared/domain/hash';
import type { PromptSetContent } from '../shared/domain/prompt-set';
import { buildBundle } from '../shared/registry/bundle';
import { USAGE_PATHS } from '../shared/usage/types';
import { createAnvil } from '../client/sdk/anvil';
import type { Anvil, AnvilOptions } from '../client/sdk/anvil';
import { openDiskCache } from '../client/sdk/disk-cache';
import type { BenchRow } from './harness';
import { median, row } from './harness';
import { SUPPORT_PARAMETERS, SUPPORT_PROMPT, SUPPORT_VALUES } from './template-fixtures';

const ROUNDS = 400;
const PER_ROUND = 50;

export default async function sdkUsage(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-bench-usage-'));
  const clients: Anvil[] = [];
  try {
    const content: PromptSetContent = {
      id: 'set-support',
      projectId: 'p1',
      name: 'support',
      description: '',
      dependencies: {},
      prompts: [
        {
          id: 'p-answer',
          name: 'answer',
          description: '',
          kind: 'text',
          template: SUPPORT_PROMPT,
          parameters: SUPPORT_PARAMETERS,
          model: { provider: 'openai', model: 'gpt-4o' },
          metadata: {},
        },
      ],
    };
    const bundle = await buildBundle({
      content,
      projectName: 'acme',
      version: '1.0.0',
      author: 'bench',
      createdAt: '2026-01-01T00:00:00.000Z',
      changelog: '',
      changeClass: 'minor',
      override: null,
      contentHash: await contentHash(content),
    });
    await openDiskCache(dir).writeBundle(bundle);
    let posted = 0;
    // The registry in memory: usage batches accepted, anything else (the locked mode's one metadata check) 404.
    const fakeFetch: AnvilOptions['fetch'] = async (url, init) => {
      if (url.endsWith(USAGE_PATHS.events) && init?.method === 'POST') {
        posted++;
        // No body: the SDK counts the whole batch accepted.
        return new Response(null, { status: 200 });
      }
      return new Response('{"error":{"code":"not_found","message":"none"}}', { status: 404 });
    };
    const base: AnvilOptions = {
      cacheDir: dir,
      mode: 'locked',
      registry: 'http://registry.invalid',
      fetch: fakeFetch,
      lockfile: {
        lockfileVersion: 1,
        dependencies: { '@acme/support': '^1.0.0' },
        sets: {
          '@acme/support': { version: '1.0.0', integrity: bundle.integrity, ranges: ['^1.0.0'], dependencies: {} },
        },
      },
    };
    const on = createAnvil({ ...base, usage: { flushMs: 1_000 } });
    const off = createAnvil({ ...base, usage: false, telemetry: false });
    clients.push(on, off);
    const address = '@acme/support/answer';
    for (const a of [on, off]) for (let i = 0; i < 2_000; i++) await a.get(address, SUPPORT_VALUES);
    await on.flush();

    const timeRound = async (a: Anvil): Promise<number> => {
      const start = performance.now();
      for (let i = 0; i < PER_ROUND; i++) await a.get(address, SUPPORT_VALUES);
      return (performance.now() - start) / PER_ROUND;
    };
    const onMs: number[] = [];
    const offMs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      if (r % 2 === 0) {
        onMs.push(await timeRound(on));
        offMs.push(await timeRound(off));
      } else {
        offMs.push(await timeRound(off));
        onMs.push(await timeRound(on));
      }
      await on.flush();
    }
    await on.flush();
    const stats = on.usageStats();
    if (stats.dropped !== 0 || stats.sent !== stats.recorded || posted === 0)
      throw new Error(`the recording client lost events: ${JSON.stringify(stats)}`);

    // The batcher's work per event, measured alone: record a burst, then time preparing and sending it.
    const burst = createAnvil({ ...base, usage: { bufferSize: 20_000, batchSize: 1_000, flushMs: 3_600_000 } });
    clients.push(burst);
    await burst.get(address, SUPPORT_VALUES);
    await burst.flush();
    const perEvent: number[] = [];
    for (let r = 0; r < 5; r++) {
      for (let i = 0; i < 5_000; i++) await burst.get(address, SUPPORT_VALUES);
      const start = performance.now();
      await burst.flush();
      perEvent.push((performance.now() - start) / 5_000);
    }

    const us = (ms: number): number => ms * 1000;
    const onMedian = median(onMs);
    const offMedian = median(offMs);
    return [
      row(
        'sdk-usage',
        'get µs, recording usage + OpenTelemetry API (no SDK) vs both off',
        us(onMedian),
        us(offMedian),
        'µs',
        1.05,
      ),
      row(
        'sdk-usage',
        'batcher µs per event (tokens, cost, JSON, send; off the render path)',
        us(median(perEvent)),
        null,
        'µs',
      ),
    ];
  } finally {
    for (const c of clients) await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
