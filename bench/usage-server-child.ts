// The server `usage-server.bench.ts` loads, in a child process so the load generator does not share its event
// loop: createSyncServer with real accounts, registry and usage (usage.db, WAL, synchronous=FULL), the real
// clock, rate limits raised out of the way (the bench measures the path, not the limiter).
//
// Before it says ready it seeds the dashboard's data: the hourly rollup rows that 10,000,000 render events
// spread over the last 30 days would leave in project "beta" (`@beta/tools`), 10 prompts × 4 versions × 3 models
// (with an error code on one key in four: 159 keys) = 159 rows per hour, 114,480 rows in all, each with a latency
// histogram over 7 buckets and, on one row in three, outcome metric sums. They are inserted straight into the
// rollups table in one transaction (ingesting 10 million events over HTTP would take the bench minutes and
// measure ingestion again), then the daily rollups are built from them as migration 3 builds them
// (`fillDailyRollups`: each day's hourly rows of a key summed, 159 rows per UTC day); the raw events table stays
// empty, as the queries never read it.
// It sends {type:'ready', …}; {type:'close'} closes and exits.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DAY_MS, HOUR_MS, fillDailyRollups } from '../sync-server/usage/rollup';
import { emptyCounts, encodeSparse } from '../sync-server/usage/histogram';
import { USAGE_FILE } from '../sync-server/usage/schema';
import { startUsageServer, usageWorld } from '../sync-server/usage/testing';

export const DASHBOARD_EVENTS = 10_000_000;
export const DASHBOARD_DAYS = 30;

export interface Ready {
  type: 'ready';
  url: string;
  /** vi (a viewer of acme): reports `@acme/common` usage. */
  ingestToken: string;
  /** out (admin of beta): reads the dashboard. */
  dashboardToken: string;
  dashboardProject: string;
  /** The dashboard's range: the 30 days up to the current hour (exclusive end). */
  from: number;
  to: number;
  /**
   * The studio's 30-day view (`renderer/src/usage/shape.ts` presetRange '30d'): the 30 whole UTC days up to the
   * end of today, by day.
   */
  dayFrom: number;
  dayTo: number;
  rollupRows: number;
  dailyRows: number;
  /** The server's usage.db: the bench reads it directly for the raw-SQL baseline of the dashboard queries. */
  usageFile: string;
}

const PROMPTS = 10;
const VERSIONS = ['1.0.0', '1.1.0', '1.2.0', '2.0.0'];
const MODELS = ['openai/gpt-4o', 'openai/gpt-4o-mini', 'anthropic/claude-sonnet'];
const SPREAD = [0.4, 0.25, 0.15, 0.1, 0.05, 0.03, 0.02];

function seedDashboard(file: string, to: number): { rows: number; dailyRows: number } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const insert = db.prepare(`
    INSERT INTO rollups (project_id, hour, name, prompt, version, experiment, variant, model, error, renders, errors,
      fallbacks, latency, input_tokens, output_tokens, cost_nusd, outcomes, metrics)
    VALUES (?, ?, ?, ?, ?, '', '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const hours = DASHBOARD_DAYS * 24;
  const keys: { prompt: string; version: string; model: string; error: string }[] = [];
  for (let p = 0; p < PROMPTS; p++)
    for (const version of VERSIONS)
      for (const model of MODELS) {
        keys.push({ prompt: `prompt-${p}`, version, model, error: '' });
        if (keys.length % 4 === 0) keys.push({ prompt: `prompt-${p}`, version, model, error: 'invalid_parameters' });
      }
  const rows = hours * keys.length;
  const base = Math.floor(DASHBOARD_EVENTS / rows);
  let extra = DASHBOARD_EVENTS - base * rows;
  let n = 0;
  db.transaction(() => {
    for (let h = 0; h < hours; h++) {
      const hour = to - (hours - h) * HOUR_MS;
      for (const [k, key] of keys.entries()) {
        const renders = base + (extra-- > 0 ? 1 : 0);
        const counts = emptyCounts();
        let left = renders;
        const first = 20 + ((k * 7 + h) % 30);
        SPREAD.forEach((share, i) => {
          const c = i === SPREAD.length - 1 ? left : Math.floor(renders * share);
          counts[first + i] = c;
          left -= c;
        });
        const outcomes = n % 3 === 0 ? Math.floor(renders / 2) : 0;
        insert.run(
          'p2',
          hour,
          '@beta/tools',
          key.prompt,
          key.version,
          key.model,
          key.error,
          renders,
          key.error ? renders : 0,
          renders % 7,
          encodeSparse(counts),
          renders * 350,
          outcomes * 120,
          renders * 1_200 + outcomes * 3_000,
          outcomes,
          outcomes > 0 ? JSON.stringify({ resolved: [outcomes * 0.7, outcomes, outcomes * 0.7] }) : null,
        );
        n++;
      }
    }
  })();
  const dailyRows = db.transaction(() => fillDailyRollups(db))();
  db.close();
  return { rows, dailyRows };
}

const dirs: string[] = [];
const world = await usageWorld(dirs, { clock: Date.now });
const now = Date.now();
const to = now - (now % HOUR_MS) + HOUR_MS;
const dayTo = Math.ceil(now / DAY_MS) * DAY_MS;
const seeded = seedDashboard(join(world.dir, USAGE_FILE), to);
const lots = { perSecond: 1_000_000, burst: 1_000_000 };
const server = await startUsageServer(world, { perToken: lots, perAddress: lots, usagePerToken: lots });

const ready: Ready = {
  type: 'ready',
  url: server.server.httpUrl,
  ingestToken: server.tokens.vi,
  dashboardToken: server.tokens.out,
  dashboardProject: 'beta',
  from: to - DASHBOARD_DAYS * 24 * HOUR_MS,
  to,
  dayFrom: dayTo - DASHBOARD_DAYS * DAY_MS,
  dayTo,
  rollupRows: seeded.rows,
  dailyRows: seeded.dailyRows,
  usageFile: join(world.dir, USAGE_FILE),
};
process.send?.(ready);
process.on('message', (m: { type: string }) => {
  if (m.type !== 'close') return;
  void server.close().then(() => {
    world.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
