// Daily rollups (migration 3): every daily row is the sum of its day's hourly rows, and queries that read whole
// days from them answer exactly what the hourly rows alone answer.
import type { Database as Db } from 'better-sqlite3';
import fc from 'fast-check';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import type { RenderEvent, UsageDimension, UsageEvent, UsageFigures, UsageFilter } from '../../shared/usage/types';
import { removeDirs } from '../server/testing';
import { createUsageAccess } from './access';
import { bucketOf, emptyCounts, encodeSparse } from './histogram';
import type { UsageQueries } from './query';
import { USAGE_DIMENSIONS, createUsageQueries, rangeParts } from './query';
import { DAY_MS, registerRollupFunctions } from './rollup';
import { USAGE_MIGRATIONS, openUsageDb } from './schema';
import type { UsageWorld } from './testing';
import { HOUR, T0, outcome, render, usageWorld } from './testing';

const dirs: string[] = [];
let w: UsageWorld | undefined;
afterEach(() => {
  w?.close();
  w = undefined;
  removeDirs(dirs);
});

const DAY = DAY_MS;
const batch = (events: unknown[]) => ({ client: '@anvil/client/0.1.0', events, dropped: 0 });
const KEY = ['project_id', 'name', 'prompt', 'version', 'experiment', 'variant', 'model', 'error'] as const;
const COUNTERS = ['renders', 'errors', 'fallbacks', 'input_tokens', 'output_tokens', 'cost_nusd', 'outcomes'] as const;

type StoredRow = Record<string, string | number | null>;
/** A rollup row in comparable form: the histogram as bucket → count, the metrics parsed. */
interface Comparable {
  key: string;
  counters: number[];
  latency: Record<number, number> | null;
  metrics: Record<string, number[]> | null;
}

function comparable(r: StoredRow, time: string): Comparable {
  const latency: Record<number, number> = {};
  for (const part of ((r.latency as string | null) ?? '').split(',').filter(Boolean)) {
    const [b, c] = part.split(':').map(Number) as [number, number];
    latency[b] = (latency[b] ?? 0) + c;
  }
  return {
    key: [r[time], ...KEY.map((k) => r[k])].join('|'),
    counters: COUNTERS.map((k) => r[k] as number),
    latency: r.latency === null ? null : latency,
    metrics: r.metrics === null ? null : (JSON.parse(r.metrics as string) as Record<string, number[]>),
  };
}

