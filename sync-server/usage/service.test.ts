import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RenderEvent, UsageEvent, UsageFigures, UsageFilter } from '../../shared/usage/types';
import { USAGE_LIMITS } from '../../shared/usage/types';
import { removeDirs } from '../server/testing';
import { bucketOf, emptyCounts, encodeSparse } from './histogram';
import { USAGE_FILE, USAGE_MIGRATIONS, openUsageDb } from './schema';
import type { UsageWorld } from './testing';
import { HOUR, T0, outcome, render, usageWorld } from './testing';

const dirs: string[] = [];
let w: UsageWorld | undefined;
afterEach(() => {
  w?.close();
  w = undefined;
  removeDirs(dirs);
});

const batch = (events: unknown[], dropped = 0) => ({ client: '@anvil/client/0.1.0', events, dropped });
const range = (hours = 3): UsageFilter => ({ project: 'acme', from: T0, to: T0 + hours * HOUR });
const exactQuantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
};
const rawCount = (dir: string): number => {
  const db = new Database(join(dir, USAGE_FILE), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/** Three hours of traffic: two versions, two models, errors, fallbacks, outcomes with metrics. */
function traffic(): UsageEvent[] {
  const events: UsageEvent[] = [];
  for (let i = 0; i < 90; i++) {
    const r = render({
      at: T0 + Math.floor(i / 30) * HOUR + i * 1000,
      version: i % 3 === 0 ? '1.1.0' : '1.0.0',
      model: i % 2 === 0 ? 'openai/gpt-4o' : 'anthropic/claude',
      latencyMs: 0.1 + (i % 17) * 0.37 + (i % 10 === 0 ? 40 : 0),
      inputTokens: 10 + i,
      costUsd: 0.125,
      error: i % 15 === 0 ? 'invalid_parameters' : null,
      fallback: i % 9 === 0,
    });
    events.push(r);
    if (i % 4 === 0)
      events.push(
        outcome(r, { outputTokens: i, costUsd: 0.25, metrics: { resolved: i % 8 === 0 ? 1 : 0, score: i / 10 } }),
      );
  }
  return events;
}

/** The figures `events` should sum to, computed plainly (percentiles aside). */
function expected(events: UsageEvent[]) {
  const renders = events.filter((e): e is RenderEvent => e.type === 'render');
  const outcomes = events.filter((e) => e.type === 'outcome');
  const metrics: Record<string, { sum: number; count: number; sumSquares: number }> = {};
  for (const o of outcomes)
    for (const [k, v] of Object.entries(o.metrics)) {
      const m = (metrics[k] ??= { sum: 0, count: 0, sumSquares: 0 });
      m.sum += v;
      m.count++;
      m.sumSquares += v * v;
    }
  return {
    renders: renders.length,
    errors: renders.filter((r) => r.error !== null).length,
    fallbacks: renders.filter((r) => r.fallback).length,
    inputTokens: renders.reduce((s, r) => s + (r.inputTokens ?? 0), 0),
    outputTokens: outcomes.reduce((s, o) => s + (o.outputTokens ?? 0), 0),
    costUsd: events.reduce((s, e) => s + (e.costUsd ?? 0), 0),
    outcomes: outcomes.length,
    metrics,
    latencies: renders.map((r) => r.latencyMs),
  };
}

function expectFigures(got: UsageFigures, events: UsageEvent[], label: string) {
  const { latencies, metrics, ...sums } = expected(events);
  expect(got, label).toMatchObject(sums);
  expect(Object.keys(got.metrics).sort(), label).toEqual(Object.keys(metrics).sort());
  for (const [k, m] of Object.entries(metrics)) {
    expect(got.metrics[k]?.count, `${label} ${k}`).toBe(m.count);
    expect(got.metrics[k]?.sum, `${label} ${k}`).toBeCloseTo(m.sum, 9);
    expect(got.metrics[k]?.sumSquares, `${label} ${k}`).toBeCloseTo(m.sumSquares, 9);
  }
  if (latencies.length === 0) {
    expect(got.latencyP50Ms).toBeNull();
    return;
  }
  for (const [q, p] of [
    [0.5, got.latencyP50Ms],
    [0.95, got.latencyP95Ms],
  ] as const)
    expect(
      Math.abs(bucketOf(p as number) - bucketOf(exactQuantile(latencies, q))),
      `${label} p${q * 100}`,
    ).toBeLessThanOrEqual(1);
}

describe('usage ingestion and queries', () => {
  it('answers series by hour and day and breakdowns whose figures are exactly what was sent', async () => {
    w = await usageWorld(dirs);
    const events = traffic();
    const result = w.usage.ingest(w.as.vi, batch(events));
    expect(result).toEqual({ accepted: events.length, duplicates: 0, rejected: [] });

    const hours = w.usage.series(w.as.ed, range(), 'hour');
    expect(hours.bucket).toBe('hour');
    expect(hours.points.map((p) => p.at)).toEqual([T0, T0 + HOUR, T0 + 2 * HOUR]);
    hours.points.forEach((p, h) =>
      expectFigures(
        p,
        events.filter((e) => e.at >= T0 + h * HOUR && e.at < T0 + (h + 1) * HOUR),
        `hour ${h}`,
      ),
    );
    const days = w.usage.series(w.as.ed, { ...range(), from: T0 - 10 * HOUR, to: T0 + 30 * HOUR }, 'day');
    expect(days.points.map((p) => p.at)).toEqual([Date.UTC(2026, 10, 25), Date.UTC(2026, 10, 26)]);
    expectFigures(days.points[0] as UsageFigures, events, 'day 1');
    expectFigures(days.points[1] as UsageFigures, [], 'day 2 (empty)');

    const byVersion = w.usage.breakdown(w.as.ed, range(), 'version');
    expect(byVersion.groups.map((g) => g.key)).toEqual(['1.0.0', '1.1.0']); // most renders first
    for (const g of byVersion.groups)
      expectFigures(
        g,
        events.filter((e) => e.version === g.key),
        `version ${g.key}`,
      );
    // Errors group under their code; the rest under null.
    const byError = w.usage.breakdown(w.as.ed, range(), 'error');
    expect(byError.groups.map((g) => [g.key, g.renders])).toEqual([
      [null, 84],
      ['invalid_parameters', 6],
    ]);
    // Filters: one version, and the prompt.
    const one = w.usage.series(w.as.ed, { ...range(1), version: '1.1.0', prompt: 'signature' }, 'hour');
    expectFigures(
      one.points[0] as UsageFigures,
      events.filter((e) => e.version === '1.1.0' && e.at < T0 + HOUR),
      'filtered',
    );
    expect(w.usage.series(w.as.ed, { ...range(1), prompt: 'other' }, 'hour').points[0]?.renders).toBe(0);
  });

  it('counts an outcome under its render’s model, and its output tokens and cost with it', async () => {
    w = await usageWorld(dirs);
    const a = render({ model: 'openai/gpt-4o' });
    const b = render({ model: 'anthropic/claude' });
    const orphan = outcome(render({ id: 'never-sent' }), { outputTokens: 7 });
    w.usage.ingest(w.as.vi, batch([a, b, outcome(a, { outputTokens: 50 })]));
    w.usage.ingest(w.as.vi, batch([outcome(b, { outputTokens: 60, metrics: { score: 0.5 } }), orphan]));
    const groups = w.usage.breakdown(w.as.ed, range(), 'model').groups;
    expect(groups.map((g) => [g.key, g.renders, g.outcomes, g.outputTokens, g.costUsd])).toEqual([
      ['anthropic/claude', 1, 1, 60, 0.75],
      ['openai/gpt-4o', 1, 1, 50, 0.75],
      [null, 0, 1, 7, 0.5],
    ]);
    expect(groups[0]?.metrics).toEqual({ score: { sum: 0.5, count: 1, sumSquares: 0.25 } });
  });

  it('is idempotent: a re-sent batch (or an id twice in one) counts once', async () => {
    w = await usageWorld(dirs);
    const events = traffic().slice(0, 40);
    expect(w.usage.ingest(w.as.vi, batch(events)).accepted).toBe(40);
    const before = w.usage.series(w.as.ed, range(), 'hour');
    expect(w.usage.ingest(w.as.vi, batch(events))).toEqual({ accepted: 0, duplicates: 40, rejected: [] });
    const fresh = render();
    expect(w.usage.ingest(w.as.vi, batch([events[0], fresh, fresh]))).toEqual({
      accepted: 1,
      duplicates: 2,
      rejected: [],
    });
    const after = w.usage.series(w.as.ed, range(), 'hour');
    expect(after.points[0]?.renders).toBe((before.points[0]?.renders ?? 0) + 1);
    expect(after.points.slice(1)).toEqual(before.points.slice(1));
    // After a restart too: the ids are in the database, not in memory.
    const again = w.reopen();
    expect(again.ingest(w.as.vi, batch(events)).duplicates).toBe(40);
  });

  it('rejects bad events one by one with a reason, and takes the rest', async () => {
    w = await usageWorld(dirs);
    const good = render();
    const tooManyMetrics = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`m${i}`, i]));
    const events: unknown[] = [
      good,
      'not an event',
      { ...render(), type: 'click' },
      { ...render(), latencyMs: -1 },
      { ...render(), name: 'acme/common' },
      { ...render(), inputTokens: 1.5 },
      outcome(good, { metrics: tooManyMetrics }),
      outcome(good, { metrics: { score: Number.NaN } as Record<string, number> }),
      { ...render(), params: { big: 'x'.repeat(20_000) } },
      render({ name: '@acme/nope' }),
      render({ name: '@beta/tools' }), // vi has no role on beta
      render({ at: T0 - 31 * 24 * HOUR }),
      render({ at: T0 + 25 * HOUR }),
      render({ name: '@acme/common', params: { customer: 'Ann' } }),
    ];
    const result = w.usage.ingest(w.as.vi, batch(events));
    expect(result.accepted).toBe(2);
    expect(result.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, 'invalid_event'],
      [2, 'invalid_event'],
      [3, 'invalid_event'],
      [4, 'invalid_event'],
      [5, 'invalid_event'],
      [6, 'invalid_event'],
      [7, 'invalid_event'],
      [8, 'invalid_event'],
      [9, 'unknown_package'],
      [10, 'forbidden'],
      [11, 'too_old'],
      [12, 'in_the_future'],
    ]);
    const messages = result.rejected.map((r) => r.message);
    expect(messages[2]).toMatch(/latencyMs/);
    expect(messages[5]).toMatch(/17 keys; at most 16/);
    expect(messages[6]).toMatch(/score.*finite/);
    expect(messages[8]).toMatch(/@acme\/nope/);
    expect(messages[9]).toMatch(/no role/);
    // Batch-level problems refuse the whole batch.
    const tooMany = Array.from({ length: USAGE_LIMITS.maxEventsPerBatch + 1 }, () => render());
    expect(() => w?.usage.ingest(w.as.vi, batch(tooMany))).toThrow(expect.objectContaining({ code: 'too_large' }));
    for (const bad of [null, [], { events: 'x' }, { client: 1, events: [] }, { client: 'c', events: [], dropped: -1 }])
      expect(() => w?.usage.ingest(w.as.vi, bad)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });

  it('records what SDKs report dropped, even in a batch of no events', async () => {
    const log: string[] = [];
    w = await usageWorld(dirs, { log: (l) => log.push(l) });
    expect(w.usage.ingest(w.as.vi, batch([], 12))).toEqual({ accepted: 0, duplicates: 0, rejected: [] });
    w.usage.ingest(w.as.vi, batch([render()], 3));
    const db = new Database(join(w.dir, USAGE_FILE), { readonly: true });
    expect(db.prepare('SELECT account_id, client, dropped FROM drops').all()).toEqual([
      { account_id: w.as.vi.accountId, client: '@anvil/client/0.1.0', dropped: 15 },
    ]);
    db.close();
    expect(log.join('\n')).toMatch(/vi \(@anvil\/client\/0\.1\.0\) reported 12 event/);
  });

  it('shows each caller only projects it has a role on', async () => {
    w = await usageWorld(dirs);
    w.usage.ingest(w.as.vi, batch([render(), render()]));
    w.usage.ingest(w.as.out, batch([render({ name: '@beta/tools' })]));
    // A viewer reads its project's figures; another project's member does not.
    expect(w.usage.series(w.as.vi, range(1), 'hour').points[0]?.renders).toBe(2);
    expect(() => w?.usage.series(w.as.out, range(1), 'hour')).toThrow(
      expect.objectContaining({ code: 'unknown_project' }),
    );
    expect(() => w?.usage.series(w.as.out, { from: T0, to: T0 + HOUR, name: '@acme/common' }, 'hour')).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
    expect(w.usage.series(w.as.out, { ...range(1), project: 'beta' }, 'hour').points[0]?.renders).toBe(1);
    // `project` may name a package too.
    expect(w.usage.series(w.as.out, { ...range(1), project: '@beta/tools' }, 'hour').points[0]?.renders).toBe(1);
    expect(() => w?.usage.series(w.as.out, { ...range(1), project: '@acme/common' }, 'hour')).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
    // A package of another project than the one named: nothing.
    expect(w.usage.breakdown(w.as.root, { ...range(1), project: 'beta', name: '@acme/common' }, 'name').groups).toEqual(
      [],
    );
    // Non-admins must name a project or package; a server admin sees everything.
    expect(() => w?.usage.breakdown(w.as.vi, { from: T0, to: T0 + HOUR }, 'name')).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
    expect(
      w.usage.breakdown(w.as.root, { from: T0, to: T0 + HOUR }, 'name').groups.map((g) => [g.key, g.renders]),
    ).toEqual([
      ['@acme/common', 2],
      ['@beta/tools', 1],
    ]);
    // Ranges are checked.
    expect(() => w?.usage.series(w.as.vi, { ...range(), to: T0 }, 'hour')).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
    expect(() => w?.usage.series(w.as.vi, { ...range(), from: 0, to: T0 }, 'hour')).toThrow(/shorter one/);
  });

  it('prunes raw events past the retention in small batches, keeps the rollups, and refuses them re-sent', async () => {
    w = await usageWorld(dirs, { retentionMs: 10 * 24 * HOUR, pruneBatch: 3 });
    const old = Array.from({ length: 10 }, (_, i) => render({ at: T0 - 9 * 24 * HOUR + i }));
    const recent = [render({ at: T0 }), render({ at: T0 + 1 })];
    expect(w.usage.ingest(w.as.vi, batch([...old, ...recent])).accepted).toBe(12);
    const series = () => w?.usage.series(w.as.ed, { project: 'acme', from: T0 - 10 * 24 * HOUR, to: T0 + HOUR }, 'day');
    const before = series();
    expect(await w.usage.prune()).toBe(0);
    w.now.ms = T0 + 2 * 24 * HOUR;
    expect(await w.usage.prune()).toBe(10);
    expect(rawCount(w.dir)).toBe(2);
    expect(series()).toEqual(before);
    // Re-sending a pruned event cannot count it twice: it is older than the retention now.
    const again = w.usage.ingest(w.as.vi, batch(old.slice(0, 2)));
    expect(again.rejected.map((r) => r.code)).toEqual(['too_old', 'too_old']);
    expect(series()).toEqual(before);
  });
});

