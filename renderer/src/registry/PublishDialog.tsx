import * as Dialog from '@radix-ui/react-dialog';
import { useState } from 'react';
import { Link } from 'wouter';
import type { PublishOutcome, SetPublishedState } from '../../../shared/contract';
import type { VersionInfo } from '../../../shared/domain';
import type { PublishProblem } from '../../../shared/registry/types';
import { useApi } from '../api';
import '../components/dialog.css';
import { problemWhere, publishIntent } from './format';
import './registry.css';

export interface PublishDialogProps {
  /** The version to publish; null closes the dialog. */
  version: VersionInfo | null;
  onClose(): void;
  setId: string;
  /** `@project/set` as it will be published. */
  name: string;
  state: SetPublishedState | undefined;
}

/**
 * "Publish…" on a version of the history: says what will happen under the project's edit mode (published now, a
 * review request opened, or nothing because the project is locked), then what did: published (integrity, and
 * whether it became latest), the review request with a link to it, or the refusal with every problem and where.
 */
export function PublishDialog(props: PublishDialogProps) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<PublishOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const v = props.version;
  const state = props.state;
  const mode = state?.available ? state.editMode : null;
  const latest = state?.available ? (state.package?.distTags.latest ?? null) : null;

  const close = () => {
    setOutcome(null);
    setError(null);
    props.onClose();
  };
  const publish = async () => {
    if (!v) return;
    setBusy(true);
    setError(null);
    try {
      setOutcome(await api.invoke('registry:publish', { setId: props.setId, version: v.version }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog.Root open={v !== null} onOpenChange={(open) => !open && close()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog publish-dialog" aria-describedby="publish-dialog-body">
          <Dialog.Title className="dialog-title">
            Publish {props.name} {v?.version ?? ''}
          </Dialog.Title>
          <div id="publish-dialog-body">
            {!outcome && (
              <>
                {state && !state.available ? (
                  <p role="alert" className="field-error">
                    The registry cannot be reached: {state.reason}
                  </p>
                ) : mode ? (
                  <p>{publishIntent(mode, props.name, v?.version ?? '')}</p>
                ) : (
                  <p className="muted">Asking the server about the project…</p>
                )}
                {mode === 'open' && (
                  <p className="muted">
                    {latest
                      ? `latest is ${latest} now; it moves when the new version is higher and not a prerelease.`
                      : 'Nothing is published yet: this version becomes latest.'}
                  </p>
                )}
              </>
            )}
            {outcome && <Outcome outcome={outcome} onNavigate={close} />}
            {error && (
              <p role="alert" className="field-error">
                {error}
              </p>
            )}
          </div>
          <div className="dialog-actions">
            <Dialog.Close asChild>
              <button type="button" autoFocus={outcome !== null}>
                {outcome ? 'Close' : 'Cancel'}
              </button>
            </Dialog.Close>
            {!outcome && (
              <button
                type="button"
                className="primary"
                disabled={busy || mode === null || mode === 'locked'}
                onClick={() => void publish()}
              >
                {busy ? 'Publishing…' : mode === 'review' ? 'Request review' : 'Publish'}
              </button>
            )}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function Outcome({ outcome, onNavigate }: { outcome: PublishOutcome; onNavigate(): void }) {
  if (outcome.status === 'published')
    return (
      <div role="status" aria-label="Publish result" className="publish-outcome ok">
        <p>
          <strong>
            Published {outcome.name} {outcome.version}
          </strong>
          {outcome.latest ? ' — it is now latest.' : ' — latest did not move (a lower version: a backport).'}
        </p>
        <p className="muted">
          Integrity <code className="integrity">{outcome.integrity}</code>
        </p>
      </div>
    );
  if (outcome.status === 'review')
    return (
      <div role="status" aria-label="Publish result" className="publish-outcome">
        <p>
          <strong>Review request opened</strong> for {outcome.review.name} {outcome.review.version}: it is published
          when a project admin approves it. You will be told here.
        </p>
        <Link href={`/reviews/${encodeURIComponent(outcome.review.id)}`} onClick={onNavigate}>
          Open the review request
        </Link>
      </div>
    );
  return (
    <div role="alert" aria-label="Publish result" className="publish-outcome refused">
      <p>
        <strong>Publishing was refused</strong> ({outcome.problems.length}{' '}
        {outcome.problems.length === 1 ? 'problem' : 'problems'}): {outcome.message}
      </p>
      <ProblemList problems={outcome.problems} />
    </div>
  );
}

export function ProblemList({ problems, label = 'Problems' }: { problems: PublishProblem[]; label?: string }) {
  if (problems.length === 0) return null;
  return (
    <ul className="problem-list" aria-label={label}>
      {problems.map((p, i) => {
        const where = problemWhere(p);
        return (
          <li key={`${p.code}:${i}`}>
            {where && <span className="problem-where">{where}: </span>}
            <span>{p.message}</span> <code className="muted">{p.code}</code>
          </li>
        );
      })}
    </ul>
  );
}
