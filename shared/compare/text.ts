import { diffWordsWithSpace, structuredPatch } from 'diff';
import type { CompareOptions, DiffHunk, TextComparison, TextStats } from './types';

/**
 * Default limits. A 5,000-line pair with 5% of its lines changed is ~500 line edits (250 removed, 250 added),
 * so 1,000 diffs it fully with room to spare; past it the two texts are "replaced", which is also what a reader
 * would call them. Unrelated texts are caught before any diff (`minLineEdits`); texts that share their lines in
 * another order still reach Myers, whose cost before giving up grows with the square of the bound (measured on
 * 5,000-line pairs: ~40 ms at 500, ~95 ms at 1,000, ~330 ms at 2,000, ~1.4 s at 4,000), so this bound keeps the
 * worst case short and deterministic; the time budget is only a safety net for slow or busy machines.
 */
export const DEFAULT_MAX_EDIT_LENGTH = 1000;
export const DEFAULT_TIMEOUT_MS = 200;
/**
 * Changed blocks longer than this (removed and added text together) skip the word diff: their words all count as
 * changed. Word-level work on a huge block (a minified JSON line, a pasted document) costs more than it tells.
 */
export const MAX_WORD_DIFF_CHARS = 50_000;
/** Lines of context around each change in a hunk, as git shows by default. */
export const CONTEXT_LINES = 3;

export interface Limits {
  maxEditLength: number;
  timeoutMs: number;
  /** `Date.now()` past which no more diffing starts for this comparison: texts left are shown as replaced. */
  deadline: number;
}

/**
 * The whole comparison's time budget. Each text is bounded on its own, but a set of 1,000 large prompts could
 * still add up to minutes; past this, the remaining texts are "replaced" (counted, not diffed).
 */
export const DEFAULT_TOTAL_TIMEOUT_MS = 3000;

