import * as Dialog from '@radix-ui/react-dialog';
import { useEffect, useState } from 'react';
import type { ExperimentRecord, ExperimentResultsView } from '../../../shared/contract';
import { useApi } from '../api';
import '../components/dialog.css';
import { formatEstimate, targetLabel, verdict } from './draft';

/**
 * Stop an experiment with its winner: published like any change (the metadata's definition becomes stopped with a
 * winner), after which every unit gets the winning variant, in live applications at once and in locked ones at
 * their next pull. The results beside each choice are the ones on screen.
 */
export function StopDialog(props: {
  record: ExperimentRecord | null;
  results: ExperimentResultsView | undefined;
  onClose(): void;
  onStopped(record: ExperimentRecord): void;
}) {
  const api = useApi();
  const e = props.record?.experiment;
  const best = bestVariant(props.results);
  const [winner, setWinner] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setWinner(best ?? e?.variants[0]?.key ?? '');
    setError(null);
    setBusy(false);
  }, [props.record, best, e]);

  if (!props.record || !e) return <Dialog.Root open={false} />;
  const record = props.record;
  const stop = async () => {
    setBusy(true);
    setError(null);
    try {
      props.onStopped(await api.invoke('experiments:stop', { name: record.name, id: e.id, winner }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog.Root open onOpenChange={(open) => !open && props.onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog stop-dialog" aria-describedby="stop-dialog-body">
          <Dialog.Title className="dialog-title">Stop "{e.name}"</Dialog.Title>
          <div id="stop-dialog-body">
            <p>
              Pick the winner. Stopping publishes the experiment again as stopped: every unit then gets the winner (live
              applications at once, locked ones at their next <code>anvil pull</code>).
            </p>
            <fieldset className="stop-winner">
              <legend>Winner</legend>
              {e.variants.map((v) => {
                const r = props.results?.results.variants.find((x) => x.key === v.key);
                return (
                  <label key={v.key}>
                    <input
                      type="radio"
                      name="winner"
                      value={v.key}
                      checked={winner === v.key}
                      onChange={() => setWinner(v.key)}
                    />{' '}
                    <strong>{v.key}</strong> <span className="muted">({targetLabel(v.target)})</span>
                    {r && (
                      <span className="muted">
                        {' '}
                        — {formatEstimate(e.metric.kind, r.estimate)}, {verdict(r, e.metric.kind)}
                      </span>
                    )}
                  </label>
                );
              })}
            </fieldset>
            {error && (
              <p role="alert" className="field-error">
                {error}
              </p>
            )}
          </div>
          <div className="dialog-actions">
            <Dialog.Close asChild>
              <button type="button">Cancel</button>
            </Dialog.Close>
            <button type="button" className="primary" disabled={busy || !winner} onClick={() => void stop()}>
              {busy ? 'Stopping…' : `Stop with ${winner || '…'} as the winner`}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** The variant that beats the control clearly by the most, if any does; else null (the control stays preselected). */
function bestVariant(view: ExperimentResultsView | undefined): string | null {
  const winners = (view?.results.variants ?? []).filter((v) => v.significant && (v.difference?.low ?? 0) > 0);
  winners.sort((a, b) => (b.difference?.value ?? 0) - (a.difference?.value ?? 0));
  return winners[0]?.key ?? null;
}
