// Usage analytics on the server (issue 8): ingestion throughput and the dashboard's queries.
//
// Server: `usage-server-child.ts` in a child process (createSyncServer with real accounts, registry and
// usage.db; see there how the dashboard's 10,000,000 events' worth of rollups are seeded).
//
// Rows:
//   1. ingestion: µs per event over HTTP, POST /api/usage/events in batches of 500 (renders, one in four with its
//      outcome and metrics; fresh ids each round), 4 requests in flight, vs a raw SQLite insert of the same rows
//      into the same events table (same pragmas: WAL, synchronous=FULL), one transaction per batch of 500, in
//      this process. Rounds interleaved (ours, raw) × 5 of 40 batches (20,000 events), medians. No target on
//      the ratio (the issue bounds the absolute rate).
//   2. the same as an absolute µs per event, target 100 (= the issue's ≥ 10,000 events/s).
//   3. events/s over HTTP (absolute, higher is better, so no target in this table's lower-is-better form).
//   4.–6. the dashboard: GET series (by hour, 30 days up to the current hour) + GET breakdown (by version) over
//      HTTP, one after the other: p50 ms of 15 runs after 3 warm-ups; each alone too. Baseline: the same GROUP BY
//      over the same hourly rollup rows as raw SQL in this process (better-sqlite3 on the server's usage.db,
//      read-only), summing the counters only: what ours adds is merging every row's latency histogram for
//      p50/p95, the outcome metrics' sums, JSON and HTTP. The series reads hourly rows; the breakdown reads the
//      whole UTC days inside the range (29, or 30 at midnight) from the daily rollups, the edge hours from the
//      hourly ones.
//   7.–9. the same for what the studio's 30-day view asks (`renderer/src/usage/shape.ts` presetRange '30d'):
//      series by day + breakdown by version over the 30 whole UTC days up to the end of today, which ours reads
//      from the daily rollups alone. Baseline: the naive reading, raw SQL sums over the hourly rows of those days
//      (grouped by `hour - hour % day` for the series), as rows 4.–6. Both must count the same renders.
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UsageBatchResult, UsageEvent } from '../shared/usage/types';
import { USAGE_PATHS } from '../shared/usage/types';
import { DAY_MS } from '../sync-server/usage/rollup';
import { openUsageDb } from '../sync-server/usage/schema';
import type { BenchRow } from './harness';
import { median, row } from './harness';
import type { Ready } from './usage-server-child';

const BENCH = 'usage-server';
const CHILD = fileURLToPath(new URL('./usage-server-child.ts', import.meta.url));
const BATCH = 500;
const BATCHES_PER_ROUND = 40;
const ROUNDS = 5;
const IN_FLIGHT = 4;
const QUERY_RUNS = 15;
/** The events the child's rollups hold over the 30 days up to the current hour (its DASHBOARD_EVENTS). */
const DASHBOARD_EVENTS = 10_000_000;

async function startChild(): Promise<{ ready: Ready; close(): Promise<void> }> {
  const proc: ChildProcess = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  const ready = await new Promise<Ready>((resolve, reject) => {
    proc.once('message', (m: Ready) => resolve(m));
    proc.once('exit', (code) => reject(new Error(`usage-server-child exited (${code}) before it was ready`)));
  });
  return {
    ready,
    close: async () => {
      proc.send({ type: 'close' });
      await exited;
    },
  };
}

let seq = 0;
/** A batch as an SDK sends it: renders of a few versions and models, one in four followed by its outcome. */
function makeBatch(): UsageEvent[] {
  const events: UsageEvent[] = [];
  const now = Date.now();
  while (events.length < BATCH) {
    const i = ++seq;
    const id = `bench-r-${process.pid}-${i}`;
    events.push({
      type: 'render',
      id,
      at: now - (i % 1000),
      name: '@acme/common',
      prompt: `prompt-${i % 10}`,
      version: i % 5 === 0 ? '1.1.0' : '1.0.0',
      variant: null,
      experiment: null,
      latencyMs: 0.05 + (i % 97) * 0.013,
      inputTokens: 200 + (i % 300),
      model: i % 3 === 0 ? 'anthropic/claude-sonnet' : 'openai/gpt-4o',
      costUsd: 0.000_6 + (i % 300) * 0.000_002_5,
      error: i % 50 === 0 ? 'invalid_parameters' : null,
      fallback: false,
    });
    if (i % 4 === 0 && events.length < BATCH)
      events.push({
        type: 'outcome',
        id: `bench-o-${process.pid}-${i}`,
        at: now,
        renderId: id,
        name: '@acme/common',
        prompt: `prompt-${i % 10}`,
        version: i % 5 === 0 ? '1.1.0' : '1.0.0',
        variant: null,
        experiment: null,
        outputTokens: 150 + (i % 100),
        modelLatencyMs: 900 + (i % 400),
        costUsd: 0.002,
        metrics: { resolved: i % 8 === 0 ? 0 : 1, score: (i % 10) / 10 },
      });
  }
  return events;
}

