import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateCost } from '../../../shared/tokens/prices';
import { countChatTokens, countTokens } from '../../../shared/tokens/count';
import type { OutcomeEvent, RenderEvent } from '../../../shared/usage/types';
import type { Lockfile } from '../../../shared/registry/lockfile';
import { createAnvil } from '../anvil';
import type { Anvil, AnvilOptions } from '../anvil';
import type { AnvilSdkError } from '../errors';
import { Ring } from './ring';
import { SDK_CLIENT } from './sender';
import type { Receiver } from './test-kit';
import { seedCache, startReceiver, until } from './test-kit';

const dirs: string[] = [];
const opened: Anvil[] = [];
let receiver: Receiver;
let lockfile: Lockfile;
let cacheDir: string;

beforeAll(async () => {
  cacheDir = mkdtempSync(join(tmpdir(), 'anvil-usage-'));
  dirs.push(cacheDir);
  lockfile = await seedCache(cacheDir);
  receiver = await startReceiver();
});
afterAll(async () => {
  for (const a of opened) await a.close();
  await receiver.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A locked SDK on the seeded cache whose registry is the receiver; a fresh receiver log per test. */
function open(extra: Partial<AnvilOptions> = {}): Anvil {
  receiver.batches.length = 0;
  receiver.headers.length = 0;
  const a = createAnvil({ cacheDir, lockfile, mode: 'locked', registry: receiver.url, token: 'tok-1', ...extra });
  opened.push(a);
  return a;
}

const renders = (): RenderEvent[] => receiver.events().filter((e): e is RenderEvent => e.type === 'render');

describe('usage events', () => {
  it('batches by count: full batches leave at once, the rest on flush; each event describes its render', async () => {
    const anvil = open({ usage: { batchSize: 10, flushMs: 60_000 } });
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const r = await anvil.getOrThrow('@acme/support/greet', { customer: `c${i}` });
      ids.push(r.renderId as string);
    }
    await until('two full batches', () => receiver.batches.length === 2);
    expect(receiver.batches.map((b) => b.events.length)).toEqual([10, 10]);
    await anvil.flush();
    expect(receiver.batches.map((b) => b.events.length)).toEqual([10, 10, 5]);
    expect(renders().map((e) => e.id)).toEqual(ids);
    expect(new Set(ids).size).toBe(25);
    expect(receiver.headers[0]?.authorization).toBe('Bearer tok-1');
    expect(receiver.batches[0]).toMatchObject({ client: SDK_CLIENT, dropped: 0 });

    const e = renders()[0] as RenderEvent;
    const tokens = (await countTokens('Hello c0, thank you for writing to Acme support today.', 'gpt-4o', 'openai'))
      .tokens;
    const cost = estimateCost({ model: 'gpt-4o', inputTokens: tokens, outputTokens: 0 });
    expect(e).toMatchObject({
      type: 'render',
      name: '@acme/support',
      prompt: 'greet',
      version: '1.0.0',
      variant: null,
      experiment: null,
      inputTokens: tokens,
      model: 'openai/gpt-4o',
      costUsd: cost.known ? cost.inputUsd : -1,
      error: null,
      fallback: false,
    });
    expect(e.latencyMs).toBeGreaterThanOrEqual(0);
    expect(e.latencyMs).toBeLessThan(5_000);
    expect(Math.abs(e.at - Date.now())).toBeLessThan(60_000);
    expect(anvil.usageStats()).toMatchObject({ enabled: true, recorded: 25, sent: 25, pending: 0, dropped: 0 });
  });

  it('batches by time: a partial batch leaves within flushMs without a flush', async () => {
    const anvil = open({ usage: { batchSize: 500, flushMs: 100 } });
    for (let i = 0; i < 3; i++) await anvil.get('@acme/support/greet', { customer: 'Ada' });
    const start = Date.now();
    await until('a timed batch', () => receiver.batches.length === 1, 3_000);
    expect(Date.now() - start).toBeLessThan(2_000);
    expect(receiver.batches[0]?.events).toHaveLength(3);
  });

  it('chat prompts, prompts without a model, and failed renders', async () => {
    const anvil = open();
    await anvil.getOrThrow('@acme/support/triage', { ticket: 'Order late' });
    await anvil.getOrThrow('@acme/support/plain');
    const bad = await anvil.get('@acme/support/greet', {});
    const unknown = await anvil.get('@acme/support/nope');
    const unparsed = await anvil.get('not an address');
    expect(bad.ok || unknown.ok || unparsed.ok).toBe(false);
    await anvil.flush();
    // An address that does not parse has no set or prompt to count under: not sent, counted as rejected.
    expect(renders()).toHaveLength(4);
    expect(anvil.usageStats()).toMatchObject({ recorded: 5, sent: 4, rejected: 1 });
    const [triage, plain, invalid, missing] = renders();
    const chat = await countChatTokens(
      [
        { role: 'system', content: 'Sort tickets by urgency.' },
        { role: 'user', content: 'Order late' },
      ],
      'claude-sonnet-4',
      'anthropic',
    );
    const cost = estimateCost({ model: 'claude-sonnet-4', inputTokens: chat.tokens, outputTokens: 0 });
    expect(triage).toMatchObject({
      prompt: 'triage',
      model: 'anthropic/claude-sonnet-4',
      inputTokens: chat.tokens,
      costUsd: cost.known ? cost.inputUsd : -1,
    });
    expect(plain).toMatchObject({ prompt: 'plain', model: null, costUsd: null });
    expect(plain?.inputTokens).toBeGreaterThan(0);
    expect(invalid).toMatchObject({
      name: '@acme/support',
      prompt: 'greet',
      version: null,
      error: 'invalid_parameters',
      inputTokens: null,
      costUsd: null,
    });
    expect(missing).toMatchObject({ prompt: 'nope', error: 'unknown_prompt' });
  });

  it('usage: false records and sends nothing', async () => {
    const anvil = open({ usage: false });
    const r = await anvil.getOrThrow('@acme/support/greet', { customer: 'Ada' });
    expect(r.renderId).toBeNull();
    anvil.outcome(r, { outputTokens: 3 });
    await anvil.flush();
    await anvil.close();
    expect(receiver.batches).toEqual([]);
    expect(anvil.usageStats()).toMatchObject({ enabled: false, recorded: 0 });
  });

  it('parameter values are sent only with includeParams', async () => {
    const plain = open();
    await plain.getOrThrow('@acme/support/greet', { customer: 'Ada Lovelace' });
    await plain.flush();
    expect(renders()[0]).not.toHaveProperty('params');
    expect(JSON.stringify(receiver.batches)).not.toContain('Ada Lovelace');

    const opted = open({ usage: { includeParams: true } });
    const params = { customer: 'Grace Hopper' };
    await opted.getOrThrow('@acme/support/greet', params);
    params.customer = 'changed after the render';
    await opted.flush();
    expect(renders()[0]?.params).toEqual({ customer: 'Grace Hopper' });

    // Values the server would refuse (over 16 KB as JSON) are left out, the event still sent.
    receiver.batches.length = 0;
    await opted.getOrThrow('@acme/support/greet', { customer: 'é'.repeat(9_000) });
    await opted.flush();
    expect(renders()).toHaveLength(1);
    expect(renders()[0]).not.toHaveProperty('params');
  });

  it('outcomes: by renderId or by the rendered prompt; cost from output tokens; checked', async () => {
    const anvil = open();
    const warnings: AnvilSdkError[] = [];
    anvil.on('warning', (w) => warnings.push(w));
    const a = await anvil.getOrThrow('@acme/support/greet', { customer: 'Ada' });
    const b = await anvil.getOrThrow('@acme/support/triage', { ticket: 'x' });
    anvil.outcome(a.renderId as string, { outputTokens: 120, modelLatencyMs: 850, metrics: { resolved: 1 } });
    anvil.outcome(b, { outputTokens: 10, costUsd: 0.5, metrics: { score: 0.8 } });
    expect(() => anvil.outcome(a, { outputTokens: -1 })).toThrow(expect.objectContaining({ code: 'invalid_outcome' }));
    expect(() => anvil.outcome(a, { metrics: { x: Number.NaN } })).toThrow(/metric "x"/);
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`m${i}`, i]));
    expect(() => anvil.outcome(a, { metrics: many })).toThrow(/at most 16/);
    expect(() => anvil.outcome('', {})).toThrow(/renderId/);
    anvil.outcome('never-rendered', { outputTokens: 1 });
    await anvil.flush();
    const outcomes = receiver.events().filter((e): e is OutcomeEvent => e.type === 'outcome');
    const out = estimateCost({ model: 'gpt-4o', inputTokens: 0, outputTokens: 120 });
    expect(outcomes).toEqual([
      expect.objectContaining({
        renderId: a.renderId,
        name: '@acme/support',
        prompt: 'greet',
        version: '1.0.0',
        variant: null,
        experiment: null,
        outputTokens: 120,
        modelLatencyMs: 850,
        costUsd: out.known ? out.outputUsd : -1,
        metrics: { resolved: 1 },
      }),
      expect.objectContaining({ renderId: b.renderId, prompt: 'triage', costUsd: 0.5, metrics: { score: 0.8 } }),
    ]);
    expect(anvil.usageStats().rejected).toBe(1);
    expect(warnings.map((w) => w.code)).toContain('usage_unknown_render');
  });

  it('a server that refuses a batch for good (400): counted as rejected, warned, not retried', async () => {
    const anvil = open();
    const warnings: AnvilSdkError[] = [];
    anvil.on('warning', (w) => warnings.push(w));
    receiver.status = 400;
    try {
      await anvil.getOrThrow('@acme/support/greet', { customer: 'Ada' });
      await anvil.flush();
    } finally {
      receiver.status = 200;
    }
    await anvil.flush();
    expect(receiver.batches).toEqual([]);
    expect(anvil.usageStats()).toMatchObject({ recorded: 1, sent: 0, rejected: 1, pending: 0, spooled: 0 });
    expect(warnings.map((w) => w.code)).toContain('usage_refused');
  });

  it('a process that ends without close() still sends its events (beforeExit), and is not kept alive', async () => {
    receiver.batches.length = 0;
    const here = dirname(fileURLToPath(import.meta.url));
    const script = join(cacheDir, 'app.mts');
    writeFileSync(
      script,
      `import { createAnvil } from ${JSON.stringify(join(here, '..', 'anvil.ts'))};
const anvil = createAnvil(${JSON.stringify({ cacheDir, lockfile, mode: 'locked', registry: receiver.url })});
for (let i = 0; i < 3; i++) await anvil.getOrThrow('@acme/support/greet', { customer: 'Ada' });
`,
    );
    const started = Date.now();
    await new Promise<void>((resolve, reject) =>
      execFile(process.execPath, ['--import', 'tsx', script], { timeout: 20_000 }, (err, _out, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(),
      ),
    );
    // Well under the 5 s flush timer: the timers do not hold the process, the exit hook sends.
    expect(Date.now() - started).toBeLessThan(4_500);
    expect(renders()).toHaveLength(3);
  }, 25_000);

  it('the client field names the package version', () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const pkg = JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(SDK_CLIENT).toBe(`@anvil/client/${pkg.version}`);
  });
});

describe('Ring', () => {
  it('keeps the newest items when full and counts what it overwrote', () => {
    const ring = new Ring<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.overwritten).toBe(2);
    expect(ring.take(10)).toEqual([3, 4, 5]);
    expect(ring.size).toBe(0);
    ring.push(6);
    expect(ring.take(1)).toEqual([6]);
  });
});
