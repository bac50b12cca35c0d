import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParamType, Parameter } from '../domain/parameter';
import type { ChatItem, Prompt } from '../domain/prompt';
import { PromptSetContent } from '../domain/prompt-set';
import type { AnvilError } from '../domain/result';
import type { FolderProblem } from './folder';
import { GITATTRIBUTES_TEXT, SET_FILE, fromFolder, nonCanonicalFiles, toFolder } from './folder';

const base = (p: Partial<Prompt> & Pick<Prompt, 'id' | 'name'>): Omit<Prompt, 'kind'> => ({
  description: '',
  parameters: [],
  model: null,
  metadata: {},
  ...p,
});

function sample(): PromptSetContent {
  return PromptSetContent.parse({
    id: 'set-support',
    projectId: 'p1',
    name: 'support',
    description: 'Support prompts',
    dependencies: { '@acme/common': '^1.0.0' },
    prompts: [
      {
        ...base({ id: 'p-greet', name: 'greet', description: 'Greets\n---\nwith a rule' }),
        kind: 'text',
        template: 'Hello {{ customer }}\r\n---\nbye ✓ — 日本\n',
        parameters: [
          { name: 'customer', type: { type: 'string' }, required: true, description: 'Who' },
          { name: 'tier', type: { type: 'string', enum: ['gold', 'true', 'null'] }, required: false, default: 'gold' },
          {
            name: 'order',
            type: {
              type: 'object',
              properties: { id: { type: 'integer' }, lines: { type: 'array', items: { type: 'number' } } },
              required: ['id'],
            },
            required: false,
          },
        ],
        model: {
          provider: 'openai',
          model: 'gpt-4o',
          temperature: 0.2,
          stop: ['---'],
          tools: [{ name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } }],
        },
        metadata: { owner: 'ada', '1': 'one' },
      },
      { ...base({ id: 'p-empty', name: 'empty' }), kind: 'text', template: '' },
      {
        ...base({ id: 'p-triage', name: 'triage' }),
        kind: 'chat',
        messages: [
          { type: 'message', role: 'system', content: 'Sort tickets.\n' },
          { type: 'history', name: 'conversation' },
          { type: 'message', role: 'user', content: '{{ ticket }}' },
          { type: 'message', role: 'assistant', content: '' },
        ],
      },
      {
        ...base({ id: 'p-odd', name: 'odd.chat' }),
        kind: 'chat',
        messages: [{ type: 'message', role: 'user', content: 'a\n--- user ---\nb' }],
      },
    ],
  });
}

function problemsOf(run: () => unknown): FolderProblem[] {
  try {
    run();
  } catch (err) {
    expect((err as AnvilError).code).toBe('invalid_folder');
    return ((err as AnvilError).details as { problems: FolderProblem[] }).problems;
  }
  throw new Error('expected fromFolder to refuse the folder');
}

const withFile = (files: Map<string, string>, name: string, text: string | null): Map<string, string> => {
  const out = new Map(files);
  if (text === null) out.delete(name);
  else out.set(name, text);
  return out;
};

