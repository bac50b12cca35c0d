/**
 * What a template may use. Everything else is refused at parse time (`unknown_tag` / `unknown_filter`),
 * so a prompt behaves the same in the studio, the SDK and every future liquidjs upgrade. The editor reads
 * these lists for completion.
 */

/** Tags a template may use (closing and branch words like `endif`, `else`, `when` come with their tag). */
export const ALLOWED_TAGS = [
  'if',
  'unless',
  'case',
  'for',
  'tablerow',
  'break',
  'continue',
  'assign',
  'capture',
  'increment',
  'decrement',
  'cycle',
  'echo',
  'liquid',
  'comment',
  '#',
  'raw',
  'render',
] as const;
export type AllowedTag = (typeof ALLOWED_TAGS)[number];

/**
 * Filters a template may use. Left out on purpose: `include`-like access to files or the environment (none
 * exist in liquidjs, but any added later stays out), the `*_exp` filters (they parse a string as Liquid,
 * and that string may come from a parameter value), `sample` (output must be deterministic), `inspect`,
 * `sha256`/`hmac_sha256` (differ between Node and browsers).
 */
export const ALLOWED_FILTERS = [
  // strings
  'append',
  'prepend',
  'capitalize',
  'downcase',
  'upcase',
  'lstrip',
  'rstrip',
  'strip',
  'strip_newlines',
  'strip_html',
  'squish',
  'normalize_whitespace',
  'newline_to_br',
  'remove',
  'remove_first',
  'remove_last',
  'replace',
  'replace_first',
  'replace_last',
  'split',
  'truncate',
  'truncatewords',
  'number_of_words',
  'slugify',
  'escape',
  'escape_once',
  'xml_escape',
  'url_encode',
  'url_decode',
  'cgi_escape',
  'uri_escape',
  'base64_encode',
  'base64_decode',
  // math
  'abs',
  'at_least',
  'at_most',
  'ceil',
  'floor',
  'round',
  'plus',
  'minus',
  'times',
  'divided_by',
  'modulo',
  'to_integer',
  // arrays
  'join',
  'first',
  'last',
  'reverse',
  'sort',
  'sort_natural',
  'size',
  'map',
  'sum',
  'compact',
  'concat',
  'push',
  'unshift',
  'pop',
  'shift',
  'slice',
  'where',
  'reject',
  'group_by',
  'has',
  'find',
  'find_index',
  'uniq',
  'array_to_sentence_string',
  // dates (format widths are bounded, see safe-filters.ts)
  'date',
  'date_to_xmlschema',
  'date_to_rfc822',
  'date_to_string',
  'date_to_long_string',
  // misc
  'default',
  'json',
  'jsonify',
  'raw',
] as const;
export type AllowedFilter = (typeof ALLOWED_FILTERS)[number];

/** Filters whose input and arguments are numbers: a variable used with one is hinted as a number. */
export const ARITHMETIC_FILTERS: ReadonlySet<string> = new Set([
  'plus',
  'minus',
  'times',
  'divided_by',
  'modulo',
  'abs',
  'ceil',
  'floor',
  'round',
  'at_least',
  'at_most',
]);

/** Keys never read from parameter values nor accepted as parameter names: they reach JavaScript internals. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
