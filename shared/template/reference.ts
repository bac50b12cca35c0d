import type { AllowedFilter, AllowedTag } from './allow-list';
import { ALLOWED_FILTERS, ALLOWED_TAGS } from './allow-list';

/**
 * A reference of every tag and filter the allow-list permits: what the editor shows on hover and in
 * completion, and what the help screen lists. Keyed by the allow-list's own types, so adding a filter to
 * `allow-list.ts` without describing it here is a compile error (and `reference.test.ts` checks both ways).
 */
export interface ReferenceEntry {
  name: string;
  kind: 'tag' | 'filter';
  /** How it is written, e.g. `{{ text | truncate: length, ellipsis }}`. */
  signature: string;
  /** One line, plain text. */
  description: string;
  /** A short example with what it produces where that helps. */
  example: string;
  /** Palette / help grouping: 'strings', 'math', 'arrays', 'dates', 'misc', 'control flow', … */
  group: string;
}

type Entry = Omit<ReferenceEntry, 'name' | 'kind'>;

const f = (group: string, signature: string, description: string, example: string): Entry => ({
  group,
  signature,
  description,
  example,
});

const FILTERS: Record<AllowedFilter, Entry> = {
  append: f(
    'strings',
    'text | append: suffix',
    'Adds a string to the end.',
    '{{ "file" | append: ".txt" }} → file.txt',
  ),
  prepend: f('strings', 'text | prepend: prefix', 'Adds a string to the start.', '{{ "world" | prepend: "hello " }}'),
  capitalize: f(
    'strings',
    'text | capitalize',
    'Upper-cases the first character.',
    '{{ "title" | capitalize }} → Title',
  ),
  downcase: f('strings', 'text | downcase', 'Lower-cases every character.', '{{ "ABC" | downcase }} → abc'),
  upcase: f('strings', 'text | upcase', 'Upper-cases every character.', '{{ "abc" | upcase }} → ABC'),
  lstrip: f('strings', 'text | lstrip', 'Removes whitespace at the start.', '{{ "  x" | lstrip }} → x'),
  rstrip: f('strings', 'text | rstrip', 'Removes whitespace at the end.', '{{ "x  " | rstrip }} → x'),
  strip: f('strings', 'text | strip', 'Removes whitespace at both ends.', '{{ "  x  " | strip }} → x'),
  strip_newlines: f('strings', 'text | strip_newlines', 'Removes every line break.', '{{ notes | strip_newlines }}'),
  strip_html: f('strings', 'text | strip_html', 'Removes HTML tags.', '{{ "<b>hi</b>" | strip_html }} → hi'),
  squish: f(
    'strings',
    'text | squish',
    'Strips both ends and collapses inner whitespace to one space.',
    '{{ " a   b " | squish }} → a b',
  ),
  normalize_whitespace: f(
    'strings',
    'text | normalize_whitespace',
    'Replaces every run of whitespace with one space.',
    '{{ "a\\n\\nb" | normalize_whitespace }} → a b',
  ),
  newline_to_br: f(
    'strings',
    'text | newline_to_br',
    'Puts <br /> before each line break.',
    '{{ notes | newline_to_br }}',
  ),
  remove: f(
    'strings',
    'text | remove: part',
    'Removes every occurrence of a string.',
    '{{ "a-b-c" | remove: "-" }} → abc',
  ),
  remove_first: f(
    'strings',
    'text | remove_first: part',
    'Removes the first occurrence.',
    '{{ "a-b-c" | remove_first: "-" }} → ab-c',
  ),
  remove_last: f(
    'strings',
    'text | remove_last: part',
    'Removes the last occurrence.',
    '{{ "a-b-c" | remove_last: "-" }} → a-bc',
  ),
  replace: f(
    'strings',
    'text | replace: old, new',
    'Replaces every occurrence.',
    '{{ "a-b" | replace: "-", "+" }} → a+b',
  ),
  replace_first: f(
    'strings',
    'text | replace_first: old, new',
    'Replaces the first occurrence.',
    '{{ "a-b-c" | replace_first: "-", "+" }}',
  ),
  replace_last: f(
    'strings',
    'text | replace_last: old, new',
    'Replaces the last occurrence.',
    '{{ "a-b-c" | replace_last: "-", "+" }}',
  ),
  split: f(
    'strings',
    'text | split: separator',
    'Splits a string into an array.',
    '{{ "a,b" | split: "," | join: " / " }} → a / b',
  ),
  truncate: f(
    'strings',
    'text | truncate: length, ellipsis',
    'Shortens to length characters, ellipsis included (default "...").',
    '{{ summary | truncate: 20 }}',
  ),
  truncatewords: f(
    'strings',
    'text | truncatewords: count, ellipsis',
    'Keeps the first count words.',
    '{{ summary | truncatewords: 5 }}',
  ),
  number_of_words: f('strings', 'text | number_of_words', 'Counts the words.', '{{ "one two" | number_of_words }} → 2'),
  slugify: f(
    'strings',
    'text | slugify',
    'Lower-case words joined by hyphens.',
    '{{ "Hello World" | slugify }} → hello-world',
  ),
  escape: f('strings', 'text | escape', 'Escapes HTML special characters.', '{{ "<b>" | escape }} → &lt;b&gt;'),
  escape_once: f(
    'strings',
    'text | escape_once',
    'Escapes HTML without double-escaping entities.',
    '{{ "&lt;b>" | escape_once }}',
  ),
  xml_escape: f('strings', 'text | xml_escape', 'Escapes XML special characters.', '{{ body | xml_escape }}'),
  url_encode: f('strings', 'text | url_encode', 'Percent-encodes for a URL query.', '{{ "a b" | url_encode }} → a+b'),
  url_decode: f('strings', 'text | url_decode', 'Decodes a percent-encoded string.', '{{ "a+b" | url_decode }} → a b'),
  cgi_escape: f('strings', 'text | cgi_escape', 'Escapes for a URL query, CGI style.', '{{ "a b&c" | cgi_escape }}'),
  uri_escape: f(
    'strings',
    'text | uri_escape',
    'Escapes a whole URI, keeping its reserved characters.',
    '{{ link | uri_escape }}',
  ),
  base64_encode: f('strings', 'text | base64_encode', 'Encodes as base64.', '{{ "hi" | base64_encode }} → aGk='),
  base64_decode: f('strings', 'text | base64_decode', 'Decodes base64.', '{{ "aGk=" | base64_decode }} → hi'),

  abs: f('math', 'number | abs', 'Absolute value.', '{{ -3 | abs }} → 3'),
  at_least: f('math', 'number | at_least: min', 'At least min.', '{{ 2 | at_least: 5 }} → 5'),
  at_most: f('math', 'number | at_most: max', 'At most max.', '{{ 9 | at_most: 5 }} → 5'),
  ceil: f('math', 'number | ceil', 'Rounds up to an integer.', '{{ 1.2 | ceil }} → 2'),
  floor: f('math', 'number | floor', 'Rounds down to an integer.', '{{ 1.8 | floor }} → 1'),
  round: f(
    'math',
    'number | round: digits',
    'Rounds to digits decimals (default 0).',
    '{{ 3.14159 | round: 2 }} → 3.14',
  ),
  plus: f('math', 'number | plus: n', 'Adds.', '{{ 2 | plus: 3 }} → 5'),
  minus: f('math', 'number | minus: n', 'Subtracts.', '{{ 5 | minus: 3 }} → 2'),
  times: f('math', 'number | times: n', 'Multiplies.', '{{ 2 | times: 3 }} → 6'),
  divided_by: f(
    'math',
    'number | divided_by: n',
    'Divides (integer division when both are integers).',
    '{{ 7 | divided_by: 2 }} → 3',
  ),
  modulo: f('math', 'number | modulo: n', 'Remainder of a division.', '{{ 7 | modulo: 3 }} → 1'),
  to_integer: f('math', 'value | to_integer', 'Converts to an integer.', '{{ "42" | to_integer | plus: 1 }} → 43'),

  join: f(
    'arrays',
    'array | join: separator',
    'Joins items with a separator (default " ").',
    '{{ tags | join: ", " }}',
  ),
  first: f('arrays', 'array | first', 'The first item.', '{{ items | first }}'),
  last: f('arrays', 'array | last', 'The last item.', '{{ items | last }}'),
  reverse: f('arrays', 'array | reverse', 'Items in reverse order.', '{{ items | reverse | join: "," }}'),
  sort: f(
    'arrays',
    'array | sort: property',
    'Sorts items (by a property when given), case-sensitive.',
    '{{ users | sort: "name" }}',
  ),
  sort_natural: f(
    'arrays',
    'array | sort_natural: property',
    'Sorts items case-insensitively.',
    '{{ names | sort_natural }}',
  ),
  size: f('arrays', 'value | size', 'Number of items, or of characters in a string.', '{{ items | size }}'),
  map: f(
    'arrays',
    'array | map: property',
    'The values of one property of each item.',
    '{{ users | map: "name" | join: ", " }}',
  ),
  sum: f(
    'arrays',
    'array | sum: property',
    'Adds up the items (or one property of each).',
    '{{ orders | sum: "total" }}',
  ),
  compact: f('arrays', 'array | compact', 'Removes nil items.', '{{ items | compact }}'),
  concat: f('arrays', 'array | concat: other', 'Joins two arrays.', '{{ a | concat: b }}'),
  push: f('arrays', 'array | push: item', 'A copy with an item added at the end.', '{{ items | push: "x" }}'),
  unshift: f(
    'arrays',
    'array | unshift: item',
    'A copy with an item added at the start.',
    '{{ items | unshift: "x" }}',
  ),
  pop: f('arrays', 'array | pop', 'A copy without the last item.', '{{ items | pop }}'),
  shift: f('arrays', 'array | shift', 'A copy without the first item.', '{{ items | shift }}'),
  slice: f(
    'arrays',
    'value | slice: start, length',
    'A part of a string or array (negative start counts from the end).',
    '{{ "hello" | slice: 1, 3 }} → ell',
  ),
  where: f(
    'arrays',
    'array | where: property, value',
    'Items whose property equals value (or is truthy).',
    '{{ users | where: "active", true }}',
  ),
  reject: f(
    'arrays',
    'array | reject: property, value',
    'Items whose property does not equal value.',
    '{{ users | reject: "active", true }}',
  ),
  group_by: f(
    'arrays',
    'array | group_by: property',
    'Groups items by a property: [{name, items}].',
    '{{ users | group_by: "team" }}',
  ),
  has: f(
    'arrays',
    'array | has: property, value',
    'Whether any item has the property (equal to value).',
    '{% if users | has: "admin", true %}',
  ),
  find: f(
    'arrays',
    'array | find: property, value',
    'The first item whose property equals value.',
    '{{ users | find: "id", 3 }}',
  ),
  find_index: f(
    'arrays',
    'array | find_index: property, value',
    'Index of the first such item.',
    '{{ users | find_index: "id", 3 }}',
  ),
  uniq: f('arrays', 'array | uniq', 'Removes duplicates.', '{{ tags | uniq | join: "," }}'),
  array_to_sentence_string: f(
    'arrays',
    'array | array_to_sentence_string: connector',
    'Joins items as an English list.',
    '{{ names | array_to_sentence_string }} → a, b, and c',
  ),

  date: f(
    'dates',
    'value | date: format',
    'Formats a date with strftime codes (UTC).',
    '{{ "2024-01-31" | date: "%b %d, %Y" }} → Jan 31, 2024',
  ),
  date_to_xmlschema: f(
    'dates',
    'value | date_to_xmlschema',
    'ISO 8601 date and time.',
    '{{ published | date_to_xmlschema }}',
  ),
  date_to_rfc822: f('dates', 'value | date_to_rfc822', 'RFC 822 date (as in RSS).', '{{ published | date_to_rfc822 }}'),
  date_to_string: f(
    'dates',
    'value | date_to_string',
    'Short date, e.g. 31 Jan 2024.',
    '{{ published | date_to_string }}',
  ),
  date_to_long_string: f(
    'dates',
    'value | date_to_long_string',
    'Long date, e.g. 31 January 2024.',
    '{{ published | date_to_long_string }}',
  ),

  default: f(
    'misc',
    'value | default: fallback',
    'fallback when the value is nil, false or empty.',
    '{{ name | default: "there" }}',
  ),
  json: f('misc', 'value | json: indent', 'The value as JSON.', '{{ user | json }}'),
  jsonify: f('misc', 'value | jsonify', 'The value as JSON (same as json).', '{{ user | jsonify }}'),
  raw: f('misc', 'value | raw', 'Outputs the value as it is.', '{{ html | raw }}'),
};

