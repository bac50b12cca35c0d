import type { SnippetPart } from '../../../shared/contract/results';
export type { SnippetPart };

export const MATCH_START = '\u0002';
export const MATCH_END = '\u0003';

export function snippetParts(snippet: string | null): SnippetPart[] {
  if (!snippet) return [];
  const parts: SnippetPart[] = [];
  let i = 0;
  while (i < snippet.length) {
    const start = snippet.indexOf(MATCH_START, i);
    if (start < 0) {
      parts.push({ text: snippet.slice(i), match: false });
      break;
    }
    if (start > i) parts.push({ text: snippet.slice(i, start), match: false });
    let end = snippet.indexOf(MATCH_END, start + 1);
    if (end < 0) end = snippet.length;
    parts.push({ text: snippet.slice(start + 1, end), match: true });
    i = end + 1;
  }
  return parts;
}
