import { useState } from 'react';
import { Link } from 'wouter';
import type { ReviewState } from '../../../shared/registry/types';
import { relativeTime } from '../format/time';
import { LoadState, Page } from '../layout/Page';
import { SYNC_SETTINGS_HREF } from '../sync/SyncIndicator';
import { REVIEW_STATE_LABEL } from './format';
import { useRegistryQuery } from './useRegistryQuery';
import './registry.css';

export const REVIEWS_HREF = '/reviews';
export const reviewHref = (id: string) => `/reviews/${encodeURIComponent(id)}`;

const FILTERS: { value: ReviewState | 'all'; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'changes_requested', label: 'Changes requested' },
  { value: 'approved', label: 'Approved' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'all', label: 'All' },
];

/**
 * The approval queue (`/reviews`): the review requests this account can see on the team's server, open ones
 * first, with what each would publish, its base, who asked and when, and how many comments it has. Reloaded
 * every 15 s and whenever this studio acts on a review. A plain table: open requests are a handful per team, so
 * virtualising them would only cost keyboard and screen-reader behaviour.
 */
export function ReviewQueueScreen() {
  const [filter, setFilter] = useState<ReviewState | 'all'>('open');
  const reviews = useRegistryQuery('registry:reviews', filter === 'all' ? {} : { state: filter }, { pollMs: 15_000 });
  const list = reviews.data ?? [];
  const unavailable = reviews.error?.code === 'registry_unavailable' || reviews.error?.code === 'sync_no_token';

  return (
    <Page
      title="Review queue"
      subtitle="Requests to publish prompt sets in projects under review"
      crumbs={[{ label: 'Reviews' }]}
    >
      <div className="toolbar">
        <label htmlFor="review-filter">Show</label>
        <select id="review-filter" value={filter} onChange={(e) => setFilter(e.currentTarget.value as typeof filter)}>
          {FILTERS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
        <span className="muted" role="status">
          {reviews.data ? `${list.length} ${list.length === 1 ? 'request' : 'requests'}` : ''}
        </span>
        <span className="toolbar-gap" />
        <button type="button" onClick={reviews.reload}>
          Refresh
        </button>
      </div>
      {unavailable ? (
        <div className="empty" role="status">
          <p>{reviews.error?.message}</p>
          <Link href={SYNC_SETTINGS_HREF}>Open the sync settings</Link>
        </div>
      ) : (
        <LoadState loading={reviews.loading} error={reviews.error} what="the review requests" />
      )}
      {reviews.data && list.length === 0 && (
        <p className="empty">
          {filter === 'open' ? 'No open review requests: nothing waits for a decision.' : 'No review requests here.'}
        </p>
      )}
      {list.length > 0 && (
        <table className="review-table" aria-label="Review requests">
          <thead>
            <tr>
              <th scope="col">Set</th>
              <th scope="col">Version</th>
              <th scope="col">Base</th>
              <th scope="col">Author</th>
              <th scope="col">Opened</th>
              <th scope="col">Comments</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.id} aria-label={`${r.name} ${r.version} by ${r.authorName}`}>
                <td>
                  <Link href={reviewHref(r.id)} aria-label={`Review ${r.name} ${r.version}`}>
                    {r.name}
                  </Link>
                </td>
                <td>
                  <code>{r.version}</code>
                </td>
                <td>{r.baseVersion ? <code>{r.baseVersion}</code> : <span className="muted">first publish</span>}</td>
                <td>{r.authorName}</td>
                <td>
                  <time dateTime={r.createdAt} title={r.createdAt}>
                    {relativeTime(Date.parse(r.createdAt))}
                  </time>
                </td>
                <td>{r.comments}</td>
                <td>
                  <span className={`review-state state-${r.state}`}>{REVIEW_STATE_LABEL[r.state]}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
