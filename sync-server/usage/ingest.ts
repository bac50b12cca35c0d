import type { Database as Db } from 'better-sqlite3';
import { AnvilError } from '../../shared/domain';
import type { UsageBatchResult, UsageEvent } from '../../shared/usage/types';
import { USAGE_LIMITS } from '../../shared/usage/types';
import type { ApiCaller } from '../api/backend';
import type { UsageAccess } from './access';
import type { RollupDelta } from './rollup';
import { BatchRollup, HOUR_MS } from './rollup';
import { encodeSparse } from './histogram';
import type { EventProblem } from './validate';
import { checkEvent } from './validate';
import { instrumentIngest } from '../telemetry';

/** How far ahead of the server's clock an event's time may be (clocks of application hosts drift). */
export const MAX_FUTURE_MS = 24 * HOUR_MS;
const MAX_CLIENT = 200;

export interface IngestOptions {
  db: Db;
  access: UsageAccess;
  clock: () => number;
  retentionMs: number;
  log: (line: string) => void;
}

export type Ingest = (caller: ApiCaller, batch: unknown) => UsageBatchResult;

/**
 * `POST /api/usage/events`: every event is checked on its own (shape, time, package, the caller's role on its
 * project) and refused alone with a reason; the accepted ones are inserted raw and added to their hourly and
 * daily rollups in one transaction (group commit), so figures and raw rows never disagree and a crash loses the
 * whole batch or nothing. An id already stored is a duplicate and counts nowhere: re-sending is safe.
 */
