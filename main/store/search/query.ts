import type { AnvilErrorInfo, Result } from '../../../shared/domain';

/**
 * From what a person typed to an FTS5 MATCH expression. User text never reaches FTS5 syntax raw: each word
 * becomes a quoted string (a `"` inside is doubled), so `"unterminated`, `NEAR(`, `AND`, `*` and `)` are
 * plain words, never operators. Words are ANDed; the last one is a prefix (`"gree"*`) while it is still
 * being typed (no trailing space), so search works as you type. Words with no character the tokenizer keeps
 * (punctuation, emoji) are dropped: in FTS5 an empty phrase matches nothing and would empty the result.
 */

export const MAX_QUERY_CHARS = 1000;
export const MAX_QUERY_WORDS = 32;

/** What a search may be narrowed to; trashed sets and projects are left out unless asked for. */
export interface SearchScope {
  projectId?: string | undefined;
  setId?: string | undefined;
  includeTrashed?: boolean | undefined;
}

/**
 * Scope tokens (set, project, trash: see migration 002) start with this private-use character. It is removed
 * from user words, so a user word can never match a scope token and needs no column filter.
 */
export const SCOPE_MARK = '\uE000';

/** Characters unicode61 (with tokenchars '_') keeps in tokens: letters, numbers, private use, '_'. */
const TOKEN_CHAR = /[\p{L}\p{N}\p{Co}_]/u;
/** Control characters (NUL included) and the scope mark become spaces. */
const STRIP = /[\p{Cc}\uE000]/gu;

/** The MATCH expression for `input` within `scope`, null when there is nothing to search for. */
export function matchExpression(input: string, scope: SearchScope = {}): Result<string | null> {
  if (typeof input !== 'string') return invalid('The search text must be text.');
  if (input.length > MAX_QUERY_CHARS)
    return invalid(
      `The search text is ${input.length} characters long; search for at most ${MAX_QUERY_CHARS} characters.`,
    );
  const words = input
    .replace(STRIP, ' ')
    .split(/\s+/u)
    .filter((w) => TOKEN_CHAR.test(w));
  if (words.length === 0) return { ok: true, value: null };
  if (words.length > MAX_QUERY_WORDS)
    return invalid(`The search has ${words.length} words; use at most ${MAX_QUERY_WORDS} words.`);
  const typing = !/\s$/u.test(input);
  const phrases = words.map((w, i) => {
    const quoted = `"${w.replaceAll('"', '""')}"`;
    // A one-letter prefix would merge the doclists of every word starting with that letter; the prefix
    // indexes cover 2 and 3 letters, so prefixes start there.
    return typing && i === words.length - 1 && [...w].length >= 2 ? `${quoted}*` : quoted;
  });
  let expr = `(${phrases.join(' ')})`;
  if (scope.setId !== undefined) expr = `${expr} AND "${SCOPE_MARK}s${hex(scope.setId)}"`;
  if (scope.projectId !== undefined) expr = `${expr} AND "${SCOPE_MARK}p${hex(scope.projectId)}"`;
  if (!scope.includeTrashed) expr = `(${expr}) NOT "${SCOPE_MARK}trashed"`;
  return { ok: true, value: expr };
}

/** The same encoding as the `prompt_search` view's hex(): ids may hold '-' and capitals, hex is one token. */
function hex(id: string): string {
  return Buffer.from(id, 'utf8').toString('hex');
}

function invalid(message: string): { ok: false; error: AnvilErrorInfo } {
  return { ok: false, error: { code: 'invalid_query', message } };
}
