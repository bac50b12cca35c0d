import { describe, expect, it } from 'vitest';
import type { ReviewDetail, ReviewSummary } from '../../shared/registry/api';
import type { ReviewComment } from '../../shared/registry/types';
import { commentNotice, parseSeen, reviewChanges } from './notifier';
import type { SeenReviews } from './notifier';

const summary = (id: string, state: ReviewSummary['state'], comments = 0): ReviewSummary => ({
  id,
  projectId: 'p1',
  setId: 's1',
  name: '@acme/support',
  version: '1.1.0',
  baseVersion: '1.0.0',
  authorName: 'grace',
  state,
  createdAt: '2026-01-05T09:00:00.000Z',
  updatedAt: '2026-01-05T09:00:00.000Z',
  comments,
});

const seenWith = (reviews: SeenReviews['reviews']): SeenReviews => ({ server: 'http://s', account: 'grace', reviews });

describe('reviewChanges', () => {
  it('the first look of all only records, even decided requests', () => {
    const c = reviewChanges(null, 'http://s', 'grace', [summary('r1', 'approved', 2)]);
    expect(c.decided).toEqual([]);
    expect(c.commented).toEqual([]);
    expect(c.next).toEqual(seenWith({ r1: { state: 'approved', comments: 2 } }));
  });

  it('a decision is told once: the next look with the memory it left says nothing', () => {
    const first = reviewChanges(seenWith({ r1: { state: 'open', comments: 0 } }), 'http://s', 'grace', [
      summary('r1', 'approved'),
    ]);
    expect(first.decided.map((r) => r.id)).toEqual(['r1']);
    const again = reviewChanges(first.next, 'http://s', 'grace', [summary('r1', 'approved')]);
    expect(again.decided).toEqual([]);
  });

  it('rejected and changes requested are news; going back to open is not', () => {
    const seen = seenWith({
      a: { state: 'open', comments: 0 },
      b: { state: 'open', comments: 0 },
      c: { state: 'changes_requested', comments: 0 },
    });
    const c = reviewChanges(seen, 'http://s', 'grace', [
      summary('a', 'rejected'),
      summary('b', 'changes_requested'),
      summary('c', 'open'),
    ]);
    expect(c.decided.map((r) => `${r.id}:${r.state}`)).toEqual(['a:rejected', 'b:changes_requested']);
  });

  it('a request first seen already decided (decided between two looks) is news once the memory exists', () => {
    const c = reviewChanges(seenWith({}), 'http://s', 'grace', [summary('r2', 'approved'), summary('r3', 'open')]);
    expect(c.decided.map((r) => r.id)).toEqual(['r2']);
  });

  it('more comments than seen are reported with the count seen', () => {
    const c = reviewChanges(seenWith({ r1: { state: 'open', comments: 1 } }), 'http://s', 'grace', [
      summary('r1', 'open', 3),
    ]);
    expect(c.commented).toEqual([{ review: summary('r1', 'open', 3), seen: 1 }]);
  });

  it('another server or account starts a fresh memory silently', () => {
    const seen = seenWith({ r1: { state: 'open', comments: 0 } });
    expect(reviewChanges(seen, 'http://other', 'grace', [summary('r1', 'approved')]).decided).toEqual([]);
    expect(reviewChanges(seen, 'http://s', 'ada', [summary('r1', 'approved')]).decided).toEqual([]);
  });
});

describe('commentNotice', () => {
  const comment = (authorName: string, i: number): ReviewComment => ({
    id: `c${i}`,
    reviewId: 'r1',
    authorId: authorName,
    authorName,
    body: 'x',
    createdAt: '2026-01-05T09:00:00.000Z',
    anchor: null,
  });
  const detail = (comments: ReviewComment[]): ReviewDetail =>
    ({ review: { comments }, content: '{}', baseContent: null, canDecide: false }) as unknown as ReviewDetail;

  it('counts only the new comments of others', () => {
    const d = detail([comment('ada', 1), comment('grace', 2), comment('ada', 3), comment('bob', 4)]);
    expect(commentNotice(summary('r1', 'open', 4), 1, d, 'grace')).toMatchObject({
      kind: 'review-comment',
      count: 2,
      by: ['ada', 'bob'],
    });
  });

  it("the author's own comments are not news", () => {
    expect(
      commentNotice(summary('r1', 'open', 2), 1, detail([comment('ada', 1), comment('grace', 2)]), 'grace'),
    ).toBeNull();
  });
});

describe('parseSeen', () => {
  it('reads what was stored and refuses anything else', () => {
    expect(parseSeen(seenWith({}))).toEqual(seenWith({}));
    expect(parseSeen(null)).toBeNull();
    expect(parseSeen({ server: 1 })).toBeNull();
    expect(parseSeen({ server: 's', account: 'a' })).toBeNull();
  });
});