describe('the folder format', () => {
  it('writes a set file, .gitattributes and one NAME.liquid per prompt, in order', () => {
    const files = toFolder(sample(), { version: '1.2.0', changelog: 'Greets better' });
    expect([...files.keys()]).toEqual([
      SET_FILE,
      '.gitattributes',
      'greet.liquid',
      'empty.liquid',
      'triage.liquid',
      'odd.chat.liquid',
    ]);
    expect(files.get('.gitattributes')).toBe(GITATTRIBUTES_TEXT);
    expect(JSON.parse(files.get(SET_FILE) as string)).toEqual({
      format: 'anvil-set@1',
      id: 'set-support',
      projectId: 'p1',
      name: 'support',
      description: 'Support prompts',
      version: '1.2.0',
      changelog: 'Greets better',
      dependencies: { '@acme/common': '^1.0.0' },
      prompts: ['greet', 'empty', 'triage', 'odd.chat'],
    });
    expect(files.get('empty.liquid')).toBe('---\nid: p-empty\n---\n');
    expect(files.get('triage.liquid')).toBe(
      [
        '---',
        'kind: chat',
        'id: p-triage',
        '---',
        '--- system ---',
        'Sort tickets.',
        '',
        '--- history conversation ---',
        '--- user ---',
        '{{ ticket }}',
        '--- assistant ---',
        '',
      ].join('\n'),
    );
    // A message with a marker-like line: the messages go in the front matter, the body stays empty.
    expect(files.get('odd.chat.liquid')).toMatch(/^---\nkind: chat\nid: p-odd\nmessages:\n[\s\S]*\n---\n$/);
    const greet = files.get('greet.liquid') as string;
    expect(greet.startsWith('---\nid: p-greet\ndescription: |-\n  Greets\n  ---\n  with a rule\nparameters:\n')).toBe(
      true,
    );
    expect(greet.endsWith('\n---\nHello {{ customer }}\r\n---\nbye ✓ — 日本\n')).toBe(true);
  });

  it('reads back exactly what it wrote, and writes the same files again', () => {
    const content = sample();
    const files = toFolder(content, { version: '1.2.0', changelog: 'x' });
    const read = fromFolder(files);
    expect(read).toEqual({ content, version: '1.2.0', changelog: 'x', ignored: [] });
    expect(toFolder(read.content, read)).toEqual(files);
    expect(nonCanonicalFiles(files, read)).toEqual([]);
  });

  it('reads hand-written YAML (any key order, comments, flow style) and reports it as not canonical', () => {
    const files = toFolder(sample(), { version: null });
    const hand = withFile(
      files,
      'empty.liquid',
      '---\n# written by hand\nmetadata: {}\nid: "p-empty"\ndescription: ""\n---\n',
    );
    const read = fromFolder(hand);
    expect(read.content).toEqual(sample());
    expect(nonCanonicalFiles(hand, read)).toEqual(['empty.liquid']);
  });

  it('keeps files that are not part of the format aside, and appends prompt files the set file does not list', () => {
    const files = toFolder(sample());
    const more = withFile(withFile(files, 'README.md', '# notes'), 'added.liquid', '---\nid: p-added\n---\nNew');
    const read = fromFolder(more);
    expect(read.ignored).toEqual(['README.md']);
    expect(read.content.prompts.map((p) => p.name)).toEqual(['greet', 'empty', 'triage', 'odd.chat', 'added']);
  });
});

