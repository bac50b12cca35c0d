import type { ExperimentResultsView } from '../../../shared/contract';
import type { Interval } from '../../../shared/experiments';
import { DataTable } from '../usage/ChartFigure';
import { formatInteger, formatMs, formatUsd } from '../usage/format';
import { formatDifference, formatEstimate, targetLabel, verdict } from './draft';

/**
 * Results per variant: exposures, the outcome metric's estimate with its 95% interval (drawn on one scale for all
 * variants, so overlaps are seen at a glance, and written out for screen readers), the difference from the
 * control with its interval and what it says; then each variant's errors, latency, tokens and cost.
 */
export function ExperimentResults({ view }: { view: ExperimentResultsView }) {
  const e = view.record.experiment;
  const kind = e.metric.kind;
  const scale = scaleOf(view.results.variants.map((v) => v.estimate));
  const total = view.results.variants.reduce((n, v) => n + v.exposures, 0);
  return (
    <section className="experiment-results" aria-label="Results per variant">
      <table className="usage-table experiment-table" aria-label={`Results of ${e.name}`}>
        <thead>
          <tr>
            <th scope="col">Variant</th>
            <th scope="col" className="num">
              Exposures
            </th>
            <th scope="col" className="num">
              {e.metric.name} ({kind === 'rate' ? 'rate' : 'mean'}, 95% CI)
            </th>
            <th scope="col" className="num">
              vs control
            </th>
            <th scope="col">Reading</th>
          </tr>
        </thead>
        <tbody>
          {view.results.variants.map((r) => {
            const v = e.variants.find((x) => x.key === r.key);
            return (
              <tr key={r.key} className={r.significant ? 'experiment-significant' : undefined}>
                <th scope="row">
                  {r.key}
                  {e.winner === r.key && (
                    <span className="registry-badge experiment-badge experiment-winner">winner</span>
                  )}
                  {v && <div className="muted experiment-target">{targetLabel(v.target)}</div>}
                </th>
                <td className="num">
                  {formatInteger(r.exposures)}
                  {total > 0 && <div className="muted">{Math.round((r.exposures / total) * 100)}%</div>}
                </td>
                <td className="num">
                  {formatEstimate(kind, r.estimate)}
                  <IntervalBar interval={r.estimate} scale={scale} control={r.control} />
                  <div className="muted">{formatInteger(r.observations)} reported</div>
                </td>
                <td className="num wrap">{r.control ? '—' : formatDifference(kind, r.difference)}</td>
                <td className="wrap">{verdict(r, kind)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3 className="experiment-subhead">Speed and cost per variant</h3>
      <DataTable
        label={`Speed and cost of ${e.name}`}
        columns={['Variant', 'Errors', 'p50', 'p95', 'Input tokens', 'Output tokens', 'Cost', 'Cost / exposure']}
        rows={view.results.variants.map((r) => [
          r.key,
          formatInteger(r.errors),
          formatMs(r.latencyP50Ms),
          formatMs(r.latencyP95Ms),
          formatInteger(r.inputTokens),
          formatInteger(r.outputTokens),
          formatUsd(r.costUsd),
          r.costPerExposureUsd === null ? '—' : formatUsd(r.costPerExposureUsd),
        ])}
      />
      {view.results.warnings.length > 0 && (
        <ul className="experiment-warnings" aria-label="Warnings about these figures">
          {view.results.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {view.unassigned > 0 && (
        <p className="muted">
          {formatInteger(view.unassigned)} renders of this prompt in the same hours were not part of this experiment
          (applications without it in their lock file, or another experiment): they are left out.
        </p>
      )}
      <p className="muted experiment-caveat">
        {kind === 'rate'
          ? "Rates with Wilson score intervals; differences with Newcombe's interval."
          : "Means with Student's t intervals; differences with Welch's interval."}{' '}
        Figures count renders and reported outcomes, not distinct units, and each variant is compared with the control
        at 95% without correction for several variants: decide the sample size before looking, and read "no clear
        difference yet" as exactly that.
      </p>
    </section>
  );
}

interface Scale {
  low: number;
  high: number;
}

/** One scale for every variant's interval, padded a little; rates also include 0 when they are near it. */
function scaleOf(intervals: readonly (Interval | null)[]): Scale | null {
  const known = intervals.filter((i): i is Interval => i !== null);
  if (known.length === 0) return null;
  const low = Math.min(...known.map((i) => i.low));
  const high = Math.max(...known.map((i) => i.high));
  const pad = (high - low) * 0.08 || Math.abs(high) * 0.1 || 1;
  return { low: low - pad, high: high + pad };
}

function IntervalBar({
  interval,
  scale,
  control,
}: {
  interval: Interval | null;
  scale: Scale | null;
  control: boolean;
}) {
  if (!interval || !scale) return <span className="muted">—</span>;
  const at = (v: number) => `${(((v - scale.low) / (scale.high - scale.low)) * 100).toFixed(2)}%`;
  const left = at(interval.low);
  const width = `${(((interval.high - interval.low) / (scale.high - scale.low)) * 100).toFixed(2)}%`;
  return (
    <span className={`interval-bar${control ? ' interval-control' : ''}`} aria-hidden="true">
      <span className="interval-range" style={{ left, width }} />
      <span className="interval-point" style={{ left: at(interval.value) }} />
    </span>
  );
}