export function limitsOf(options: CompareOptions = {}, now = Date.now()): Limits {
  return {
    maxEditLength: Math.max(1, options.maxEditLength ?? DEFAULT_MAX_EDIT_LENGTH),
    timeoutMs: Math.max(1, options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    deadline: now + Math.max(0, options.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS),
  };
}

/** This call's time budget: the per-text budget, cut to what is left of the comparison's (0 = do not start). */
export function budget(limits: Limits): number {
  return Math.min(limits.timeoutMs, limits.deadline - Date.now());
}

export const noStats = (): TextStats => ({ linesAdded: 0, linesRemoved: 0, wordsAdded: 0, wordsRemoved: 0 });

export function addStats(into: TextStats, more: TextStats): TextStats {
  into.linesAdded += more.linesAdded;
  into.linesRemoved += more.linesRemoved;
  into.wordsAdded += more.wordsAdded;
  into.wordsRemoved += more.wordsRemoved;
  return into;
}

/** Lines as an editor shows them: '' has none, a final newline does not start another. */
export function countLines(text: string): number {
  if (text === '') return 0;
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n - 1 : n;
}

/** A word is a run of non-space characters: simple, and the same on both sides of every count. */
export function countWords(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

/** Word counts of a changed block: a word diff of the removed lines against the added ones, bounded. */
function blockWords(removed: string[], added: string[], limits: Limits): { wordsAdded: number; wordsRemoved: number } {
  const before = removed.join('\n');
  const after = added.join('\n');
  const whole = { wordsAdded: countWords(after), wordsRemoved: countWords(before) };
  if (before === '' || after === '' || before.length + after.length > MAX_WORD_DIFF_CHARS) return whole;
  const timeout = budget(limits);
  if (timeout <= 0) return whole;
  const changes = diffWordsWithSpace(before, after, { maxEditLength: limits.maxEditLength, timeout });
  // Too different to pair words within the limits: every word of the block counts as changed.
  if (!changes) return whole;
  const out = { wordsAdded: 0, wordsRemoved: 0 };
  for (const c of changes) {
    if (c.added) out.wordsAdded += countWords(c.value);
    else if (c.removed) out.wordsRemoved += countWords(c.value);
  }
  return out;
}

/** Line and word counts of the hunks: lines from the line diff, words from the changed blocks only. */
function hunkStats(hunks: DiffHunk[], limits: Limits): TextStats {
  const stats = noStats();
  for (const hunk of hunks) {
    let removed: string[] = [];
    let added: string[] = [];
    const flush = (): void => {
      if (removed.length === 0 && added.length === 0) return;
      const words = blockWords(removed, added, limits);
      stats.wordsAdded += words.wordsAdded;
      stats.wordsRemoved += words.wordsRemoved;
      removed = [];
      added = [];
    };
    for (const line of hunk.lines) {
      if (line.startsWith('-')) {
        // A '-' after '+' lines starts another block (the diff library emits removals first in a block).
        if (added.length > 0) flush();
        removed.push(line.slice(1));
        stats.linesRemoved++;
      } else if (line.startsWith('+')) {
        added.push(line.slice(1));
        stats.linesAdded++;
      } else flush();
    }
    flush();
  }
  return stats;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

/** A text compared with nothing: one hunk of '+' (or '-') lines, numbered as diff numbers them. */
function oneSided(before: string, after: string): TextComparison {
  const removed = splitLines(before);
  const added = splitLines(after);
  const hunk: DiffHunk = {
    oldStart: 1,
    oldLines: removed.length,
    newStart: 1,
    newLines: added.length,
    lines: [...removed.map((l) => `-${l}`), ...added.map((l) => `+${l}`)],
  };
  const stats: TextStats = {
    linesAdded: added.length,
    linesRemoved: removed.length,
    wordsAdded: countWords(after),
    wordsRemoved: countWords(before),
  };
  return { before, after, mode: 'diff', hunks: [hunk], stats };
}

/**
 * A lower bound on the line edits between two texts: every line of one without a partner in the other (as a
 * multiset) must be removed or added. O(n) where Myers' give-up costs the square of the bound, so unrelated texts
 * are known to be "replaced" at once. Lines are compared without their newline, which can only over-count
 * partners (diff keeps the newline in its tokens), so the bound never exceeds the real edit length.
 */
export function minLineEdits(before: string, after: string): number {
  const a = splitLines(before);
  const b = splitLines(after);
  const counts = new Map<string, number>();
  for (const line of a) counts.set(line, (counts.get(line) ?? 0) + 1);
  let common = 0;
  for (const line of b) {
    const n = counts.get(line);
    if (n) {
      common++;
      counts.set(line, n - 1);
    }
  }
  return a.length + b.length - 2 * common;
}

function replaced(before: string, after: string): TextComparison {
  const stats: TextStats = {
    linesAdded: countLines(after),
    linesRemoved: countLines(before),
    wordsAdded: countWords(after),
    wordsRemoved: countWords(before),
  };
  return { before, after, mode: 'replaced', hunks: [], stats };
}

/**
 * Compares two texts line by line. Identical texts are `equal`; texts the line diff cannot pair within the
 * limits (edit length or time) are `replaced`: no hunks, every line and word counted as removed and added, and
 * the UI shows both whole. Hunk lines carry ' ', '-' or '+'; diff's "\ No newline at end of file" markers are
 * dropped (a prompt's final newline is not worth a line of its own), so such a change shows as -line/+line.
 */
export function compareText(before: string, after: string, limits: Limits): TextComparison {
  if (before === after) return { before, after, mode: 'equal', hunks: [], stats: noStats() };
  // All added or all removed: one hunk, whatever the size (the edit-length bound is for pairing lines).
  if (before === '' || after === '') return oneSided(before, after);
  const timeout = budget(limits);
  if (timeout <= 0 || minLineEdits(before, after) > limits.maxEditLength) return replaced(before, after);
  const patch = structuredPatch('a', 'b', before, after, undefined, undefined, {
    context: CONTEXT_LINES,
    maxEditLength: limits.maxEditLength,
    timeout,
  });
  if (!patch) return replaced(before, after);
  const hunks: DiffHunk[] = patch.hunks.map((h) => ({
    oldStart: h.oldStart,
    oldLines: h.oldLines,
    newStart: h.newStart,
    newLines: h.newLines,
    lines: h.lines.filter((l) => !l.startsWith('\\')),
  }));
  return { before, after, mode: 'diff', hunks, stats: hunkStats(hunks, limits) };
}