describe('round trips (properties)', () => {
  const name = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/);
  const text = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    fc
      .array(
        fc.constantFrom(
          '---',
          '--- user ---',
          '--- Notes ---',
          '\r\n',
          '\n',
          '\r',
          '...',
          ' ',
          '# x',
          'é',
          '日本',
          ': a',
          '- b',
          '{{ x }}',
          '"',
          "'",
          '\t',
          '|',
          '>',
        ),
        { maxLength: 12 },
      )
      .map((parts) => parts.join('')),
  );
  const json: fc.Arbitrary<unknown> = fc
    .jsonValue({ maxDepth: 2 })
    .map((v) => JSON.parse(JSON.stringify(v)) as unknown);
  const paramType: fc.Arbitrary<ParamType> = fc.letrec<{ t: ParamType }>((tie) => ({
    t: fc.oneof(
      { depthSize: 'small' },
      fc.constant<ParamType>({ type: 'boolean' }),
      fc.record(
        { type: fc.constant('string' as const), enum: fc.array(text, { minLength: 1, maxLength: 3 }) },
        { requiredKeys: ['type'] },
      ),
      fc.record({ type: fc.constantFrom('number' as const, 'integer' as const) }),
      fc.record({ type: fc.constant('array' as const), items: tie('t') }),
      fc.record(
        {
          type: fc.constant('object' as const),
          properties: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), tie('t'), { maxKeys: 3 }),
          required: fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
        },
        { requiredKeys: ['type', 'properties'] },
      ),
    ),
  })).t;
  const parameter: fc.Arbitrary<Parameter> = fc
    .record(
      {
        name: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,10}$/),
        type: paramType,
        required: fc.boolean(),
        default: json,
        description: text,
      },
      { requiredKeys: ['name', 'type', 'required', 'description'] },
    )
    .map((p) => p as Parameter);
  const chatItem: fc.Arbitrary<ChatItem> = fc.oneof(
    fc.record({
      type: fc.constant('message' as const),
      role: fc.constantFrom('system' as const, 'user' as const, 'assistant' as const),
      content: text,
    }),
    fc.record({
      type: fc.constant('history' as const),
      name: fc.oneof(name, fc.string({ minLength: 1, maxLength: 8 })),
    }),
  );
  const prompt = (id: string, promptName: string): fc.Arbitrary<Prompt> =>
    fc
      .record({
        description: text,
        parameters: fc.uniqueArray(parameter, { maxLength: 3, selector: (p) => p.name }),
        model: fc.option(
          fc.record(
            {
              provider: fc.string({ minLength: 1, maxLength: 8 }),
              model: fc.string({ minLength: 1, maxLength: 8 }),
              temperature: fc.double({ min: 0, max: 2, noNaN: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
              maxTokens: fc.integer({ min: 1, max: 10_000 }),
              stop: fc.array(text, { maxLength: 2 }),
              responseSchema: fc.dictionary(fc.string({ maxLength: 6 }), json, { maxKeys: 3 }),
            },
            { requiredKeys: ['provider', 'model'] },
          ),
          { nil: null },
        ),
        metadata: fc.dictionary(fc.string({ maxLength: 8 }), text, { maxKeys: 3 }),
        body: fc.oneof(
          text.map((template) => ({ kind: 'text' as const, template })),
          fc
            .array(chatItem, { maxLength: 5 })
            .map((items) => {
              let seen = false;
              return items.filter((m) => m.type !== 'history' || (!seen && (seen = true)));
            })
            .map((messages) => ({ kind: 'chat' as const, messages })),
        ),
      })
      .map(({ body, ...rest }) => ({ id, name: promptName, ...rest, ...body }) as Prompt);
  const content: fc.Arbitrary<PromptSetContent> = fc
    .uniqueArray(name, { maxLength: 5 })
    .chain((names) => fc.tuple(...names.map((n, i) => prompt(`p${i}`, n))))
    .chain((prompts) =>
      fc
        .record({
          description: text,
          dependencies: fc.dictionary(
            fc.stringMatching(/^@[a-z]{1,5}\/[a-z]{1,5}$/),
            fc.constantFrom('^1.0.0', '~2.1', '*', '>=1 <3'),
            { maxKeys: 2 },
          ),
        })
        .map((rest) => PromptSetContent.parse({ id: 'set-1', projectId: 'p1', name: 'set', ...rest, prompts })),
    );

  it('fromFolder(toFolder(c)) equals c, and toFolder(fromFolder(files)) gives the same files', () => {
    fc.assert(
      fc.property(
        content,
        fc.option(fc.constantFrom('1.0.0', '2.3.4-beta.1'), { nil: null }),
        text,
        (c, version, changelog) => {
          const files = toFolder(c, { version, changelog });
          const read = fromFolder(files);
          expect(read.content).toStrictEqual(c);
          expect(read.version).toBe(version);
          expect(read.changelog).toBe(changelog);
          expect(toFolder(read.content, read)).toEqual(files);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('problems name the file, line and column', () => {
  const files = toFolder(sample(), { version: '1.0.0' });

  it('a missing set file', () => {
    expect(problemsOf(() => fromFolder(withFile(files, SET_FILE, null)))).toEqual([
      { file: SET_FILE, message: expect.stringContaining('there is no anvil-set.json') },
    ]);
  });

  it('bad JSON and unknown or mistyped keys in the set file', () => {
    const broken = (files.get(SET_FILE) as string).replace('"name": "support",', '"name": "support"');
    expect(problemsOf(() => fromFolder(withFile(files, SET_FILE, broken)))[0]).toMatchObject({
      file: SET_FILE,
      line: 6,
      column: 3,
      message: expect.stringContaining('invalid JSON'),
    });
    const unknown = (files.get(SET_FILE) as string).replace(
      '"name": "support",',
      '"name": "support",\n  "colour": "red",',
    );
    expect(problemsOf(() => fromFolder(withFile(files, SET_FILE, unknown)))).toEqual([
      { file: SET_FILE, line: 6, column: 3, message: 'unknown key "colour"' },
    ]);
    const version = (files.get(SET_FILE) as string).replace('"1.0.0"', '"1.0"');
    expect(problemsOf(() => fromFolder(withFile(files, SET_FILE, version)))).toEqual([
      {
        file: SET_FILE,
        line: 7,
        column: 14,
        message: expect.stringContaining('version: "1.0" is not a semantic version'),
      },
    ]);
    const missing = (files.get(SET_FILE) as string).replace('"empty",', '"empty", "gone",');
    expect(problemsOf(() => fromFolder(withFile(files, SET_FILE, missing)))).toEqual([
      { file: SET_FILE, line: 14, column: 14, message: 'prompts[2]: there is no file gone.liquid for prompt "gone"' },
    ]);
  });

  it('bad YAML, unknown keys and a parameter of a wrong type in a prompt file', () => {
    expect(problemsOf(() => fromFolder(withFile(files, 'empty.liquid', '---\nid: [p-empty\n---\n')))).toEqual([
      { file: 'empty.liquid', line: 3, column: 1, message: expect.stringContaining('invalid YAML') },
    ]);
    expect(
      problemsOf(() => fromFolder(withFile(files, 'empty.liquid', '---\nid: p-empty\ncolor: red\n---\n'))),
    ).toEqual([
      {
        file: 'empty.liquid',
        line: 3,
        column: 1,
        message: expect.stringMatching(/^unknown key "color" \(the front matter holds kind, id/),
      },
    ]);
    const wrongType =
      '---\nid: p-empty\nparameters:\n  - name: n\n    type: { type: strng }\n    required: true\n---\n';
    expect(problemsOf(() => fromFolder(withFile(files, 'empty.liquid', wrongType)))).toEqual([
      {
        file: 'empty.liquid',
        line: 5,
        column: 19,
        message:
          'parameters[0].type.type: "strng" is not a parameter type (string, number, integer, boolean, array or object)',
      },
    ]);
    const notBool =
      '---\nid: p-empty\nparameters:\n  - name: n\n    type:\n      type: string\n    required: "yes"\n---\n';
    expect(problemsOf(() => fromFolder(withFile(files, 'empty.liquid', notBool)))).toEqual([
      { file: 'empty.liquid', line: 7, column: 15, message: expect.stringContaining('parameters[0].required') },
    ]);
    const extraInType =
      '---\nid: p-empty\nparameters:\n  - name: n\n    type:\n      type: boolean\n      enum: [true]\n    required: true\n---\n';
    expect(problemsOf(() => fromFolder(withFile(files, 'empty.liquid', extraInType)))).toEqual([
      {
        file: 'empty.liquid',
        line: 7,
        column: 7,
        message: 'parameters[0].type: unknown key "enum" in a boolean type (it has type)',
      },
    ]);
  });

  it('a file name that is not a prompt name, two files for one prompt, no front matter', () => {
    const named = withFile(files, 'Greet Me.liquid', '---\nid: p-x\n---\n');
    expect(problemsOf(() => fromFolder(named))).toEqual([
      { file: 'Greet Me.liquid', message: expect.stringContaining('the file name is not a prompt name') },
    ]);
    const copy = withFile(files, 'greet2.liquid', files.get('greet.liquid') as string);
    expect(problemsOf(() => fromFolder(copy))).toEqual([
      {
        file: 'greet2.liquid',
        line: 2,
        column: 1,
        message: expect.stringContaining(
          'two files for one prompt: greet.liquid and greet2.liquid both have id "p-greet"',
        ),
      },
    ]);
    expect(problemsOf(() => fromFolder(withFile(files, 'empty.liquid', 'Hello')))).toEqual([
      {
        file: 'empty.liquid',
        line: 1,
        column: 1,
        message: expect.stringContaining('starts with a front-matter block'),
      },
    ]);
    expect(
      problemsOf(() => fromFolder(withFile(files, 'empty.liquid', '---\r\nid: p\r\n---\r\n')))[0]?.message,
    ).toContain('carriage return');
    expect(problemsOf(() => fromFolder(withFile(files, 'empty.liquid', '---\nid: p-empty\n')))[0]?.message).toContain(
      'no closing line',
    );
  });

  it('chat bodies: a marker-like line that is not a marker, text before the first marker, text after a history', () => {
    const chat = (body: string) => withFile(files, 'triage.liquid', `---\nkind: chat\nid: p-triage\n---\n${body}`);
    expect(problemsOf(() => fromFolder(chat('--- system ---\nhi\n--- User ---\nyo')))).toEqual([
      {
        file: 'triage.liquid',
        line: 7,
        column: 1,
        message: expect.stringContaining('"--- User ---" looks like a message marker'),
      },
    ]);
    expect(problemsOf(() => fromFolder(chat('hi\n--- user ---\nyo')))).toEqual([
      { file: 'triage.liquid', line: 5, column: 1, message: expect.stringContaining('start with a marker line') },
    ]);
    expect(problemsOf(() => fromFolder(chat('--- history h ---\nstray')))).toEqual([
      {
        file: 'triage.liquid',
        line: 6,
        column: 1,
        message: expect.stringContaining('a history placeholder has no text'),
      },
    ]);
    expect(problemsOf(() => fromFolder(chat('--- history a ---\n--- history b ---')))[0]?.message).toContain(
      'at most one history placeholder',
    );
    expect(
      problemsOf(() => fromFolder(withFile(files, 'empty.liquid', '---\nid: p-empty\nmessages: []\n---\n'))),
    ).toEqual([
      {
        file: 'empty.liquid',
        line: 3,
        column: 11,
        message: expect.stringContaining('messages belong to chat prompts'),
      },
    ]);
  });

  it('collects every problem, the first in the message', () => {
    const many = withFile(withFile(files, 'empty.liquid', 'x'), 'triage.liquid', '---\nid: [\n---\n');
    try {
      fromFolder(many);
      throw new Error('expected a refusal');
    } catch (err) {
      const e = err as AnvilError;
      expect(e.message).toMatch(/^empty\.liquid:1:1: .* \(and 1 more problem\)$/);
      expect((e.details as { problems: unknown[] }).problems).toHaveLength(2);
    }
  });
});
