import { useCallback, useMemo } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import type { UsageScopeProject } from '../../../shared/contract';
import type { UsageBreakdown, UsageDimension, UsageSeries } from '../../../shared/usage/types';
import type { QueryState } from '../data/useQuery';
import { useQuery } from '../data/useQuery';
import { LoadState, Page } from '../layout/Page';
import { SYNC_SETTINGS_HREF } from '../sync/SyncIndicator';
import { ChartFigure, DataTable } from './ChartFigure';
import { errorRateOptions, latencyOptions, rendersOptions, tokensAndCostOptions } from './charts';
import { formatCount, formatInteger, formatMs, formatPercent, formatUsd } from './format';
import type { AnalyticsState, BreakdownRow, RangePreset, TimeRange } from './shape';
import {
  RANGE_PRESETS,
  TABLE_DIMENSIONS,
  analyticsHref,
  barSummary,
  breakdownRows,
  bucketLabel,
  customRange,
  fillSeries,
  overallLatency,
  parseAnalyticsSearch,
  presetRange,
  timeColumns,
  timeSummaries,
  totals,
} from './shape';
import './usage.css';

/**
 * The analytics dashboard (`/analytics`): what the team's applications rendered, as the SDK reported it to the
 * sync server — renders over time, latency p50/p95, error rate, tokens and cost per version and per model, and a
 * breakdown table — for one project, optionally one set, version or prompt, over a time range. The filters live
 * in the address, so a view can be linked to (the editor's per-prompt line links here). Queries run when the
 * filters change or on Refresh, never on workspace edits: each is a round trip to the server.
 */
export function AnalyticsScreen() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const state = useMemo(() => parseAnalyticsSearch(search), [search]);
  const update = useCallback(
    (patch: Partial<AnalyticsState>) => navigate(analyticsHref({ ...state, ...patch }), { replace: true }),
    [navigate, state],
  );
  const scope = useQuery('usage:scope', {}, { live: false });
  const available = scope.data?.available === true ? scope.data : null;
  const projects = available?.projects ?? [];
  const project = projects.find((p) => p.name === state.project) ?? projects[0];
  const pkg = project?.packages.find((p) => p.name === state.name);

  const range: TimeRange | { error: string } =
    state.range === 'custom' ? customRange(state.from ?? '', state.to ?? '') : presetRange(state.range, Date.now());
  const rangeError = 'error' in range ? range.error : null;
  const filter =
    project && !('error' in range)
      ? {
          project: project.name,
          ...(pkg ? { name: pkg.name } : {}),
          ...(pkg && state.version ? { version: state.version } : {}),
          ...(state.prompt ? { prompt: state.prompt } : {}),
          from: range.from,
          to: range.to,
        }
      : null;
  const enabled = filter !== null;
  const opts = { live: false, enabled, keepPrevious: true };
  const args = filter ?? { from: 0, to: 1 };
  const series = useQuery('usage:series', { ...args, bucket: 'error' in range ? 'hour' : range.bucket }, opts);
  const byName = useQuery('usage:breakdown', { ...args, by: 'name' }, opts);
  const byVersion = useQuery('usage:breakdown', { ...args, by: 'version' }, opts);
  const byModel = useQuery('usage:breakdown', { ...args, by: 'model' }, opts);
  const shared = ['name', 'version', 'model'].includes(state.by);
  const byTable = useQuery('usage:breakdown', { ...args, by: state.by }, { ...opts, enabled: enabled && !shared });
  const table =
    state.by === 'name' ? byName : state.by === 'version' ? byVersion : state.by === 'model' ? byModel : byTable;
  const queries = [series, byName, byVersion, byModel, ...(shared ? [] : [byTable])];
  const refresh = () => {
    scope.reload();
    for (const q of queries) q.reload();
  };
  const failed = queries.find((q) => q.error)?.error ?? null;
  const loading = queries.some((q) => q.loading);

  return (
    <Page
      title="Analytics"
      subtitle="Renders, latency, tokens and cost, as applications report them through the SDK"
      crumbs={[{ label: 'Analytics' }]}
      actions={
        <button type="button" onClick={refresh}>
          Refresh
        </button>
      }
    >
      {scope.data?.available === false ? (
        <Unavailable code={scope.data.code} reason={scope.data.reason} />
      ) : (
        <LoadState loading={scope.loading} error={scope.error} what="the projects on the sync server" />
      )}
      {available && projects.length === 0 && (
        <div className="empty" role="status">
          <p>This account has no projects on {available.server} yet.</p>
          <p>
            Switch sync on for a project (its page, Sync), publish a version of one of its sets, and applications that
            render it report their usage here.
          </p>
        </div>
      )}
      {available && project && (
        <>
          <Filters state={state} projects={projects} project={project} update={update} rangeError={rangeError} />
          {failed ? (
            <p role="alert" className="load-error">
              Could not load the figures: {failed.message}
            </p>
          ) : (
            <LoadState loading={loading && !series.data} error={null} what="the figures" />
          )}
          {series.data && filter && !('error' in range) && (
            <Figures
              range={range}
              series={series}
              byName={byName}
              byVersion={byVersion}
              byModel={byModel}
              table={table}
              by={state.by}
              onBy={(by) => update({ by })}
              busy={loading}
              hasPackages={project.packages.length > 0}
            />
          )}
        </>
      )}
    </Page>
  );
}

