/**
 * The palette's fuzzy finder: a small subsequence scorer, fast enough to rank 10,000 entries on every
 * keystroke (no allocation per character, one pass per candidate). Higher is better; null means no match.
 *
 * Order of preference: the query as a whole substring (at the start, then at a word start, then anywhere),
 * then a subsequence whose letters hit word starts ("ssp" → "support-system-prompt") or run consecutively.
 */
const BOUNDARY = /[\s/_.\-@:]/;

function isBoundary(text: string, i: number): boolean {
  if (i === 0) return true;
  const prev = text[i - 1] ?? '';
  return BOUNDARY.test(prev);
}

/** `query` and `text` lower-cased by the caller (the palette lower-cases each candidate once). */
export function fuzzyScore(query: string, text: string): number | null {
  if (query === '') return 0;
  if (query.length > text.length) return null;
  const at = text.indexOf(query);
  if (at >= 0) {
    const place = at === 0 ? 60 : isBoundary(text, at) ? 40 : 10;
    return 200 + place + query.length * 4 - Math.min(40, text.length - query.length) * 0.5;
  }
  let score = 0;
  let ti = 0;
  let prev = -2;
  for (let qi = 0; qi < query.length; qi++) {
    const ch = query[qi] ?? '';
    let found = text.indexOf(ch, ti);
    if (found < 0) return null;
    if (found !== prev + 1 && !isBoundary(text, found)) {
      // A later occurrence at a word start reads better than an earlier one mid-word.
      let j = text.indexOf(ch, found + 1);
      while (j >= 0 && !isBoundary(text, j)) j = text.indexOf(ch, j + 1);
      if (j >= 0) found = j;
    }
    if (found === prev + 1) score += 6;
    else if (isBoundary(text, found)) score += 8;
    else score += 1;
    if (prev >= 0 && found !== prev + 1) score -= Math.min(8, (found - prev - 1) * 0.3);
    prev = found;
    ti = found + 1;
  }
  return score - Math.min(40, text.length - query.length) * 0.2;
}

export interface Candidate {
  /** Lower-cased primary text (a name or a command title). */
  name: string;
  /** Lower-cased context: path, group, keywords. */
  extra: string;
}

/**
 * Score of a whole query against a candidate: every space-separated word must match the name or the
 * context; matches in the name count more.
 */
export function scoreCandidate(query: string, c: Candidate): number | null {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 0;
  let total = 0;
  for (const w of words) {
    const inName = fuzzyScore(w, c.name);
    const inExtra = fuzzyScore(w, c.extra);
    if (inName === null && inExtra === null) return null;
    total += Math.max(inName === null ? -Infinity : inName * 1.5, inExtra === null ? -Infinity : inExtra);
  }
  return total;
}

/** The best `limit` items by score (ties keep input order), without sorting everything. */
export function topMatches<T>(items: readonly T[], score: (item: T) => number | null, limit: number): T[] {
  const best: { item: T; score: number; i: number }[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as T;
    const s = score(item);
    if (s === null) continue;
    if (best.length === limit) {
      const last = best[best.length - 1];
      if (last && s <= last.score) continue;
      best.pop();
    }
    let k = best.length;
    while (k > 0 && (best[k - 1]?.score ?? 0) < s) k--;
    best.splice(k, 0, { item, score: s, i });
  }
  return best.map((b) => b.item);
}
