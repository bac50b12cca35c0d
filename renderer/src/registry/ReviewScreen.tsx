import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'wouter';
import type { SetComparison } from '../../../shared/compare';
import type { DecisionResult } from '../../../shared/contract';
import type { ReviewRequest } from '../../../shared/registry/types';
import { useApi } from '../api';
import { useCommands } from '../commands/registry';
import { useQuery } from '../data/useQuery';
import { relativeTime } from '../format/time';
import { LoadState, Page } from '../layout/Page';
import { notify, notifyError } from '../notices/notices';
import { ComparisonBody } from '../versions/CompareScreen';
import { compareInBackground } from '../versions/compare-client';
import { useSideBySide } from '../versions/layout-preference';
import type { DiffRegistry } from '../versions/PromptComparisonView';
import { emptyLike, parseContent, REVIEW_STATE_LABEL } from './format';
import { ProblemList } from './PublishDialog';
import type { CommentTarget } from './ReviewComments';
import { ReviewComments } from './ReviewComments';
import { REVIEWS_HREF } from './ReviewQueueScreen';
import { useRegistryQuery } from './useRegistryQuery';
import '../versions/versions.css';
import './registry.css';

/**
 * One review request (`/reviews/:id`): what it would publish and who asked, the changelog, the override reason
 * when the author excused a wrong bump (highlighted: it is what a reviewer must weigh), the comparison with the
 * previous published version (the versions screens' comparison, computed in their worker, Monaco diffs), the
 * comments (on the request or on a line of a diff), and, for those who may decide, Approve / Request changes /
 * Reject with a note.
 */
