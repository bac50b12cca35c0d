import type { RegistryNotice } from '../../shared/contract/registry';
import type { ReviewDetail, ReviewSummary } from '../../shared/registry/api';
import type { ReviewState } from '../../shared/registry/types';

/**
 * What this studio last saw of its own review requests, kept in the workspace settings so a change is told once,
 * even across restarts. Tied to a server and an account: another server or token starts a fresh memory, silently
 * (the old requests are not news).
 */
export interface SeenReviews {
  server: string;
  account: string;
  reviews: Record<string, { state: ReviewState; comments: number }>;
}

export const SEEN_REVIEWS_KEY = 'registry.seenReviews';

/** States the author is told about. */
const DECIDED: ReadonlySet<ReviewState> = new Set(['approved', 'rejected', 'changes_requested']);

export interface ReviewChanges {
  decided: ReviewSummary[];
  /** Requests with more comments than last seen, with that count. */
  commented: { review: ReviewSummary; seen: number }[];
  next: SeenReviews;
}

/**
 * Compares the author's requests now with what was seen. A request seen for the first time is news only when it
 * is already decided and the memory is not new (it was decided between two looks); the first look of all, or
 * at another server or account, only records.
 */
export function reviewChanges(
  seen: SeenReviews | null,
  server: string,
  account: string,
  reviews: readonly ReviewSummary[],
): ReviewChanges {
  const fresh = !seen || seen.server !== server || seen.account !== account;
  const known = fresh ? {} : seen.reviews;
  const decided: ReviewSummary[] = [];
  const commented: ReviewChanges['commented'] = [];
  const next: SeenReviews = { server, account, reviews: { ...known } };
  for (const r of reviews) {
    const before = known[r.id];
    next.reviews[r.id] = { state: r.state, comments: r.comments };
    if (fresh) continue;
    if (r.state !== before?.state && DECIDED.has(r.state)) decided.push(r);
    if (before && r.comments > before.comments) commented.push({ review: r, seen: before.comments });
  }
  return { decided, commented, next };
}

/** The decision as a notice, with the reviewer's words when the detail has them. */
export function decidedNotice(r: ReviewSummary, detail: ReviewDetail | null): RegistryNotice {
  return {
    kind: 'review-decided',
    reviewId: r.id,
    name: r.name,
    version: r.version,
    state: r.state,
    decidedBy: detail?.review.decidedBy ?? null,
    note: detail?.review.decisionNote ?? null,
  };
}

/** New comments by others (the author's own are not news); null when there are none. */
export function commentNotice(r: ReviewSummary, seen: number, detail: ReviewDetail, me: string): RegistryNotice | null {
  const fresh = detail.review.comments.slice(seen).filter((c) => c.authorName !== me);
  if (fresh.length === 0) return null;
  return {
    kind: 'review-comment',
    reviewId: r.id,
    name: r.name,
    version: r.version,
    count: fresh.length,
    by: [...new Set(fresh.map((c) => c.authorName))],
  };
}

export function parseSeen(value: unknown): SeenReviews | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Partial<SeenReviews>;
  if (typeof v.server !== 'string' || typeof v.account !== 'string') return null;
  if (typeof v.reviews !== 'object' || v.reviews === null) return null;
  return { server: v.server, account: v.account, reviews: v.reviews };
}