describe('experiments in usage events', () => {
  /** Each experiment's renders and outcomes: variant keys `control` and `short` in both, on one prompt. */
  function twoExperiments(): UsageEvent[] {
    const events: UsageEvent[] = [];
    const plan = [
      { experiment: 'exp-old', variant: 'control', renders: 6, resolved: [1, 1, 0] },
      { experiment: 'exp-old', variant: 'short', renders: 4, resolved: [0, 0] },
      { experiment: 'exp-new', variant: 'control', renders: 3, resolved: [0] },
      { experiment: 'exp-new', variant: 'short', renders: 8, resolved: [1, 1, 1, 1] },
    ];
    let i = 0;
    for (const p of plan)
      for (let k = 0; k < p.renders; k++) {
        const r = render({ at: T0 + ++i * 1000, experiment: p.experiment, variant: p.variant });
        events.push(r);
        const resolved = p.resolved[k];
        if (resolved !== undefined) events.push(outcome(r, { metrics: { resolved } }));
      }
    events.push(render({ at: T0 + 500 })); // no experiment
    return events;
  }

  it('stores the experiment raw and rolls it up; by variant within one experiment, its results alone', async () => {
    const world = await usageWorld(dirs);
    w = world;
    const events = twoExperiments();
    expect(w.usage.ingest(w.as.vi, batch(events))).toEqual({ accepted: events.length, duplicates: 0, rejected: [] });

    const db = new Database(join(w.dir, USAGE_FILE), { readonly: true });
    try {
      const raw = db
        .prepare('SELECT type, experiment, variant, count(*) AS n FROM events GROUP BY 1, 2, 3 ORDER BY 1, 2, 3')
        .all();
      expect(raw).toEqual([
        { type: 'outcome', experiment: 'exp-new', variant: 'control', n: 1 },
        { type: 'outcome', experiment: 'exp-new', variant: 'short', n: 4 },
        { type: 'outcome', experiment: 'exp-old', variant: 'control', n: 3 },
        { type: 'outcome', experiment: 'exp-old', variant: 'short', n: 2 },
        { type: 'render', experiment: null, variant: null, n: 1 },
        { type: 'render', experiment: 'exp-new', variant: 'control', n: 3 },
        { type: 'render', experiment: 'exp-new', variant: 'short', n: 8 },
        { type: 'render', experiment: 'exp-old', variant: 'control', n: 6 },
        { type: 'render', experiment: 'exp-old', variant: 'short', n: 4 },
      ]);
      // One rollup row per experiment and variant (and one for no experiment, as '').
      expect(db.prepare('SELECT experiment, variant, renders, outcomes FROM rollups ORDER BY 1, 2').all()).toEqual([
        { experiment: '', variant: '', renders: 1, outcomes: 0 },
        { experiment: 'exp-new', variant: 'control', renders: 3, outcomes: 1 },
        { experiment: 'exp-new', variant: 'short', renders: 8, outcomes: 4 },
        { experiment: 'exp-old', variant: 'control', renders: 6, outcomes: 3 },
        { experiment: 'exp-old', variant: 'short', renders: 4, outcomes: 2 },
      ]);
    } finally {
      db.close();
    }

    const byExperiment = w.usage.breakdown(w.as.ed, range(), 'experiment');
    expect(byExperiment.groups.map((g) => [g.key, g.renders, g.outcomes])).toEqual([
      ['exp-new', 11, 5],
      ['exp-old', 10, 5],
      [null, 1, 0],
    ]);
    const variants = (experiment?: string) =>
      world.usage
        .breakdown(world.as.ed, { ...range(), prompt: 'signature', ...(experiment ? { experiment } : {}) }, 'variant')
        .groups.map((g) => [g.key, g.renders, g.metrics.resolved ?? null]);
    expect(variants('exp-old')).toEqual([
      ['control', 6, { sum: 2, count: 3, sumSquares: 2 }],
      ['short', 4, { sum: 0, count: 2, sumSquares: 0 }],
    ]);
    expect(variants('exp-new')).toEqual([
      ['short', 8, { sum: 4, count: 4, sumSquares: 4 }],
      ['control', 3, { sum: 0, count: 1, sumSquares: 0 }],
    ]);
    // Without the experiment the same keys mix, which is what the filter is for.
    expect(variants()).toEqual([
      ['short', 12, { sum: 4, count: 6, sumSquares: 4 }],
      ['control', 9, { sum: 2, count: 4, sumSquares: 2 }],
      [null, 1, null],
    ]);
    expect(w.usage.series(w.as.ed, { ...range(1), experiment: 'exp-old' }, 'hour').points[0]?.renders).toBe(10);
    expect(w.usage.series(w.as.ed, { ...range(1), experiment: 'exp-none' }, 'hour').points[0]?.renders).toBe(0);
  });

  it('takes an event without experiment (an older SDK) as null, and refuses one that is not text', async () => {
    w = await usageWorld(dirs);
    const { experiment: _r, ...old } = render({ variant: 'control' });
    const { experiment: _o, ...oldOutcome } = outcome({ ...old, experiment: null }, { metrics: { resolved: 1 } });
    const events: unknown[] = [
      old,
      oldOutcome,
      { ...render(), experiment: 7 },
      { ...render(), experiment: '' },
      { ...render(), experiment: 'x'.repeat(257) },
      render({ experiment: 'x'.repeat(256), variant: 'a' }),
    ];
    const result = w.usage.ingest(w.as.vi, batch(events));
    expect(result.accepted).toBe(3);
    expect(result.rejected.map((r) => [r.index, r.code])).toEqual([
      [2, 'invalid_event'],
      [3, 'invalid_event'],
      [4, 'invalid_event'],
    ]);
    expect(result.rejected[0]?.message).toMatch(/experiment/);
    const db = new Database(join(w.dir, USAGE_FILE), { readonly: true });
    try {
      expect(
        db
          .prepare('SELECT id, experiment FROM events WHERE id IN (?, ?) ORDER BY type DESC')
          .all(old.id, oldOutcome.id),
      ).toEqual([
        { id: old.id, experiment: null },
        { id: oldOutcome.id, experiment: null },
      ]);
    } finally {
      db.close();
    }
    expect(w.usage.breakdown(w.as.ed, range(), 'experiment').groups.map((g) => [g.key, g.renders, g.outcomes])).toEqual(
      [
        [null, 1, 1],
        ['x'.repeat(256), 1, 0],
      ],
    );
  });

  it('migrates a usage.db of schema 1: its rollups are kept under experiment none, and count on', async () => {
    const world = await usageWorld(dirs);
    w = world;
    const file = join(w.dir, 'usage-v1.db');
    const v1 = openUsageDb(file, USAGE_MIGRATIONS.slice(0, 1));
    const latency = emptyCounts();
    latency[bucketOf(2)] = 4;
    const row = v1.prepare(`
      INSERT INTO rollups (project_id, hour, name, prompt, version, variant, model, error, renders, errors, fallbacks,
        latency, input_tokens, output_tokens, cost_nusd, outcomes, metrics)
      VALUES ('p1', ?, '@acme/common', 'signature', '1.0.0', ?, 'openai/gpt-4o', '', 4, 0, 0, ?, 40, 100, ?, 1, ?)`);
    row.run(T0, 'control', encodeSparse(latency), 1e9, JSON.stringify({ resolved: [1, 1, 1] }));
    row.run(T0, '', encodeSparse(latency), 1e9, null);
    v1.prepare(
      `INSERT INTO events (id, type, at, received_at, project_id, account_id, name, prompt, version, variant, model,
        error, latency_ms, input_tokens, output_tokens, model_latency_ms, cost_usd, fallback, render_id, metrics, params)
      VALUES ('old-1', 'render', ?, ?, 'p1', 'a1', '@acme/common', 'signature', '1.0.0', 'control', 'openai/gpt-4o',
        NULL, 2, 10, NULL, NULL, 0.25, 0, NULL, NULL, NULL)`,
    ).run(T0, T0);
    v1.close();

    const usage = world.reopen({ file });
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(3); // through 2, and 3 (daily rollups)
      expect(db.prepare('SELECT id, variant, experiment FROM events').all()).toEqual([
        { id: 'old-1', variant: 'control', experiment: null },
      ]);
      expect(db.prepare('SELECT experiment, variant, renders FROM rollups ORDER BY variant').all()).toEqual([
        { experiment: '', variant: '', renders: 4 },
        { experiment: '', variant: 'control', renders: 4 },
      ]);
      const indexes = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'rollups' AND sql IS NOT NULL")
        .all();
      expect(indexes).toEqual([{ name: 'rollups_by_name' }]);
    } finally {
      db.close();
    }
    const before = usage.breakdown(world.as.ed, range(), 'variant').groups;
    expect(before.map((g) => [g.key, g.renders, g.outcomes, g.costUsd, g.metrics])).toEqual([
      [null, 4, 1, 1, {}],
      ['control', 4, 1, 1, { resolved: { sum: 1, count: 1, sumSquares: 1 } }],
    ]);
    for (const g of before) expect(g.latencyP50Ms).toBeCloseTo(2, 0);
    // New events of the same key without an experiment add to the migrated rows; with one, to rows of their own.
    const a = render({ variant: 'control' });
    const b = render({ variant: 'control', experiment: 'exp-a' });
    expect(usage.ingest(world.as.vi, batch([a, b, outcome(a, { metrics: { resolved: 0 } })])).accepted).toBe(3);
    const byExperiment = (variant: string) =>
      usage
        .breakdown(world.as.ed, { ...range(), variant }, 'experiment')
        .groups.map((g) => [g.key, g.renders, g.outcomes, g.metrics.resolved?.count ?? 0]);
    expect(byExperiment('control')).toEqual([
      [null, 5, 2, 2],
      ['exp-a', 1, 0, 0],
    ]);
  });
});