export function ReviewScreen({ id }: { id: string }) {
  const detail = useRegistryQuery('registry:review', { id }, { pollMs: 15_000 });
  const d = detail.data;
  const review = d?.review;
  const [sideBySide] = useSideBySide();

  // The frozen contents are immutable strings: parsed and compared once per pair.
  const contentJson = d?.content ?? null;
  const baseJson = d?.baseContent ?? null;
  const [result, setResult] = useState<{ key: string; comparison: SetComparison | null; error: string | null }>();
  const key = `${baseJson ?? ''}\u0000${contentJson ?? ''}`;
  const content = useMemo(() => parseContent(contentJson), [contentJson]);
  useEffect(() => {
    if (!content) return;
    const base = parseContent(baseJson) ?? emptyLike(content);
    let live = true;
    compareInBackground(base, content).then(
      (comparison) => live && setResult({ key, comparison, error: null }),
      (err: unknown) =>
        live && setResult({ key, comparison: null, error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      live = false;
    };
  }, [content, baseJson, key]);
  const comparison = result?.key === key ? result.comparison : null;

  // The changelog: the server's copy when it sends one, else this studio's copy of the team version.
  const local = useQuery(
    'versions:get',
    { setId: review?.setId ?? '', version: review?.version ?? '' },
    { enabled: Boolean(review) && d?.changelog === undefined, live: false },
  );
  const changelog = d?.changelog ?? local.data?.changelog;

  const [decided, setDecided] = useState<DecisionResult | null>(null);
  const [target, setTarget] = useState<CommentTarget>({ prompt: '', side: 'after', line: 1 });
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const registry: DiffRegistry = useMemo(
    () => ({
      sideBySide,
      fromLabel: review?.baseVersion ?? 'nothing published',
      toLabel: review?.version ?? '',
      register: () => {},
      focused: () => {},
      counted: () => {},
      lineClicked: (prompt, side, line) => {
        setTarget({ prompt, side, line });
        bodyRef.current?.focus();
      },
    }),
    [sideBySide, review?.baseVersion, review?.version],
  );
  const showPrompt = (name: string) => {
    const p = comparison?.prompts.find((x) => x.name === name);
    if (p) document.getElementById(`compare-prompt-${p.promptId}`)?.scrollIntoView({ block: 'start' });
  };
  const prompts = useMemo(() => (comparison?.prompts ?? []).map((p) => p.name), [comparison]);

  useCommands(
    [
      {
        id: 'review.comment',
        title: 'Comment on this review request',
        group: 'Reviews',
        run: () => bodyRef.current?.focus(),
      },
    ],
    [],
  );

  const title = review ? `Review ${review.name} ${review.version}` : 'Review';
  return (
    <Page
      title={title}
      subtitle={review ? <StateBadge review={review} /> : undefined}
      crumbs={[{ label: 'Reviews', href: REVIEWS_HREF }, { label: review ? `${review.name} ${review.version}` : '…' }]}
      actions={
        <Link href={REVIEWS_HREF} className="button">
          Review queue
        </Link>
      }
    >
      <LoadState loading={detail.loading} error={detail.error} what="the review request" />
      {review && d && (
        <>
          <section className="panel review-summary" aria-label="Summary">
            <dl>
              <dt>Publishes</dt>
              <dd>
                <code>
                  {review.name}@{review.version}
                </code>
              </dd>
              <dt>Compared with</dt>
              <dd>{review.baseVersion ? <code>{review.baseVersion}</code> : 'nothing (first publish)'}</dd>
              <dt>Requested by</dt>
              <dd>
                {review.authorName},{' '}
                <time dateTime={review.createdAt} title={review.createdAt}>
                  {relativeTime(Date.parse(review.createdAt))}
                </time>
              </dd>
              <dt>State</dt>
              <dd>
                <StateBadge review={review} />
                {review.decidedBy && (
                  <span className="muted">
                    {' '}
                    by {review.decidedBy}
                    {review.decidedAt ? `, ${relativeTime(Date.parse(review.decidedAt))}` : ''}
                  </span>
                )}
              </dd>
              {review.decisionNote && (
                <>
                  <dt>Decision note</dt>
                  <dd>{review.decisionNote}</dd>
                </>
              )}
            </dl>
            <h2>Changelog</h2>
            {changelog ? (
              <p className="review-changelog">{changelog}</p>
            ) : (
              <p className="muted">{local.loading ? 'Loading…' : 'No changelog.'}</p>
            )}
            {review.override && (
              <p className="review-override" role="note" aria-label="Override reason">
                <strong>Override</strong> — the author published a breaking change under a minor or patch number on
                purpose: {review.override}
              </p>
            )}
            {review.notes.length > 0 && (
              <>
                <h2>What the publish checks noted</h2>
                <ProblemList problems={review.notes} label="Publish check notes" />
              </>
            )}
          </section>

          <section className="review-comparison" aria-label="Comparison">
            <h2>Changes {review.baseVersion ? `since ${review.baseVersion}` : '(everything is new: first publish)'}</h2>
            {!content ? (
              <p role="alert" className="load-error">
                The requested version&apos;s content cannot be read.
              </p>
            ) : result?.key === key && result.error ? (
              <p role="alert" className="load-error">
                Could not compare: {result.error}
              </p>
            ) : comparison ? (
              <ComparisonBody comparison={comparison} registry={registry} />
            ) : (
              <p role="status" className="muted load-status">
                <span className="spinner" aria-hidden="true" /> Comparing…
              </p>
            )}
          </section>

          <ReviewComments
            reviewId={review.id}
            comments={review.comments}
            prompts={prompts}
            target={target}
            onTarget={setTarget}
            bodyRef={bodyRef}
            onShowPrompt={showPrompt}
            onAdded={detail.reload}
          />

          {decided && <DecisionOutcome result={decided} />}
          {d.canDecide && (review.state === 'open' || review.state === 'changes_requested') && (
            <DecisionPanel
              reviewId={review.id}
              onDecided={(r) => {
                setDecided(r);
                detail.reload();
              }}
            />
          )}
          {!d.canDecide && (review.state === 'open' || review.state === 'changes_requested') && (
            <p className="muted">Project admins decide on this request (not its author).</p>
          )}
        </>
      )}
    </Page>
  );
}

function StateBadge({ review }: { review: ReviewRequest }) {
  return <span className={`review-state state-${review.state}`}>{REVIEW_STATE_LABEL[review.state]}</span>;
}

/** What a decision made here came to: the approval's publish result (integrity, latest) stays on the screen. */
function DecisionOutcome({ result }: { result: DecisionResult }) {
  const p = result.published;
  return (
    <section className="panel publish-outcome ok" role="status" aria-label="Decision result">
      <p>
        <strong>{REVIEW_STATE_LABEL[result.review.state]}</strong>
        {p?.status === 'published' ? (
          <>
            {' '}
            — published {p.name} {p.version}
            {p.latest ? ', now latest' : ', latest did not move'}. Integrity{' '}
            <code className="integrity">{p.integrity}</code>
          </>
        ) : result.review.state === 'rejected' ? (
          ' — nothing was published.'
        ) : (
          ' — the author is told.'
        )}
      </p>
    </section>
  );
}

function DecisionPanel({ reviewId, onDecided }: { reviewId: string; onDecided(result: DecisionResult): void }) {
  const api = useApi();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const decide = async (decision: 'approve' | 'reject' | 'request_changes') => {
    setBusy(decision);
    setError(null);
    try {
      const r = await api.invoke('registry:decide', { id: reviewId, decision, ...(note.trim() ? { note } : {}) });
      const p = r.published;
      notify({
        kind: 'ok',
        title: `Review ${REVIEW_STATE_LABEL[r.review.state].toLowerCase()}`,
        message:
          p?.status === 'published'
            ? `${p.name} ${p.version} is published${p.latest ? ' and is now latest' : ''}.`
            : `${r.review.name} ${r.review.version}: ${REVIEW_STATE_LABEL[r.review.state].toLowerCase()}.`,
      });
      onDecided(r);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      notifyError(err, 'The decision was not recorded');
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="panel review-decision" aria-label="Decision">
      <h2>Decision</h2>
      <label htmlFor="review-decision-note">Note to the author (optional)</label>
      <textarea id="review-decision-note" rows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="danger" disabled={busy !== null} onClick={() => void decide('reject')}>
          {busy === 'reject' ? 'Rejecting…' : 'Reject'}
        </button>
        <button type="button" disabled={busy !== null} onClick={() => void decide('request_changes')}>
          {busy === 'request_changes' ? 'Requesting…' : 'Request changes'}
        </button>
        <button type="button" className="primary" disabled={busy !== null} onClick={() => void decide('approve')}>
          {busy === 'approve' ? 'Approving…' : 'Approve and publish'}
        </button>
      </div>
    </section>
  );
}
