import type { RefObject } from 'react';
import { useState } from 'react';
import type { ReviewComment } from '../../../shared/registry/types';
import { useApi } from '../api';
import { relativeTime } from '../format/time';
import { notifyError } from '../notices/notices';
import { anchorLabel } from './format';

/** Where a new comment goes: the whole request (`prompt` empty), or a line of one side of a prompt's diff. */
export interface CommentTarget {
  prompt: string;
  side: 'before' | 'after';
  line: number;
}

/**
 * The conversation of a review request: every comment (those on a line say where, and lead there), and the form
 * to add one, on the request or on a line: pick the prompt, the side and the line, or click a line number in a
 * diff above, which fills them in.
 */
export function ReviewComments(props: {
  reviewId: string;
  comments: ReviewComment[];
  prompts: string[];
  target: CommentTarget;
  onTarget(target: CommentTarget): void;
  bodyRef: RefObject<HTMLTextAreaElement | null>;
  /** Scroll to a prompt's comparison (a comment's anchor). */
  onShowPrompt(prompt: string): void;
  onAdded(): void;
}) {
  const api = useApi();
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { target } = props;

  const submit = async () => {
    if (!body.trim()) {
      setError('Write the comment first.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.invoke('registry:comment', {
        id: props.reviewId,
        body,
        ...(target.prompt ? { anchor: { prompt: target.prompt, side: target.side, line: target.line } } : {}),
      });
      setBody('');
      props.onAdded();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      notifyError(err, 'The comment was not added');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel review-comments" aria-label="Comments">
      <h2>Comments ({props.comments.length})</h2>
      {props.comments.length === 0 ? (
        <p className="muted">No comments yet.</p>
      ) : (
        <ol className="comment-list" aria-label="Comment list">
          {props.comments.map((c) => {
            const where = anchorLabel(c.anchor);
            return (
              <li
                key={c.id}
                className="comment"
                aria-label={`Comment by ${c.authorName}${where ? ` on ${where}` : ''}`}
              >
                <div className="comment-head">
                  <strong>{c.authorName}</strong>
                  <time className="muted" dateTime={c.createdAt} title={c.createdAt}>
                    {relativeTime(Date.parse(c.createdAt))}
                  </time>
                  {where && c.anchor ? (
                    <button
                      type="button"
                      className="link-button comment-anchor"
                      onClick={() => c.anchor && props.onShowPrompt(c.anchor.prompt)}
                      aria-label={`Show ${where}`}
                    >
                      on {where}
                    </button>
                  ) : (
                    <span className="muted">on the request</span>
                  )}
                </div>
                <p className="comment-body">{c.body}</p>
              </li>
            );
          })}
        </ol>
      )}

      <form
        className="comment-form"
        aria-label="New comment"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="comment-target" role="group" aria-label="Where the comment goes">
          <label>
            On
            <select
              aria-label="Comment on"
              value={target.prompt}
              onChange={(e) => props.onTarget({ ...target, prompt: e.currentTarget.value })}
            >
              <option value="">The whole request</option>
              {props.prompts.map((p) => (
                <option key={p} value={p}>
                  Prompt {p}
                </option>
              ))}
            </select>
          </label>
          <label>
            Side
            <select
              aria-label="Side"
              value={target.side}
              disabled={!target.prompt}
              onChange={(e) => props.onTarget({ ...target, side: e.currentTarget.value as 'before' | 'after' })}
            >
              <option value="after">After (this request)</option>
              <option value="before">Before (published)</option>
            </select>
          </label>
          <label>
            Line
            <input
              type="number"
              aria-label="Line"
              min={1}
              value={target.line}
              disabled={!target.prompt}
              onChange={(e) => props.onTarget({ ...target, line: Math.max(1, Number(e.currentTarget.value) || 1) })}
            />
          </label>
          <span className="muted">or click a line number in a diff</span>
        </div>
        <label htmlFor="review-comment-body">Comment</label>
        <textarea
          id="review-comment-body"
          ref={props.bodyRef}
          rows={3}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void submit();
            }
          }}
        />
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add comment'}
          </button>
        </div>
      </form>
    </section>
  );
}