function Unavailable({ code, reason }: { code: string; reason: string }) {
  const settings = code === 'usage_unavailable' || code === 'sync_no_token' || code === 'sync_unauthorized';
  return (
    <div className="empty usage-empty" role="status" aria-label="Analytics unavailable">
      <p>{reason}</p>
      {settings ? (
        <Link href={SYNC_SETTINGS_HREF}>Open the sync settings</Link>
      ) : (
        <p className="muted">Check that the sync server is running, then press Refresh.</p>
      )}
    </div>
  );
}

function Filters(props: {
  state: AnalyticsState;
  projects: UsageScopeProject[];
  project: UsageScopeProject;
  update(patch: Partial<AnalyticsState>): void;
  rangeError: string | null;
}) {
  const { state, project, update } = props;
  const pkg = project.packages.find((p) => p.name === state.name);
  const today = new Date().toISOString().slice(0, 10);
  return (
    <form className="usage-filters" aria-label="Analytics filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        <span>Project</span>
        <select
          value={project.name}
          onChange={(e) =>
            update({ project: e.currentTarget.value, name: undefined, version: undefined, prompt: undefined })
          }
        >
          {props.projects.map((p) => (
            <option key={p.id} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Set</span>
        <select
          value={pkg?.name ?? ''}
          onChange={(e) => update({ name: e.currentTarget.value || undefined, version: undefined, prompt: undefined })}
        >
          <option value="">All sets</option>
          {project.packages.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Version</span>
        <select
          value={pkg && state.version ? state.version : ''}
          disabled={!pkg}
          title={pkg ? undefined : 'Choose a set first'}
          onChange={(e) => update({ version: e.currentTarget.value || undefined })}
        >
          <option value="">All versions</option>
          {(pkg?.versions ?? []).map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Time range</span>
        <select
          value={state.range}
          onChange={(e) => {
            const range = e.currentTarget.value as RangePreset;
            const weekAgo = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
            update(range === 'custom' ? { range, from: state.from ?? weekAgo, to: state.to ?? today } : { range });
          }}
        >
          {RANGE_PRESETS.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      {state.range === 'custom' && (
        <>
          <label>
            <span>From (UTC)</span>
            <input
              type="date"
              value={state.from ?? ''}
              max={today}
              onChange={(e) => update({ from: e.currentTarget.value })}
            />
          </label>
          <label>
            <span>To (UTC)</span>
            <input
              type="date"
              value={state.to ?? ''}
              max={today}
              onChange={(e) => update({ to: e.currentTarget.value })}
            />
          </label>
        </>
      )}
      {state.prompt && (
        <span className="usage-chip">
          Prompt <strong>{state.prompt}</strong>
          <button
            type="button"
            className="icon-button"
            aria-label={`Remove the prompt filter ${state.prompt}`}
            onClick={() => update({ prompt: undefined })}
          >
            ×
          </button>
        </span>
      )}
      {props.rangeError && (
        <p role="alert" className="load-error usage-range-error">
          {props.rangeError}
        </p>
      )}
    </form>
  );
}

function Figures(props: {
  range: TimeRange;
  series: QueryState<UsageSeries>;
  byName: QueryState<UsageBreakdown>;
  byVersion: QueryState<UsageBreakdown>;
  byModel: QueryState<UsageBreakdown>;
  table: QueryState<UsageBreakdown>;
  by: UsageDimension;
  onBy(by: UsageDimension): void;
  busy: boolean;
  hasPackages: boolean;
}) {
  const { range } = props;
  const bucket = props.series.data?.bucket ?? range.bucket;
  const points = useMemo(
    () => (props.series.data ? fillSeries(props.series.data, range) : []),
    // The range's numbers, not its object: it is computed afresh at each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [props.series.data, range.from, range.to, range.bucket],
  );
  const t = useMemo(() => totals(points), [points]);
  const columns = useMemo(() => timeColumns(points), [points]);
  const summaries = useMemo(() => timeSummaries(points, bucket), [points, bucket]);
  const latency = overallLatency(props.byName.data);
  const versions = useMemo(() => breakdownRows(props.byVersion.data), [props.byVersion.data]);
  const models = useMemo(() => breakdownRows(props.byModel.data), [props.byModel.data]);
  const tableRows = useMemo(() => breakdownRows(props.table.data), [props.table.data]);
  const rendersData = useMemo(
    () => [columns.xs, columns.renders, columns.errors] as [number[], ...(number | null)[][]],
    [columns],
  );
  const latencyData = useMemo(
    () => [columns.xs, columns.p50, columns.p95] as [number[], ...(number | null)[][]],
    [columns],
  );
  const errorData = useMemo(() => [columns.xs, columns.errorRate] as [number[], ...(number | null)[][]], [columns]);
  const per = bucket === 'hour' ? 'Hour' : 'Day';
  const when = (at: number) => bucketLabel(at, bucket);
  const busyPoints = points.filter((p) => p.renders > 0);

  if (t.renders === 0)
    return (
      <div className="empty usage-empty" role="status" aria-label="No usage yet">
        <p>
          <strong>No renders were reported for this selection in this range.</strong>
        </p>
        {props.hasPackages ? (
          <p>
            Applications report usage when they render prompts with the Anvil SDK (<code>createAnvil</code> with this
            server as its registry): each render is recorded off the render path and sent in batches to{' '}
            <code>/api/usage/events</code>. Recording is on unless the application passes <code>usage: false</code>. Try
            a longer time range, or another set.
          </p>
        ) : (
          <p>
            Nothing of this project is published yet: publish a version of a set (its history, Publish…), then
            applications that render it with the Anvil SDK report their usage here.
          </p>
        )}
      </div>
    );

  return (
    <div className="usage-figures" aria-busy={props.busy}>
      <section className="usage-tiles" aria-label="Totals">
        <Tile
          label="Renders"
          value={formatCount(t.renders)}
          detail={`${formatInteger(t.renders)} exactly, ${formatInteger(t.fallbacks)} from a fallback`}
        />
        <Tile
          label="Error rate"
          value={formatPercent(t.errorRate)}
          detail={`${formatInteger(t.errors)} ${t.errors === 1 ? 'error' : 'errors'}`}
        />
        <Tile
          label="Latency p50 / p95"
          value={`${latency.p50} / ${latency.p95}`}
          detail={latency.exact ? 'over the range' : 'spread across sets'}
        />
        <Tile
          label="Tokens"
          value={formatCount(t.inputTokens + t.outputTokens)}
          detail={`${formatCount(t.inputTokens)} in, ${formatCount(t.outputTokens)} out`}
        />
        <Tile label="Cost" value={formatUsd(t.costUsd)} detail="estimated, input and output" />
      </section>
      <div className="usage-charts">
        <ChartFigure
          title={`Renders per ${per.toLowerCase()}`}
          summary={summaries.renders}
          options={rendersOptions}
          data={rendersData}
          table={{
            columns: [per, 'Renders', 'Errors'],
            rows: busyPoints.map((p) => [when(p.at), formatInteger(p.renders), formatInteger(p.errors)]),
          }}
        />
        <ChartFigure
          title="Latency p50 and p95"
          summary={summaries.latency}
          options={latencyOptions}
          data={latencyData}
          table={{
            columns: [per, 'p50', 'p95'],
            rows: busyPoints.map((p) => [when(p.at), formatMs(p.latencyP50Ms), formatMs(p.latencyP95Ms)]),
          }}
        />
        <ChartFigure
          title="Error rate"
          summary={summaries.errors}
          options={errorRateOptions}
          data={errorData}
          table={{
            columns: [per, 'Error rate', 'Errors', 'Renders'],
            rows: busyPoints.map((p) => [
              when(p.at),
              formatPercent(p.errors / p.renders),
              formatInteger(p.errors),
              formatInteger(p.renders),
            ]),
          }}
        />
        <CategoryChart title="Tokens and cost per version" by="version" rows={versions} />
        <CategoryChart title="Tokens and cost per model" by="model" rows={models} />
      </div>
      <Breakdown rows={tableRows} by={props.by} onBy={props.onBy} loading={props.table.loading} />
    </div>
  );
}

function Tile({ label, value, detail }: { label: string; value: string; detail: string }) {
  return (
    <div className="usage-tile" role="group" aria-label={label}>
      <div className="usage-tile-label">{label}</div>
      <div className="usage-tile-value">{value}</div>
      <div className="usage-tile-detail muted">{detail}</div>
    </div>
  );
}

function CategoryChart({ title, by, rows }: { title: string; by: string; rows: BreakdownRow[] }) {
  const top = useMemo(() => rows.slice(0, 12), [rows]);
  const options = useMemo(
    () =>
      tokensAndCostOptions(
        top.map((r) => r.label),
        by === 'version' ? 'Version' : 'Model',
      ),
    [top, by],
  );
  const data = useMemo(
    () => [top.map((_, i) => i), top.map((r) => r.tokens), top.map((r) => r.costUsd)] as [number[], ...number[][]],
    [top],
  );
  return (
    <ChartFigure
      title={title}
      summary={barSummary(rows, by)}
      options={options}
      data={data}
      table={{
        columns: [by === 'version' ? 'Version' : 'Model', 'Input tokens', 'Output tokens', 'Cost'],
        rows: rows.map((r) => [
          r.label,
          formatInteger(r.inputTokens),
          formatInteger(r.outputTokens),
          formatUsd(r.costUsd),
        ]),
      }}
    />
  );
}

function Breakdown(props: {
  rows: BreakdownRow[];
  by: UsageDimension;
  onBy(by: UsageDimension): void;
  loading: boolean;
}) {
  const label = TABLE_DIMENSIONS.find((d) => d.value === props.by)?.label ?? props.by;
  return (
    <section className="usage-breakdown" aria-labelledby="usage-breakdown-title">
      <div className="toolbar">
        <h2 id="usage-breakdown-title">Breakdown</h2>
        <label htmlFor="usage-by">by</label>
        <select id="usage-by" value={props.by} onChange={(e) => props.onBy(e.currentTarget.value as UsageDimension)}>
          {TABLE_DIMENSIONS.map((d) => (
            <option key={d.value} value={d.value}>
              {d.label}
            </option>
          ))}
        </select>
        {props.loading && (
          <span className="muted" role="status">
            Loading…
          </span>
        )}
      </div>
      <DataTable
        label={`Usage by ${label.toLowerCase()}`}
        columns={[label, 'Renders', 'Error rate', 'p50', 'p95', 'Input tokens', 'Output tokens', 'Cost']}
        rows={props.rows.map((r) => [
          r.label,
          formatInteger(r.renders),
          formatPercent(r.errorRate),
          formatMs(r.latencyP50Ms),
          formatMs(r.latencyP95Ms),
          formatInteger(r.inputTokens),
          formatInteger(r.outputTokens),
          formatUsd(r.costUsd),
        ])}
      />
      {props.rows.length === 0 && !props.loading && <p className="muted">Nothing to break down in this range.</p>}
    </section>
  );
}
