import { describe, expect, it } from 'vitest';
import type { PackageMetadata, PublishedVersion } from '../../../shared/registry/types';
import {
  anchorLabel,
  emptyLike,
  parseContent,
  problemWhere,
  publishIntent,
  publishedBadges,
  registryNoticeText,
} from './format';

const version = (v: string, deprecated: string | null = null): PublishedVersion => ({
  version: v,
  integrity: 'sha512-x',
  size: 1,
  publishedAt: '2026-01-05T09:00:00.000Z',
  publishedBy: 'ada',
  author: 'ada',
  changelog: '',
  changeClass: 'minor',
  override: null,
  dependencies: {},
  prompts: [],
  deprecated,
});

describe('registry words', () => {
  it('says what publishing will do in each edit mode', () => {
    expect(publishIntent('open', '@acme/support', '1.1.0')).toContain('published now');
    expect(publishIntent('review', '@acme/support', '1.1.0')).toContain('review request');
    expect(publishIntent('locked', '@acme/support', '1.1.0')).toContain('locked');
  });

  it('names where a problem is: prompt, line and column, or nothing for the whole set', () => {
    expect(problemWhere({ prompt: 'greeting', line: 2, column: 5 })).toBe('greeting, line 2, column 5');
    expect(problemWhere({ prompt: 'greeting' })).toBe('greeting');
    expect(problemWhere({})).toBeNull();
  });

  it('labels a line comment', () => {
    expect(anchorLabel({ prompt: 'greeting', side: 'after', line: 3 })).toBe('greeting, after, line 3');
    expect(anchorLabel(null)).toBeNull();
  });

  it('badges a published version with its tags (latest first) and its deprecation', () => {
    const pkg = {
      name: '@acme/support',
      distTags: { beta: '1.0.0', latest: '1.0.0', next: '2.0.0-rc.1' },
      versions: { '1.0.0': version('1.0.0', 'use 2'), '2.0.0-rc.1': version('2.0.0-rc.1') },
    } as unknown as PackageMetadata;
    expect(publishedBadges(pkg, '1.0.0')).toEqual({ published: true, tags: ['latest', 'beta'], deprecated: 'use 2' });
    expect(publishedBadges(pkg, '3.0.0')).toEqual({ published: false, tags: [], deprecated: null });
    expect(publishedBadges(null, '1.0.0').published).toBe(false);
  });

  it('reads frozen content and makes the empty side of a first publish', () => {
    const content = {
      id: 's',
      projectId: 'p',
      name: 'support',
      description: 'd',
      dependencies: { '@a/b': '^1' },
      prompts: [],
    };
    expect(parseContent(JSON.stringify(content))).toEqual(content);
    expect(parseContent('not json')).toBeNull();
    expect(parseContent('{"a":1}')).toBeNull();
    expect(emptyLike({ ...content, prompts: [{} as never] })).toEqual({
      ...content,
      description: '',
      dependencies: {},
      prompts: [],
    });
  });

  it("words the author's notices", () => {
    const base = { reviewId: 'r', name: '@acme/support', version: '1.1.0' };
    expect(
      registryNoticeText({ ...base, kind: 'review-decided', state: 'approved', decidedBy: 'ada', note: null }),
    ).toEqual({
      kind: 'ok',
      title: 'Review approved',
      message: '@acme/support 1.1.0 was approved by ada and published.',
    });
    expect(
      registryNoticeText({ ...base, kind: 'review-decided', state: 'rejected', decidedBy: 'ada', note: 'no' }).message,
    ).toContain('nothing was published');
    expect(registryNoticeText({ ...base, kind: 'review-comment', count: 2, by: ['ada'] }).title).toBe(
      'New comments on your review request',
    );
  });
});