/** The daily rows the hourly ones add up to, computed plainly. */
function dailyOfHourly(db: Db): Comparable[] {
  const out = new Map<string, Comparable>();
  for (const r of db.prepare('SELECT * FROM rollups ORDER BY hour').all() as StoredRow[]) {
    const c = comparable({ ...r, day: (r.hour as number) - ((r.hour as number) % DAY) }, 'day');
    const into = out.get(c.key);
    if (!into) {
      out.set(c.key, c);
      continue;
    }
    into.counters = into.counters.map((v, i) => v + (c.counters[i] as number));
    if (c.latency) {
      into.latency ??= {};
      for (const [b, n] of Object.entries(c.latency)) into.latency[Number(b)] = (into.latency[Number(b)] ?? 0) + n;
    }
    if (c.metrics) {
      into.metrics ??= {};
      for (const [k, v] of Object.entries(c.metrics)) {
        const s = (into.metrics[k] ??= [0, 0, 0]);
        v.forEach((x, i) => (s[i] = (s[i] as number) + x));
      }
    }
  }
  return [...out.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}

const dailyRows = (db: Db): Comparable[] =>
  (db.prepare('SELECT * FROM rollups_daily').all() as StoredRow[])
    .map((r) => comparable(r, 'day'))
    .sort((a, b) => (a.key < b.key ? -1 : 1));

/** A second connection on a usage.db, with its queries reading hourly rows only (the reference) and daily rows. */
function queriesOn(world: UsageWorld, file: string): { db: Db; hourly: UsageQueries; daily: UsageQueries } {
  const db = openUsageDb(file);
  registerRollupFunctions(db);
  const access = createUsageAccess(world.registry, world.accounts);
  return {
    db,
    hourly: createUsageQueries(db, access, { daily: false }),
    daily: createUsageQueries(db, access),
  };
}

/** What a query answers, or the code it is refused with. */
function answer(run: () => unknown): unknown {
  try {
    return run();
  } catch (err) {
    return { refused: (err as { code?: string }).code };
  }
}

describe('daily rollups', () => {
  it('splits a range into its whole UTC days and the hours at its edges', () => {
    const d = Date.UTC(2026, 10, 20);
    const parts = (from: number, to: number) =>
      rangeParts(from, to, true).map((p) => [p.table, (p.from - d) / HOUR, (p.to - d) / HOUR]);
    // 30 whole days (the studio's 30-day view): daily rows only.
    expect(parts(d, d + 30 * DAY)).toEqual([['rollups_daily', 0, 720]]);
    // Unaligned ends: from is floored to its hour, an hour that `to` cuts into is counted whole.
    expect(parts(d + 5 * HOUR + 1, d + 2 * DAY + 3 * HOUR + 7)).toEqual([
      ['rollups', 5, 24],
      ['rollups_daily', 24, 48],
      ['rollups', 48, 52],
    ]);
    expect(parts(d - 1, d + 2 * DAY + 1)).toEqual([
      ['rollups', -1, 0],
      ['rollups_daily', 0, 48],
      ['rollups', 48, 49],
    ]);
    expect(parts(d - HOUR, d + DAY - HOUR + 1)).toEqual([
      ['rollups', -1, 0],
      ['rollups_daily', 0, 24],
    ]);
    // No whole day inside: hours only; and hours only when asked.
    expect(parts(d + HOUR, d + DAY + HOUR)).toEqual([['rollups', 1, 25]]);
    expect(parts(d + 5, d + DAY - HOUR)).toEqual([['rollups', 0, 23]]);
    expect(rangeParts(d, d + 3 * DAY, false).map((p) => p.table)).toEqual(['rollups']);
  });

  it('migrates a usage.db of schema 2: daily rows summed from the hourly ones, kept in step after', async () => {
    const world = await usageWorld(dirs);
    w = world;
    const file = join(world.dir, 'usage-v2.db');
    const v2 = openUsageDb(file, USAGE_MIGRATIONS.slice(0, 2));
    const insert = v2.prepare(`
      INSERT INTO rollups (project_id, hour, name, prompt, version, experiment, variant, model, error, renders, errors,
        fallbacks, latency, input_tokens, output_tokens, cost_nusd, outcomes, metrics)
      VALUES (?, ?, ?, 'signature', ?, ?, ?, 'openai/gpt-4o', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const day0 = T0 - (T0 % DAY);
    // Three days of rows across two projects, keys that recur in several hours of a day and keys alone in theirs;
    // histograms and metrics present, absent, and on one row of a day only.
    let n = 0;
    for (let h = -30; h < 40; h += 3)
      for (const [project, name, version, experiment, variant, error] of [
        ['p1', '@acme/common', '1.0.0', '', '', ''],
        ['p1', '@acme/common', '1.1.0', 'exp-a', 'short', ''],
        ['p1', '@acme/common', '1.0.0', '', '', 'invalid_parameters'],
        ['p2', '@beta/tools', '', '', '', ''],
      ] as const) {
        n++;
        if (n % 5 === 0) continue;
        const latency = emptyCounts();
        latency[bucketOf(0.5 + (n % 7))] = n;
        latency[bucketOf(40 + n)] = 1;
        const metrics =
          n % 3 === 0
            ? null
            : JSON.stringify({ resolved: [n % 2, 1, n % 2], ...(n % 4 ? { score: [n / 8, 2, n] } : {}) });
        insert.run(
          project,
          day0 + h * HOUR,
          name,
          version,
          experiment,
          variant,
          error,
          n + 1,
          error ? n + 1 : 0,
          n % 2,
          n % 6 === 0 ? null : encodeSparse(latency),
          10 * n,
          metrics ? 7 * n : 0,
          125_000_000 * n,
          metrics ? 1 : 0,
          metrics,
        );
      }
    v2.close();

    const usage = world.reopen({ file });
    const { db, hourly, daily } = queriesOn(world, file);
    onTestFinished(() => {
      db.close();
    });
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    const [table] = db.prepare("SELECT * FROM pragma_table_list WHERE name = 'rollups_daily'").all() as {
      wr: number;
      strict: number;
    }[];
    expect([table?.wr, table?.strict]).toEqual([1, 1]); // WITHOUT ROWID, STRICT
    expect(
      db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'rollups_daily' AND sql IS NOT NULL",
        )
        .all(),
    ).toEqual([{ name: 'rollups_daily_by_name' }]);
    const expected = dailyOfHourly(db);
    expect(expected.map((r) => r.key.split('|')[0])).toContain(String(day0 - DAY));
    expect(dailyRows(db)).toEqual(expected);
    expect(dailyRows(db).length).toBeLessThan(
      (db.prepare('SELECT count(*) AS n FROM rollups').get() as { n: number }).n,
    );

    const same = (filter: UsageFilter) => {
      for (const bucket of ['hour', 'day'] as const)
        expect(daily.series(world.as.root, filter, bucket)).toEqual(hourly.series(world.as.root, filter, bucket));
      for (const by of USAGE_DIMENSIONS)
        expect(daily.breakdown(world.as.root, filter, by)).toEqual(hourly.breakdown(world.as.root, filter, by));
    };
    same({ from: day0 - DAY, to: day0 + 2 * DAY });
    same({ from: day0 - DAY + 7 * HOUR + 5, to: day0 + DAY + 3 * HOUR - 5, project: 'acme' });

    // New events add to the migrated rows, hourly and daily alike.
    const a = render({ at: T0, variant: 'short', experiment: 'exp-a', version: '1.1.0' });
    const b = render({ at: T0 + 20 * HOUR, latencyMs: 3 });
    const events = [a, b, outcome(a, { metrics: { resolved: 1, score: 0.5 } })];
    expect(usage.ingest(world.as.vi, batch(events)).accepted).toBe(3);
    expect(dailyRows(db)).toEqual(dailyOfHourly(db));
    same({ from: day0 - DAY, to: day0 + 2 * DAY });
  });

  it('keeps daily rows the sum of the hourly ones, and answers exactly as the hourly rows alone', async () => {
    const world = await usageWorld(dirs);
    w = world;
    let dailyParts = 0;
    let found = 0;
    let queries = 0;
    fc.assert(
      fc.property(traffic(dyadic), fc.array(query, { minLength: 8, maxLength: 16 }), (t, qs) => {
        const { db, hourly, daily } = ingestAll(world, t);
        try {
          expect(dailyRows(db)).toEqual(dailyOfHourly(db));
          for (const q of qs) {
            queries++;
            if (q.by !== 'hour' && rangeParts(q.filter.from, q.filter.to, true).some((p) => p.time === 'day'))
              dailyParts++;
            const got = answer(() => ask(daily, world, q));
            expect(got, JSON.stringify(q)).toEqual(answer(() => ask(hourly, world, q)));
            if (figuresOf(got).some((f) => f.renders > 0)) found++;
          }
        } finally {
          db.close();
        }
      }),
      { numRuns: 60 },
    );
    // Most queries read daily rows, and most find traffic.
    expect(dailyParts).toBeGreaterThan(queries / 2);
    expect(found).toBeGreaterThan(queries / 2);
  });

  it('agrees with the hourly rows to float rounding when metric values are any decimals', async () => {
    const world = await usageWorld(dirs);
    w = world;
    fc.assert(
      fc.property(traffic(decimal), fc.array(query, { minLength: 4, maxLength: 8 }), (t, qs) => {
        const { db, hourly, daily } = ingestAll(world, t);
        try {
          for (const q of qs) {
            const got = answer(() => ask(daily, world, q));
            const want = answer(() => ask(hourly, world, q));
            // Everything but the metrics' float sums is exact; those add the same values in another order.
            expect(withoutMetricSums(got), JSON.stringify(q)).toEqual(withoutMetricSums(want));
            const a = metricSums(got);
            const b = metricSums(want);
            expect(a.length).toBe(b.length);
            a.forEach((x, i) => expect(Math.abs(x - (b[i] as number))).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(x))));
          }
        } finally {
          db.close();
        }
      }),
      { numRuns: 15 },
    );
  });
});

// ---- random traffic and queries ----

/** Metric values whose sums are exact in any order (multiples of 1/8, small): exact equality is required. */
const dyadic = fc.integer({ min: -64, max: 64 }).map((x) => x / 8);
/** Any decimals: their sums depend on the order of addition, in the last bits. */
const decimal = fc.double({ min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true });

/** The traffic's four days start at 10:17 UTC three days before T0; DAY0 is that day's midnight. */
const BASE = T0 - 3 * DAY + 17 * 60_000;
const DAY0 = BASE - (BASE % DAY);

interface Traffic {
  events: UsageEvent[];
  batchSize: number;
}

/**
 * ms from DAY0 within an hour of the start of its day `min`…`max`: where a range's split into whole days and
 * edge hours cuts, the one-hour edges included.
 */
function nearMidnight(min: number, max: number): fc.Arbitrary<number> {
  return fc.tuple(fc.integer({ min, max }), fc.integer({ min: -HOUR, max: HOUR })).map(([d, ms]) => d * DAY + ms);
}

const RENDER_SHAPE = fc.record({
  // Anywhere in the four days, or near one of their midnights.
  offset: fc.oneof(
    fc.integer({ min: 0, max: 4 * DAY - 1 }),
    nearMidnight(1, 4).map((ms) => Math.min(4 * DAY - 1, Math.max(0, ms + DAY0 - BASE))),
  ),
  beta: fc.boolean(),
  prompt: fc.constantFrom('signature', 'greeting'),
  version: fc.constantFrom('1.0.0', '1.1.0', null),
  arm: fc.constantFrom(null, ['exp-a', 'control'], ['exp-a', 'short'], ['exp-b', 'control']),
  model: fc.constantFrom('openai/gpt-4o', 'anthropic/claude', null),
  error: fc.constantFrom(null, null, null, 'invalid_parameters'),
  latencyMs: fc.double({ min: 0, max: 5000, noNaN: true }),
  inputTokens: fc.option(fc.nat(2000), { nil: null }),
  costUsd: fc.option(
    fc.integer({ min: 0, max: 100_000 }).map((x) => x / 1e6),
    { nil: null },
  ),
  fallback: fc.boolean(),
});

let seq = 0;
function traffic(metricValue: fc.Arbitrary<number>): fc.Arbitrary<Traffic> {
  const outcomeShape = fc.option(
    fc.record({
      delay: fc.integer({ min: 0, max: 3 * HOUR }),
      outputTokens: fc.option(fc.nat(2000), { nil: null }),
      metrics: fc.dictionary(fc.constantFrom('resolved', 'score', 'stars'), metricValue, { maxKeys: 3 }),
    }),
    { nil: null },
  );
  return fc
    .record({
      shapes: fc.array(fc.tuple(RENDER_SHAPE, outcomeShape), { minLength: 20, maxLength: 120 }),
      batchSize: fc.integer({ min: 1, max: 60 }),
    })
    .map(({ shapes, batchSize }) => {
      const events: UsageEvent[] = [];
      for (const [s, o] of shapes) {
        const r: RenderEvent = render({
          id: `d-${++seq}`,
          at: BASE + s.offset,
          name: s.beta ? '@beta/tools' : '@acme/common',
          prompt: s.prompt,
          version: s.version,
          experiment: s.arm?.[0] ?? null,
          variant: s.arm?.[1] ?? null,
          model: s.model,
          error: s.error,
          latencyMs: s.latencyMs,
          inputTokens: s.inputTokens,
          costUsd: s.costUsd,
          fallback: s.fallback,
        });
        events.push(r);
        if (o)
          events.push(
            outcome(r, {
              id: `d-${++seq}`,
              at: Math.min(r.at + o.delay, BASE + 4 * DAY - 1),
              outputTokens: o.outputTokens,
              metrics: o.metrics,
            }),
          );
      }
      return { events, batchSize };
    });
}

/** A fresh usage.db with `t` ingested in batches (acme's events by a viewer, beta's by its admin). */
function ingestAll(world: UsageWorld, t: Traffic): { db: Db; hourly: UsageQueries; daily: UsageQueries } {
  const file = join(world.dir, `daily-${++seq}.db`);
  world.now.ms = BASE + 4 * DAY;
  const usage = world.reopen({ file });
  for (let i = 0; i < t.events.length; i += t.batchSize) {
    const events = t.events.slice(i, i + t.batchSize);
    for (const [caller, name] of [
      [world.as.vi, '@acme/common'],
      [world.as.out, '@beta/tools'],
    ] as const) {
      const mine = events.filter((e) => e.name === name);
      if (mine.length > 0) expect(usage.ingest(caller, batch(mine)).rejected).toEqual([]);
    }
  }
  usage.close();
  return queriesOn(world, file);
}

interface Query {
  filter: UsageFilter;
  by: 'hour' | 'day' | UsageDimension;
  limit: number | undefined;
}

/** A time near the traffic's days: on a day's start, on an hour, anywhere, or close to a midnight. */
const time = fc.oneof(
  fc.integer({ min: -1, max: 5 }).map((d) => DAY0 + d * DAY),
  fc.integer({ min: -24, max: 5 * 24 }).map((h) => DAY0 + h * HOUR),
  fc.integer({ min: -DAY, max: 5 * DAY }).map((ms) => DAY0 + ms),
  nearMidnight(-1, 5).map((t) => DAY0 + t),
  fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: -2, max: 2 })).map(([d, h]) => DAY0 + d * DAY + h * HOUR),
);
/** A filter value, absent three times in four (so most queries still find rows). */
const maybe = <T>(values: T[]): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: fc.constantFrom(...values), weight: 1 });

const query: fc.Arbitrary<Query> = fc
  .record({
    range: fc.tuple(time, time),
    project: maybe(['acme', 'beta', 'p1', '@acme/common']),
    name: maybe(['@acme/common', '@beta/tools']),
    prompt: maybe(['signature', 'greeting']),
    version: maybe(['1.0.0', '1.1.0']),
    experiment: maybe(['exp-a', 'exp-b']),
    variant: maybe(['control', 'short']),
    by: fc.constantFrom<Query['by']>('hour', 'day', 'day', ...USAGE_DIMENSIONS),
    limit: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
  })
  .map(({ range: [a, b], by, limit, ...dims }) => {
    const from = Math.max(0, Math.min(a, b));
    const to = a === b ? from + 1 : Math.max(a, b);
    const filter: UsageFilter = { from, to };
    for (const [k, v] of Object.entries(dims)) if (v !== undefined) Object.assign(filter, { [k]: v });
    return { filter, by, limit };
  });

function ask(q: UsageQueries, world: UsageWorld, { filter, by, limit }: Query): unknown {
  return by === 'hour' || by === 'day'
    ? q.series(world.as.root, filter, by)
    : q.breakdown(world.as.root, filter, by, limit);
}

const figuresOf = (answer: unknown): UsageFigures[] => {
  const a = answer as { points?: UsageFigures[]; groups?: UsageFigures[] };
  return a.points ?? a.groups ?? [];
};

function withoutMetricSums(answer: unknown): unknown {
  const a = structuredClone(answer);
  for (const f of figuresOf(a))
    for (const m of Object.values(f.metrics)) {
      m.sum = 0;
      m.sumSquares = 0;
    }
  return a;
}

const metricSums = (answer: unknown): number[] =>
  figuresOf(answer).flatMap((f) =>
    Object.keys(f.metrics)
      .sort()
      .flatMap((k) => [f.metrics[k]?.sum as number, f.metrics[k]?.sumSquares as number]),
  );
