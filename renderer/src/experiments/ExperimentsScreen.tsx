import { useMemo, useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import type { ExperimentRecord, SetExperiments } from '../../../shared/contract';
import { useCommands } from '../commands/registry';
import { relativeTime } from '../format/time';
import { LoadState, Page } from '../layout/Page';
import { notify } from '../notices/notices';
import { useRegistryQuery } from '../registry/useRegistryQuery';
import { shares, targetLabel, draftOf, newDraft } from './draft';
import type { ExperimentDraft } from './draft';
import { ExperimentDialog } from './ExperimentDialog';
import { ExperimentResults } from './ExperimentResults';
import { StopDialog } from './StopDialog';
import { useSetContext } from '../versions/useSetContext';
import '../registry/registry.css';
import './experiments.css';

export const experimentsHref = (setId: string, id?: string) =>
  `/sets/${setId}/experiments${id ? `?id=${encodeURIComponent(id)}` : ''}`;

/**
 * A set's A/B tests (`/sets/:setId/experiments?id=`): every experiment of its package (running first), the one
 * picked with its definition and its results per variant, and the actions a writer has: a new experiment, the
 * next revision of a running one, stopping it with a winner. Definitions and results live on the team's server,
 * so this screen needs sync and a published version; it says so otherwise.
 */
export function ExperimentsScreen({ setId }: { setId: string }) {
  const [, navigate] = useLocation();
  const selected = new URLSearchParams(useSearch()).get('id');
  const ctx = useSetContext(setId);
  const list = useRegistryQuery('experiments:list', { setId }, { pollMs: 30_000 });
  const state = list.data;
  const [dialog, setDialog] = useState<ExperimentDraft | null>(null);
  const [stopping, setStopping] = useState<ExperimentRecord | null>(null);
  const records = useMemo(() => (state?.available ? state.experiments : []), [state]);
  const current = records.find((r) => r.experiment.id === selected) ?? records[0] ?? null;
  const canChange = state?.available === true && state.canWrite && !state.locked;
  const results = useRegistryQuery(
    'experiments:results',
    { name: current?.name ?? '@x/y', id: current?.experiment.id ?? 'x' },
    { enabled: current !== null, pollMs: 60_000 },
  );
  const takenIds = useMemo(() => new Set(records.map((r) => r.experiment.id)), [records]);

  const startNew = (prompt?: string) => {
    if (!state?.available) return;
    const running = new Set(records.filter((r) => r.experiment.status === 'running').map((r) => r.experiment.prompt));
    const free = state.prompts.find((p) => !running.has(`${state.name}/${p}`)) ?? state.prompts[0] ?? '';
    setDialog(
      newDraft(
        prompt ?? free,
        state.prompts,
        state.versions.map((v) => v.version),
        state.latest,
      ),
    );
  };

  useCommands(
    canChange
      ? [
          {
            id: 'experiments.new',
            title: 'New experiment…',
            group: 'Experiments',
            keywords: ['a/b', 'test', 'variant'],
            run: () => startNew(),
          },
        ]
      : [],
    [canChange, state],
  );

  return (
    <Page
      title="Experiments"
      subtitle={state?.available ? state.name : `@${ctx.projectName}/${ctx.setName}`}
      crumbs={ctx.crumbs('Experiments')}
      actions={
        <>
          <button type="button" className="primary" disabled={!canChange} onClick={() => startNew()}>
            New experiment
          </button>
          <Link href={`/sets/${setId}`} className="button">
            Open editor
          </Link>
        </>
      }
    >
      <LoadState loading={list.loading && !state} error={list.error} what="the experiments" />
      {state && !state.available && <Unavailable state={state} setId={setId} />}
      {state?.available && (
        <>
          {state.locked && (
            <p role="note" className="muted">
              The project is locked on the server: experiments do not change until an admin opens it.
            </p>
          )}
          {!state.canWrite && (
            <p role="note" className="muted">
              Viewers see experiments and their results; context engineers and admins define and stop them.
            </p>
          )}
          {records.length === 0 ? (
            <div className="experiments-empty">
              <p>
                No experiment on {state.name} yet. An experiment splits the units of a prompt (users, sessions) between
                variants, another prompt of the set or a published version, and compares an outcome metric the
                application reports.
              </p>
              {canChange && (
                <button type="button" className="primary" onClick={() => startNew()}>
                  Define the first experiment
                </button>
              )}
            </div>
          ) : (
            <div className="experiments-layout">
              <nav aria-label="Experiments" className="experiments-list">
                <ul>
                  {records.map((r) => (
                    <li key={r.experiment.id}>
                      <Link
                        href={experimentsHref(setId, r.experiment.id)}
                        aria-current={r === current ? 'page' : undefined}
                        className={r === current ? 'active' : undefined}
                      >
                        <span className="experiments-list-name">{r.experiment.name}</span>
                        <span className={`registry-badge experiment-badge experiment-status-${r.experiment.status}`}>
                          {r.experiment.status}
                        </span>
                        <span className="muted">
                          {r.experiment.prompt.slice(r.name.length + 1)} · {relativeTime(Date.parse(r.updatedAt))}
                        </span>
                      </Link>
                    </li>
                  ))}
                </ul>
              </nav>
              {current && (
                <article className="experiment-detail" aria-label={`Experiment ${current.experiment.name}`}>
                  <Definition record={current} />
                  <div className="toolbar">
                    <h2>Results</h2>
                    {results.data && (
                      <span className="muted">
                        {hourLabel(results.data.from)} to {hourLabel(results.data.to)} UTC
                      </span>
                    )}
                    <button type="button" onClick={results.reload} disabled={results.loading}>
                      {results.loading ? 'Refreshing…' : 'Refresh'}
                    </button>
                    {canChange && current.experiment.status === 'running' && (
                      <>
                        <button type="button" onClick={() => setDialog(draftOf(current.experiment, current.name))}>
                          Edit…
                        </button>
                        <button type="button" className="danger" onClick={() => setStopping(current)}>
                          Stop with a winner…
                        </button>
                      </>
                    )}
                  </div>
                  <LoadState loading={results.loading && !results.data} error={results.error} what="the results" />
                  {results.data && results.data.record.experiment.id === current.experiment.id && (
                    <ExperimentResults view={results.data} />
                  )}
                </article>
              )}
            </div>
          )}
          <ExperimentDialog
            initial={dialog}
            name={state.name}
            prompts={state.prompts}
            versions={state.versions}
            takenIds={takenIds}
            onClose={() => setDialog(null)}
            onPublished={(record) => {
              setDialog(null);
              notify({
                kind: 'ok',
                title: `Published the experiment "${record.experiment.name}"`,
                message: `Revision ${record.experiment.version}: applications following ${record.name} assign its variants now.`,
              });
              list.reload();
              navigate(experimentsHref(setId, record.experiment.id));
            }}
          />
          <StopDialog
            record={stopping}
            results={
              stopping && results.data?.record.experiment.id === stopping.experiment.id ? results.data : undefined
            }
            onClose={() => setStopping(null)}
            onStopped={(record) => {
              setStopping(null);
              notify({
                kind: 'ok',
                title: `Stopped "${record.experiment.name}"`,
                message: `Every unit now gets ${record.experiment.winner ?? ''}.`,
              });
              list.reload();
              results.reload();
            }}
          />
        </>
      )}
    </Page>
  );
}

function Unavailable({ state, setId }: { state: Extract<SetExperiments, { available: false }>; setId: string }) {
  return (
    <div className="experiments-empty" role="status">
      <p>{state.reason}</p>
      {state.code === 'not_published' ? (
        <Link href={`/sets/${setId}/history`}>Open the history to publish a version</Link>
      ) : state.code === 'registry_unavailable' || state.code === 'sync_no_token' ? (
        <Link href="/settings">Open Settings → Sync</Link>
      ) : null}
    </div>
  );
}

function Definition({ record }: { record: ExperimentRecord }) {
  const e = record.experiment;
  const share = shares(e.variants.map((v) => ({ key: v.key, weight: String(v.weight), kind: 'prompt', target: '' })));
  return (
    <section className="experiment-definition" aria-label="Definition">
      <h2>
        {e.name} <span className={`registry-badge experiment-badge experiment-status-${e.status}`}>{e.status}</span>
        {e.status === 'stopped' && e.winner && (
          <span className="registry-badge experiment-badge experiment-winner">winner: {e.winner}</span>
        )}
      </h2>
      <dl>
        <dt>Prompt</dt>
        <dd>
          <code>{e.prompt}</code>
        </dd>
        <dt>Unit key</dt>
        <dd>
          <code>{e.unit}</code>
        </dd>
        <dt>Outcome</dt>
        <dd>
          <code>{e.metric.name}</code> ({e.metric.kind === 'rate' ? 'rate of 0/1 reports' : 'mean'})
        </dd>
        <dt>Revision</dt>
        <dd>
          {e.version}, by {record.updatedBy} {relativeTime(Date.parse(record.updatedAt))}
          {!record.current && ' (superseded: the metadata carries a later experiment on this prompt)'}
        </dd>
      </dl>
      <ul className="experiment-variant-list" aria-label="Variants">
        {e.variants.map((v, i) => (
          <li key={v.key}>
            <strong>{v.key}</strong>
            {i === 0 && v.key !== 'control' && <span className="muted"> (control)</span>} — {targetLabel(v.target)},{' '}
            {share[i]} of units
          </li>
        ))}
      </ul>
    </section>
  );
}

const HOURS = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});
/** The results' range: whole UTC hours, as the rollups count them ("6 Dec 2026, 05:00"). */
function hourLabel(ms: number): string {
  return HOURS.format(ms);
}
