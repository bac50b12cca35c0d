import type { languages } from 'monaco-editor/editor/editor.api';

/**
 * The Liquid language for Monaco: Monarch tokens (tags, output, filters, strings, numbers, comments, raw
 * blocks) and the configuration that gives bracket matching and auto-closing for `{{ }}` and `{% %}`, and
 * folding of block tags. Pure data: `liquid-monaco.ts` registers it.
 */
export const LIQUID_ID = 'anvil-liquid';

const BLOCK_TAGS = 'if|unless|case|for|tablerow|capture|comment|raw';

export const liquidConfiguration: languages.LanguageConfiguration = {
  brackets: [
    ['{{', '}}'],
    ['{%', '%}'],
    ['(', ')'],
    ['[', ']'],
  ],
  autoClosingPairs: [
    { open: '{{', close: ' }}' },
    { open: '{%', close: ' %}' },
    { open: '(', close: ')' },
    { open: '[', close: ']' },
    { open: '"', close: '"', notIn: ['string'] },
    { open: "'", close: "'", notIn: ['string'] },
  ],
  surroundingPairs: [
    { open: '"', close: '"' },
    { open: "'", close: "'" },
    { open: '(', close: ')' },
    { open: '[', close: ']' },
  ],
  comments: { blockComment: ['{% comment %}', '{% endcomment %}'] },
  folding: {
    markers: {
      start: new RegExp(`\\{%-?\\s*(${BLOCK_TAGS})\\b`),
      end: new RegExp(`\\{%-?\\s*end(${BLOCK_TAGS})\\b`),
    },
  },
  wordPattern: /[A-Za-z_][\w-]*/,
};

export const liquidTokens: languages.IMonarchLanguage = {
  defaultToken: '',
  tokenPostfix: '.liquid',
  ignoreCase: false,
  tokenizer: {
    root: [
      [/\{%-?\s*raw\s*-?%\}/, { token: 'delimiter.tag', next: '@raw' }],
      [/\{%-?\s*comment\s*-?%\}/, { token: 'comment', next: '@comment' }],
      [/\{%-?\s*#/, { token: 'comment', next: '@inlineComment' }],
      [/\{\{-?/, { token: 'delimiter.output', next: '@output' }],
      [/\{%-?/, { token: 'delimiter.tag', next: '@tagName' }],
      [/[^{]+/, 'text'],
      [/\{/, 'text'],
    ],
    raw: [
      [/\{%-?\s*endraw\s*-?%\}/, { token: 'delimiter.tag', next: '@pop' }],
      [/[^{]+/, 'string.raw'],
      [/\{/, 'string.raw'],
    ],
    comment: [
      [/\{%-?\s*endcomment\s*-?%\}/, { token: 'comment', next: '@pop' }],
      [/[^{]+/, 'comment'],
      [/\{/, 'comment'],
    ],
    inlineComment: [
      [/-?%\}/, { token: 'comment', next: '@pop' }],
      [/[^%-]+/, 'comment'],
      [/[%-]/, 'comment'],
    ],
    tagName: [
      [/\s+/, ''],
      [/-?%\}/, { token: 'delimiter.tag', next: '@pop' }],
      [/[A-Za-z_]\w*/, { token: 'keyword.tag', switchTo: '@tag' }],
      [/./, { token: '@rematch', switchTo: '@tag' }],
    ],
    tag: [[/-?%\}/, { token: 'delimiter.tag', next: '@pop' }], { include: '@expression' }],
    output: [[/-?\}\}/, { token: 'delimiter.output', next: '@pop' }], { include: '@expression' }],
    expression: [
      [/\|/, { token: 'operator.pipe', next: '@filterName' }],
      [/"[^"]*"/, 'string'],
      [/'[^']*'/, 'string'],
      [/"[^"]*$/, 'string.invalid'],
      [/'[^']*$/, 'string.invalid'],
      [/-?\d+(\.\d+)?\b/, 'number'],
      [/\b(and|or|contains|in|with|as|by|limit|offset|reversed|cols)\b/, 'keyword.operator'],
      [/\b(true|false|nil|null|empty|blank)\b/, 'constant'],
      // Inside `{% liquid %}`, a line's first word is a tag.
      [/^\s*[A-Za-z_]\w*/, 'keyword.tag'],
      [/[A-Za-z_][\w-]*/, 'variable'],
      [/==|!=|<>|<=|>=|<|>|=|\.\.|:/, 'operator'],
      [/[()[\].,]/, 'delimiter'],
      [/\s+/, ''],
    ],
    filterName: [
      [/\s+/, ''],
      [/[A-Za-z_]\w*/, { token: 'function.filter', next: '@pop' }],
      [/./, { token: '@rematch', next: '@pop' }],
    ],
  },
};
