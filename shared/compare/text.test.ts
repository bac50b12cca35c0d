import { describe, expect, it } from 'vitest';
import { compareText, countLines, countWords, limitsOf, minLineEdits } from './text';

const limits = limitsOf();
const lines = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join('\n');

describe('compareText', () => {
  it('is equal for the same text, with no hunks and zero stats', () => {
    expect(compareText('a\nb', 'a\nb', limits)).toEqual({
      before: 'a\nb',
      after: 'a\nb',
      mode: 'equal',
      hunks: [],
      stats: { linesAdded: 0, linesRemoved: 0, wordsAdded: 0, wordsRemoved: 0 },
    });
  });

  it('makes unified hunks with three lines of context and counts changed words only', () => {
    const before = lines(20, (i) => `line ${i} says hello`);
    const after = before.replace('line 10 says hello', 'line 10 says hello there, friend');
    const c = compareText(before, after, limits);
    expect(c.mode).toBe('diff');
    expect(c.hunks).toEqual([
      {
        oldStart: 8,
        oldLines: 7,
        newStart: 8,
        newLines: 7,
        lines: [
          ' line 7 says hello',
          ' line 8 says hello',
          ' line 9 says hello',
          '-line 10 says hello',
          '+line 10 says hello there, friend',
          ' line 11 says hello',
          ' line 12 says hello',
          ' line 13 says hello',
        ],
      },
    ]);
    expect(c.stats).toEqual({ linesAdded: 1, linesRemoved: 1, wordsAdded: 2, wordsRemoved: 0 });
  });

  it('counts words per changed block, two blocks in one hunk counted apart', () => {
    const before = 'one two\nkeep\nthree four';
    const after = 'one 2\nkeep\nthree four five';
    const c = compareText(before, after, limits);
    expect(c.hunks).toHaveLength(1);
    expect(c.stats).toEqual({ linesAdded: 2, linesRemoved: 2, wordsAdded: 2, wordsRemoved: 1 });
  });

  it('shows a text against nothing as one hunk, whatever its size', () => {
    const big = lines(5000, (i) => `row ${i}`);
    const added = compareText('', big, limits);
    expect(added.mode).toBe('diff');
    expect(added.hunks).toHaveLength(1);
    expect(added.hunks[0]).toMatchObject({ oldStart: 1, oldLines: 0, newStart: 1, newLines: 5000 });
    expect(added.stats).toEqual({ linesAdded: 5000, linesRemoved: 0, wordsAdded: 10000, wordsRemoved: 0 });
    const removed = compareText('a b\nc\n', '', limits);
    expect(removed.hunks[0]?.lines).toEqual(['-a b', '-c']);
    expect(removed.stats).toEqual({ linesAdded: 0, linesRemoved: 2, wordsAdded: 0, wordsRemoved: 3 });
  });

  it('drops "no newline at end of file" markers: every hunk line starts with " ", "-" or "+"', () => {
    const c = compareText('a\nb', 'a\nb\n', limits);
    expect(c.mode).toBe('diff');
    for (const h of c.hunks) for (const l of h.lines) expect(l[0]).toMatch(/[ +-]/);
    expect(c.stats).toMatchObject({ linesAdded: 1, linesRemoved: 1, wordsAdded: 0, wordsRemoved: 0 });
  });

  it('diffs two 5,000-line texts with 5% of lines changed fully, with exact stats', () => {
    const before = lines(5000, (i) => `${i} the quick brown fox`);
    const after = lines(5000, (i) => (i % 20 === 3 ? `${i} the slow brown fox jumps` : `${i} the quick brown fox`));
    const c = compareText(before, after, limits);
    expect(c.mode).toBe('diff');
    expect(c.stats).toEqual({ linesAdded: 250, linesRemoved: 250, wordsAdded: 500, wordsRemoved: 250 });
  });

  it('gives up on two unrelated 5,000-line texts: replaced, every line and word counted, quickly', () => {
    const before = lines(5000, (i) => `before ${i} alpha beta`);
    const after = lines(5000, (i) => `after ${i} gamma`);
    const start = performance.now();
    const c = compareText(before, after, limits);
    const ms = performance.now() - start;
    expect(c.mode).toBe('replaced');
    expect(c.hunks).toEqual([]);
    expect(c.stats).toEqual({ linesAdded: 5000, linesRemoved: 5000, wordsAdded: 15000, wordsRemoved: 20000 });
    console.log(`unrelated 5,000-line texts: replaced in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(5000);
  });

  it('meets the reliability bar: two unrelated 3,000-line texts are replaced, not diffed for seconds', () => {
    const start = performance.now();
    const c = compareText(
      lines(3000, (i) => `${i} old`),
      lines(3000, (i) => `${i} new`),
      limits,
    );
    expect(c.mode).toBe('replaced');
    console.log(`unrelated 3,000-line texts: replaced in ${(performance.now() - start).toFixed(0)} ms`);
  });

  it('skips the word diff of a very long changed block: all its words count', () => {
    const long = Array.from({ length: 6000 }, (_, i) => `w${i}`).join(' ');
    const c = compareText(`${long} end`, `${long} fin`, limits);
    expect(c.mode).toBe('diff');
    expect(c.stats).toEqual({ linesAdded: 1, linesRemoved: 1, wordsAdded: 6001, wordsRemoved: 6001 });
    // A short line with the same edit counts only the changed word.
    expect(compareText('a b end', 'a b fin', limits).stats).toMatchObject({ wordsAdded: 1, wordsRemoved: 1 });
  });

  it('gives up on the same 5,000 lines in another order (the costly case: Myers reaches its bound)', () => {
    const ordered = Array.from({ length: 5000 }, (_, i) => `line ${i}`);
    // A fixed permutation: every 7th line moved, in reverse, to the end.
    const moved = ordered.filter((_, i) => i % 7 === 0).reverse();
    const shuffled = [...ordered.filter((_, i) => i % 7 !== 0), ...moved];
    expect(minLineEdits(ordered.join('\n'), shuffled.join('\n'))).toBe(0);
    const start = performance.now();
    const c = compareText(ordered.join('\n'), shuffled.join('\n'), limits);
    const ms = performance.now() - start;
    expect(c.mode).toBe('replaced');
    console.log(`reordered 5,000-line texts: replaced in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(5000);
  });

  it('minLineEdits counts lines without a partner on either side', () => {
    expect(minLineEdits('a\nb\nc', 'a\nb\nc')).toBe(0);
    expect(minLineEdits('a\nb\nb', 'b\nx')).toBe(3);
    expect(minLineEdits('', 'x')).toBe(1);
    // A final newline is no line of its own: one line added here, as diff counts it.
    expect(minLineEdits('a\n', 'a\nb')).toBe(1);
  });

  it('honours a smaller edit-length bound', () => {
    const c = compareText('a\nb\nc\nd', 'w\nx\ny\nz', limitsOf({ maxEditLength: 2 }));
    expect(c.mode).toBe('replaced');
    expect(c.stats).toEqual({ linesAdded: 4, linesRemoved: 4, wordsAdded: 4, wordsRemoved: 4 });
  });
});

describe('counts', () => {
  it.each([
    ['', 0],
    ['a', 1],
    ['a\n', 1],
    ['a\nb', 2],
    ['\n\n', 2],
  ])('countLines(%j) = %i', (text, n) => expect(countLines(text)).toBe(n));

  it('counts words as runs of non-space characters', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('  Hello,  {{ name }}!\n')).toBe(4);
  });
});