const TAGS: Record<AllowedTag, Entry> = {
  if: f(
    'control flow',
    '{% if condition %}…{% elsif other %}…{% else %}…{% endif %}',
    'Renders a block when the condition holds.',
    '{% if user.vip %}Thank you!{% endif %}',
  ),
  unless: f(
    'control flow',
    '{% unless condition %}…{% endunless %}',
    'Renders a block when the condition does not hold.',
    '{% unless done %}Keep going.{% endunless %}',
  ),
  case: f(
    'control flow',
    '{% case value %}{% when a, b %}…{% else %}…{% endcase %}',
    'Chooses a block by value.',
    '{% case tone %}{% when "formal" %}Dear{% else %}Hi{% endcase %}',
  ),
  for: f(
    'iteration',
    '{% for item in array limit: n offset: n reversed %}…{% else %}…{% endfor %}',
    'Repeats a block for each item; forloop.index, forloop.first, forloop.last inside.',
    '{% for doc in documents %}{{ forloop.index }}. {{ doc.title }}\n{% endfor %}',
  ),
  tablerow: f(
    'iteration',
    '{% tablerow item in array cols: n %}…{% endtablerow %}',
    'Repeats a block as HTML table rows.',
    '{% tablerow p in products cols: 2 %}{{ p }}{% endtablerow %}',
  ),
  break: f(
    'iteration',
    '{% break %}',
    'Stops the enclosing loop.',
    '{% for i in items %}{% if i == stop %}{% break %}{% endif %}{% endfor %}',
  ),
  continue: f(
    'iteration',
    '{% continue %}',
    'Skips to the next iteration.',
    '{% for i in items %}{% if i == skip %}{% continue %}{% endif %}{{ i }}{% endfor %}',
  ),
  assign: f(
    'variables',
    '{% assign name = value | filter %}',
    'Creates a variable.',
    '{% assign greeting = "Hello " | append: name %}',
  ),
  capture: f(
    'variables',
    '{% capture name %}…{% endcapture %}',
    'Captures rendered text into a variable.',
    '{% capture header %}# {{ title }}{% endcapture %}',
  ),
  increment: f(
    'variables',
    '{% increment counter %}',
    'Outputs a counter, then adds one (starts at 0).',
    '{% increment n %}{% increment n %} → 01',
  ),
  decrement: f(
    'variables',
    '{% decrement counter %}',
    'Subtracts one from a counter, then outputs it (starts at -1).',
    '{% decrement n %} → -1',
  ),
  cycle: f(
    'iteration',
    '{% cycle "a", "b", "c" %}',
    'Outputs the next of its values each time it runs.',
    '{% for r in rows %}{% cycle "odd", "even" %}{% endfor %}',
  ),
  echo: f(
    'output',
    '{% echo value | filter %}',
    'Outputs a value, like {{ }}, usable inside {% liquid %}.',
    '{% liquid\n  echo name | upcase\n%}',
  ),
  liquid: f(
    'output',
    '{% liquid tag args\n  tag args %}',
    'Several tags in one block, one per line, without delimiters.',
    '{% liquid\n  assign n = items | size\n  echo n\n%}',
  ),
  comment: f(
    'comments',
    '{% comment %}…{% endcomment %}',
    'A block left out of the output.',
    '{% comment %}why this wording{% endcomment %}',
  ),
  '#': f('comments', '{% # note %}', 'An inline comment.', '{% # shown to no one %}'),
  raw: f(
    'output',
    '{% raw %}…{% endraw %}',
    'Outputs its content without interpreting Liquid in it.',
    '{% raw %}{{ not rendered }}{% endraw %}',
  ),
  render: f(
    'partials',
    "{% render 'name', arg: value %}",
    'Renders another prompt of the set (or of a dependency) with its own arguments.',
    "{% render 'header', title: title %}",
  ),
};

export const FILTER_REFERENCE: readonly ReferenceEntry[] = ALLOWED_FILTERS.map((name) => ({
  name,
  kind: 'filter',
  ...FILTERS[name],
}));

export const TAG_REFERENCE: readonly ReferenceEntry[] = ALLOWED_TAGS.map((name) => ({
  name,
  kind: 'tag',
  ...TAGS[name],
}));

const filterIndex = new Map(FILTER_REFERENCE.map((e) => [e.name, e]));
const tagIndex = new Map(TAG_REFERENCE.map((e) => [e.name, e]));

export const filterReference = (name: string): ReferenceEntry | undefined => filterIndex.get(name);
export const tagReference = (name: string): ReferenceEntry | undefined => tagIndex.get(name);

/** Words that close or branch an allowed tag: completion offers them, and they are not unknown tags. */
export const TAG_BRANCH_WORDS: Readonly<Record<string, readonly string[]>> = {
  if: ['elsif', 'else', 'endif'],
  unless: ['else', 'endunless'],
  case: ['when', 'else', 'endcase'],
  for: ['else', 'endfor'],
  tablerow: ['endtablerow'],
  capture: ['endcapture'],
  comment: ['endcomment'],
  raw: ['endraw'],
};