export function createIngest(options: IngestOptions): Ingest {
  const { db, access, clock, retentionMs, log } = options;
  const insert = db.prepare(`
    INSERT OR IGNORE INTO events (id, type, at, received_at, project_id, account_id, name, prompt, version, variant,
      experiment, model, error, latency_ms, input_tokens, output_tokens, model_latency_ms, cost_usd, fallback,
      render_id, metrics, params)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const renderModel = db.prepare<[string, string], { model: string | null }>(
    "SELECT model FROM events WHERE id = ? AND project_id = ? AND type = 'render'",
  );
  /** The upsert of one delta into `rollups` (time column `hour`) or `rollups_daily` (`day`). */
  const upsertInto = (table: string, time: string) =>
    db.prepare(`
      INSERT INTO ${table} (project_id, ${time}, name, prompt, version, experiment, variant, model, error, renders,
        errors, fallbacks, latency, input_tokens, output_tokens, cost_nusd, outcomes, metrics)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (project_id, ${time}, name, prompt, version, experiment, variant, model, error) DO UPDATE SET
        renders = renders + excluded.renders,
        errors = errors + excluded.errors,
        fallbacks = fallbacks + excluded.fallbacks,
        latency = hist_merge(latency, excluded.latency),
        input_tokens = input_tokens + excluded.input_tokens,
        output_tokens = output_tokens + excluded.output_tokens,
        cost_nusd = cost_nusd + excluded.cost_nusd,
        outcomes = outcomes + excluded.outcomes,
        metrics = metrics_merge(metrics, excluded.metrics)`);
  const upsertHour = upsertInto('rollups', 'hour');
  const upsertDay = upsertInto('rollups_daily', 'day');
  const addDrops = db.prepare(`
    INSERT INTO drops (hour, account_id, client, dropped) VALUES (?, ?, ?, ?)
    ON CONFLICT (hour, account_id, client) DO UPDATE SET dropped = dropped + excluded.dropped`);

  const store = db.transaction(
    (
      caller: ApiCaller,
      accepted: { projectId: string; event: UsageEvent }[],
      now: number,
      client: string,
      dropped: number,
    ) => {
      const rollup = new BatchRollup();
      let fresh = 0;
      for (const { projectId, event: e } of accepted) {
        const render = e.type === 'render';
        const r = insert.run(
          e.id,
          e.type,
          e.at,
          now,
          projectId,
          caller.accountId,
          e.name,
          e.prompt,
          e.version,
          e.variant,
          e.experiment,
          render ? e.model : null,
          render ? e.error : null,
          render ? e.latencyMs : null,
          render ? e.inputTokens : null,
          render ? null : e.outputTokens,
          render ? null : e.modelLatencyMs,
          e.costUsd,
          render ? (e.fallback ? 1 : 0) : null,
          render ? null : e.renderId,
          render ? null : JSON.stringify(e.metrics),
          render && e.params !== undefined ? JSON.stringify(e.params) : null,
        );
        if (r.changes === 0) continue;
        fresh++;
        // An outcome counts under its render's model (its tokens and cost are that model's), when the render
        // is still stored; else under no model.
        const model = render ? e.model : (renderModel.get(e.renderId, projectId)?.model ?? null);
        rollup.add(projectId, e, model);
      }
      // The same deltas summed per day go to the daily rollups in the same transaction: a daily row is always
      // the sum of its day's hourly rows.
      for (const d of rollup.deltas.values()) upsertHour.run(...rowOf(d));
      for (const d of rollup.daily()) upsertDay.run(...rowOf(d));
      if (dropped > 0) addDrops.run(now - (now % HOUR_MS), caller.accountId, client, dropped);
      return fresh;
    },
  );

  return instrumentIngest((caller: ApiCaller, raw) => {
    const batch = batchOf(raw);
    const now = clock();
    const oldest = now - retentionMs;
    const rejected: UsageBatchResult['rejected'] = [];
    const accepted: { projectId: string; event: UsageEvent }[] = [];
    // Packages are few per batch: each one's project and the caller's right to report are looked up once.
    const packages = new Map<string, { projectId: string } | { problem: EventProblem }>();
    batch.events.forEach((raw, index) => {
      const checked = checkEvent(raw);
      if ('problem' in checked) return rejected.push({ index, ...checked.problem });
      const { event } = checked;
      if (event.at < oldest)
        return rejected.push({
          index,
          code: 'too_old',
          message: `The event is from ${new Date(event.at).toISOString()}, older than this server keeps events (${Math.round(retentionMs / HOUR_MS)} h).`,
        });
      if (event.at > now + MAX_FUTURE_MS)
        return rejected.push({
          index,
          code: 'in_the_future',
          message: `The event's time ${new Date(event.at).toISOString()} is more than a day ahead of the server's clock.`,
        });
      let pkg = packages.get(event.name);
      if (!pkg) {
        pkg = packageFor(access, caller, event.name);
        packages.set(event.name, pkg);
      }
      if ('problem' in pkg) return rejected.push({ index, ...pkg.problem });
      accepted.push({ projectId: pkg.projectId, event });
    });
    const fresh =
      accepted.length > 0 || batch.dropped > 0
        ? store.immediate(caller, accepted, now, batch.client, batch.dropped)
        : 0;
    if (batch.dropped > 0)
      log(`usage: ${caller.name} (${batch.client}) reported ${batch.dropped} event(s) it had to drop`);
    return { accepted: fresh, duplicates: accepted.length - fresh, rejected };
  });
}

function packageFor(
  access: UsageAccess,
  caller: ApiCaller,
  name: string,
): { projectId: string } | { problem: EventProblem } {
  try {
    return { projectId: access.packageProject(caller, name) };
  } catch (err) {
    if (!(err instanceof AnvilError)) throw err;
    return { problem: { code: err.code, message: err.message } };
  }
}

function batchOf(raw: unknown): { client: string; events: unknown[]; dropped: number } {
  const b = raw as Record<string, unknown> | null;
  if (typeof b !== 'object' || b === null || Array.isArray(b) || !Array.isArray(b.events))
    throw new AnvilError({
      code: 'invalid_request',
      message: 'A usage batch is a JSON object { "client": string, "events": [...], "dropped": number }.',
    });
  if (b.events.length > USAGE_LIMITS.maxEventsPerBatch)
    throw new AnvilError({
      code: 'too_large',
      message: `The batch has ${b.events.length} events; at most ${USAGE_LIMITS.maxEventsPerBatch} are accepted at once. Split it.`,
    });
  if (typeof b.client !== 'string' || b.client.length > MAX_CLIENT)
    throw new AnvilError({
      code: 'invalid_request',
      message: `client must be text of at most ${MAX_CLIENT} characters (the SDK's name/version).`,
    });
  const dropped = b.dropped ?? 0;
  if (typeof dropped !== 'number' || !Number.isSafeInteger(dropped) || dropped < 0)
    throw new AnvilError({ code: 'invalid_request', message: 'dropped must be a whole number ≥ 0.' });
  return { client: b.client, events: b.events, dropped };
}

function rowOf(d: RollupDelta): unknown[] {
  const latency = d.latency ? encodeSparse(d.latency) : '';
  return [
    d.projectId,
    d.at,
    d.name,
    d.prompt,
    d.version,
    d.experiment,
    d.variant,
    d.model,
    d.error,
    d.renders,
    d.errors,
    d.fallbacks,
    latency === '' ? null : latency,
    d.inputTokens,
    d.outputTokens,
    d.costNusd,
    d.outcomes,
    d.metrics ? JSON.stringify(d.metrics) : null,
  ];
}