/** ms to POST every batch, `IN_FLIGHT` at a time; every event must be accepted. */
async function ingestOver(ready: Ready, bodies: string[]): Promise<number> {
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++] as string;
      const res = await fetch(`${ready.url}${USAGE_PATHS.events}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ready.ingestToken}`, 'content-type': 'application/json' },
        body,
      });
      const result = (await res.json()) as UsageBatchResult;
      if (res.status !== 200 || result.accepted !== BATCH)
        throw new Error(`POST ${USAGE_PATHS.events}: ${res.status} ${JSON.stringify(result).slice(0, 500)}`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return performance.now() - start;
}

/** ms to insert the same rows straight into a usage.db events table, one transaction per batch. */
function rawInsert(file: string, batches: UsageEvent[][]): number {
  const db = openUsageDb(file);
  try {
    const insert = db.prepare(`
      INSERT INTO events (id, type, at, received_at, project_id, account_id, name, prompt, version, variant,
        experiment, model, error, latency_ms, input_tokens, output_tokens, model_latency_ms, cost_usd, fallback,
        render_id, metrics, params)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const store = db.transaction((events: UsageEvent[]) => {
      const now = Date.now();
      for (const e of events) {
        const r = e.type === 'render';
        insert.run(
          e.id,
          e.type,
          e.at,
          now,
          'p1',
          'account',
          e.name,
          e.prompt,
          e.version,
          e.variant,
          e.experiment,
          r ? e.model : null,
          r ? e.error : null,
          r ? e.latencyMs : null,
          r ? e.inputTokens : null,
          r ? null : e.outputTokens,
          r ? null : e.modelLatencyMs,
          e.costUsd,
          r ? (e.fallback ? 1 : 0) : null,
          r ? null : e.renderId,
          r ? null : JSON.stringify(e.metrics),
          null,
        );
      }
    });
    const start = performance.now();
    for (const events of batches) store(events);
    return performance.now() - start;
  } finally {
    db.close();
  }
}

async function ingestion(ready: Ready): Promise<{ ours: number; raw: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-bench-usage-raw-'));
  try {
    const round = () => Array.from({ length: BATCHES_PER_ROUND }, makeBatch);
    // Warm-up: JIT, connections, the server's statements and caches.
    const warm = round();
    await ingestOver(
      ready,
      warm.map((b) => JSON.stringify({ client: 'bench', events: b, dropped: 0 })),
    );
    rawInsert(join(dir, 'warm.db'), warm);
    const ours: number[] = [];
    const raw: number[] = [];
    const events = BATCH * BATCHES_PER_ROUND;
    for (let r = 0; r < ROUNDS; r++) {
      const batches = round();
      const bodies = batches.map((b) => JSON.stringify({ client: 'bench', events: b, dropped: 0 }));
      ours.push((1000 * (await ingestOver(ready, bodies))) / events);
      raw.push((1000 * rawInsert(join(dir, `raw-${r}.db`), batches)) / events);
    }
    process.stderr.write(
      `  ingestion µs/event: ours ${ours.map((x) => x.toFixed(1)).join(', ')}; raw ${raw.map((x) => x.toFixed(1)).join(', ')}\n`,
    );
    return { ours: median(ours), raw: median(raw) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Timings {
  both: number;
  series: number;
  breakdown: number;
}

/** One dashboard view: its range and series bucket, and the renders its rollups hold (checked on every answer). */
interface View {
  from: number;
  to: number;
  bucket: 'hour' | 'day';
  renders: number;
}

/**
 * The dashboard's two queries as plain SQL sums over the hourly rollup rows of the view's range (no percentiles,
 * no metrics, no daily rows, no HTTP).
 */
function rawDashboard(ready: Ready, view: View): Timings {
  const db = new Database(ready.usageFile, { readonly: true });
  try {
    const sums = `sum(renders) AS renders, sum(errors), sum(fallbacks), sum(input_tokens), sum(output_tokens),
      sum(cost_nusd), sum(outcomes)`;
    const where = `project_id = 'p2' AND hour >= ? AND hour < ?`;
    const at = view.bucket === 'hour' ? 'hour' : `hour - hour % ${DAY_MS}`;
    const series = db.prepare<[number, number], { renders: number }>(
      `SELECT ${at} AS at, ${sums} FROM rollups WHERE ${where} GROUP BY 1 ORDER BY 1`,
    );
    const breakdown = db.prepare<[number, number], { renders: number }>(
      `SELECT version, ${sums} FROM rollups WHERE ${where} GROUP BY version ORDER BY renders DESC`,
    );
    const time = (q: typeof series) => {
      const start = performance.now();
      const total = q.all(view.from, view.to).reduce((s, r) => s + r.renders, 0);
      if (total !== view.renders) throw new Error(`raw SQL: ${total} renders, expected ${view.renders}`);
      return performance.now() - start;
    };
    const both: number[] = [];
    const s: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 3 + QUERY_RUNS; i++) {
      const x = time(series);
      const y = time(breakdown);
      if (i < 3) continue;
      s.push(x);
      b.push(y);
      both.push(x + y);
    }
    return { both: median(both), series: median(s), breakdown: median(b) };
  } finally {
    db.close();
  }
}

/** The renders the hourly rollups hold in [from, to): what every answer of a view must add up to. */
function rendersIn(ready: Ready, from: number, to: number): number {
  const db = new Database(ready.usageFile, { readonly: true });
  try {
    return (
      db
        .prepare<[number, number], { n: number }>(
          "SELECT sum(renders) AS n FROM rollups WHERE project_id = 'p2' AND hour >= ? AND hour < ?",
        )
        .get(from, to)?.n ?? 0
    );
  } finally {
    db.close();
  }
}

async function dashboard(ready: Ready, view: View): Promise<Timings> {
  const range = `project=${ready.dashboardProject}&from=${view.from}&to=${view.to}`;
  const get = async (path: string) => {
    const start = performance.now();
    const res = await fetch(`${ready.url}${path}`, { headers: { authorization: `Bearer ${ready.dashboardToken}` } });
    const body = (await res.json()) as { points?: { renders: number }[]; groups?: { renders: number }[] };
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    const total = (body.points ?? body.groups ?? []).reduce((s, p) => s + p.renders, 0);
    if (total !== view.renders) throw new Error(`GET ${path}: ${total} renders, expected ${view.renders}`);
    return performance.now() - start;
  };
  const seriesPath = `${USAGE_PATHS.series}?${range}&bucket=${view.bucket}`;
  const breakdownPath = `${USAGE_PATHS.breakdown}?${range}&by=version`;
  const both: number[] = [];
  const series: number[] = [];
  const breakdown: number[] = [];
  for (let i = 0; i < 3 + QUERY_RUNS; i++) {
    const s = await get(seriesPath);
    const b = await get(breakdownPath);
    if (i < 3) continue;
    series.push(s);
    breakdown.push(b);
    both.push(s + b);
  }
  return { both: median(both), series: median(series), breakdown: median(breakdown) };
}

export default async function usageServerBench(): Promise<BenchRow[]> {
  const child = await startChild();
  try {
    const { ready } = child;
    const ingest = await ingestion(ready);
    const eventsPerSecond = 1e6 / ingest.ours;
    process.stderr.write(`  ingestion: ${Math.round(eventsPerSecond)} events/s over HTTP\n`);
    const hourly: View = { from: ready.from, to: ready.to, bucket: 'hour', renders: DASHBOARD_EVENTS };
    const dash = await dashboard(ready, hourly);
    const raw = rawDashboard(ready, hourly);
    const studio: View = {
      from: ready.dayFrom,
      to: ready.dayTo,
      bucket: 'day',
      renders: rendersIn(ready, ready.dayFrom, ready.dayTo),
    };
    const days = await dashboard(ready, studio);
    const rawDays = rawDashboard(ready, studio);
    const rows = `${ready.rollupRows.toLocaleString('en')} rollup rows`;
    const dayRows = `${ready.dailyRows.toLocaleString('en')} daily rollup rows`;
    const counted = `${studio.renders.toLocaleString('en')} events`;
    return [
      row(
        BENCH,
        `ingestion µs per event, POST batches of ${BATCH} over HTTP (${IN_FLIGHT} in flight), vs raw SQLite insert of the same rows (one transaction per batch)`,
        ingest.ours,
        ingest.raw,
        'µs',
      ),
      row(BENCH, 'ingestion µs per event (absolute; target 100 µs = 10,000 events/s)', ingest.ours, null, 'µs', 100),
      row(BENCH, 'ingestion events/s over HTTP (absolute, higher is better)', eventsPerSecond, null, 'events/s'),
      row(
        BENCH,
        `dashboard: series by hour over 30 days + breakdown by version, 10,000,000 events (${rows}), p50, vs raw SQL sums over the same rows`,
        dash.both,
        raw.both,
        'ms',
      ),
      row(BENCH, 'dashboard: series by hour over 30 days alone, p50, vs raw SQL', dash.series, raw.series, 'ms'),
      row(
        BENCH,
        'dashboard: breakdown by version over 30 days alone, p50, vs raw SQL',
        dash.breakdown,
        raw.breakdown,
        'ms',
      ),
      row(
        BENCH,
        `studio 30-day view: series by day + breakdown by version over 30 whole UTC days, ${counted} (${dayRows}), p50, vs raw SQL sums over the hourly rows`,
        days.both,
        rawDays.both,
        'ms',
      ),
      row(BENCH, 'studio 30-day view: series by day alone, p50, vs raw SQL', days.series, rawDays.series, 'ms'),
      row(
        BENCH,
        'studio 30-day view: breakdown by version alone, p50, vs raw SQL',
        days.breakdown,
        rawDays.breakdown,
        'ms',
      ),
    ];
  } finally {
    await child.close();
  }
}
