import { describe, expect, it } from 'vitest';
import type { Parameter } from '../domain/parameter';
import type { ChatPrompt } from '../domain/prompt';
import { createEngine } from '../template/engine';
import type { PartialResolver, PartialSource } from '../template/link';
import { extractPromptVariables, extractVariables } from './extract';
import type { ExtractedVariable, Extraction } from './extract';

const engine = createEngine();
/** One variable of an extraction; an absent one fails the test. */
function get(x: Extraction, name: string): ExtractedVariable {
  const v = x.variables.find((w) => w.name === name);
  if (!v) throw new Error(`no variable ${name}`);
  return v;
}
const str = (name: string, required = true): Parameter => ({
  name,
  type: { type: 'string' },
  required,
  description: '',
});

describe('extractVariables', () => {
  it('finds every global read with its paths and locations, in source order', () => {
    const x = extractVariables(
      engine,
      'Hi {{ user.name }} {{ user.email | downcase }}\n{% if plan == "pro" %}{{ greeting }}{% endif %}',
    );
    expect(x.variables.map((v) => v.name)).toEqual(['user', 'plan', 'greeting']);
    const user = get(x, 'user');
    expect(user.paths).toEqual(['user.name', 'user.email']);
    expect(user.locations.map((l) => [l.line, l.column])).toEqual([
      [1, 7],
      [1, 23],
    ]);
    expect(get(x, 'plan').locations[0]).toMatchObject({ line: 2, column: 7 });
  });

  it('excludes loop variables, forloop, and assigned or captured names (after the assignment)', () => {
    const x = extractVariables(
      engine,
      '{{ a }}{% assign a = 1 %}{{ a }}{% for item in list %}{{ item }}{{ forloop.index }}{% endfor %}{% capture c %}{{ d }}{% endcapture %}{{ c }}{% tablerow t in rows %}{{ t }}{{ tablerowloop.col }}{% endtablerow %}{% increment k %}{{ k }}',
    );
    expect(x.variables.map((v) => v.name)).toEqual(['a', 'list', 'd', 'rows']);
    expect(get(x, 'a').locations).toHaveLength(1);
  });

  it('hints: for → array, arithmetic filters → number, property paths → object', () => {
    const x = extractVariables(
      engine,
      [
        '{% for o in orders limit: max %}{{ o.title }}: {{ o.qty | times: o.price }}{% for l in o.lines %}{{ l.sku }}{% endfor %}{% endfor %}',
        '{{ count | plus: 1 }} {{ 10 | minus: discount }} {{ score | round }}',
        '{% for i in (1..n) %}{% endfor %} {{ tags | join: ", " }} {{ items[0].name }} {{ name }} {{ name.size }}',
      ].join('\n'),
    );
    expect(get(x, 'orders').hint).toEqual({
      type: 'array',
      items: {
        type: 'object',
        properties: {
          title: { type: 'unknown' },
          qty: { type: 'number' },
          price: { type: 'number' },
          lines: { type: 'array', items: { type: 'object', properties: { sku: { type: 'unknown' } } } },
        },
      },
    });
    for (const n of ['max', 'count', 'discount', 'score', 'n']) expect(get(x, n).hint, n).toEqual({ type: 'number' });
    expect(get(x, 'tags').hint).toEqual({ type: 'array', items: { type: 'unknown' } });
    expect(get(x, 'items').hint).toEqual({
      type: 'array',
      items: { type: 'object', properties: { name: { type: 'unknown' } } },
    });
    expect(get(x, 'name').hint).toEqual({ type: 'unknown' });
    expect(get(x, 'orders').paths).toEqual(['orders']);
  });

  it('reads variables in every place: tag arguments, filter arguments, dynamic keys, case, cycle, echo, liquid', () => {
    const x = extractVariables(
      engine,
      '{{ a | append: b | replace: c, d }}{{ map[key] }}{% case e %}{% when f %}{% endcase %}{% for i in (1..2) %}{% cycle g, "x" %}{% endfor %}{% echo h %}{% liquid\n echo j\n%}{% unless k %}{% endunless %}',
    );
    expect(x.variables.map((v) => v.name)).toEqual(['a', 'b', 'c', 'd', 'map', 'key', 'e', 'f', 'g', 'h', 'j', 'k']);
    expect(get(x, 'map').paths).toEqual(['map[?]']);
  });

  it('a malformed template throws its parse error (the editor keeps the last good list)', () => {
    expect(() => extractVariables(engine, 'a\n{% if x %}')).toThrow(
      expect.objectContaining({ code: 'parse_error', line: 2, column: 1 }),
    );
  });

  it('chat prompts: every message, with the message index in each location', () => {
    const prompt: ChatPrompt = {
      id: 'c',
      name: 'c',
      kind: 'chat',
      description: '',
      model: null,
      metadata: {},
      parameters: [],
      messages: [
        { type: 'message', role: 'system', content: '{% assign x = 1 %}{{ x }} {{ sys }}' },
        { type: 'history', name: 'h' },
        { type: 'message', role: 'user', content: '{{ x }} {{ q }}' },
      ],
    };
    const x = extractPromptVariables(engine, prompt);
    expect(x.variables.map((v) => [v.name, v.locations[0]?.source])).toEqual([
      ['sys', 0],
      ['x', 2],
      ['q', 2],
    ]);
  });
});

describe('extractVariables: render tags', () => {
  const resolve: PartialResolver = (ref) =>
    (<Record<string, PartialSource>>{
      sig: { name: 'sig', source: '{{ name }}{{ title }}', parameters: [str('name'), str('title', false)] },
      loose: { name: 'loose', source: '{{ undeclared }} {{ name }}', parameters: [str('name', false)] },
      list: {
        name: 'list',
        source: '{% for d in docs %}{{ d }}{% endfor %}',
        parameters: [
          { name: 'docs', type: { type: 'array', items: { type: 'string' } }, required: true, description: '' },
        ],
      },
      broken: { name: 'broken', source: '{% if %}' },
    })[ref];

  it("the partial's variables are not the caller's; its arguments are", () => {
    const x = extractVariables(engine, '{% render "sig", name: who, title: "Dr" %}', { resolve });
    expect(x.variables.map((v) => v.name)).toEqual(['who']);
    expect(x.issues).toEqual([]);
    expect(x.partials).toEqual([{ ref: 'sig', line: 1, column: 1, argumentNames: ['name', 'title'] }]);
  });

  it('a required parameter of the partial that is not passed is reported at the render tag', () => {
    const x = extractVariables(engine, 'a\n  {% render "sig", title: t %}', { resolve });
    expect(x.issues).toEqual([
      expect.objectContaining({ code: 'missing_partial_argument', name: 'name', line: 2, column: 3 }),
    ]);
  });

  it('so is a variable the partial reads without declaring; unknown arguments and partials are reported too', () => {
    const x = extractVariables(engine, '{% render "loose", extra: 1 %}{% render "ghost" %}{% render "broken" %}', {
      resolve,
    });
    expect(x.issues.map((i) => `${i.code} ${i.name}`)).toEqual([
      'missing_partial_argument undeclared',
      'unknown_partial_argument extra',
      'partial_not_found ghost',
      'partial_error broken',
    ]);
  });

  it("a value passed to a partial's parameter takes its declared type as a hint", () => {
    const x = extractVariables(engine, '{% render "list", docs: user.documents %}', { resolve });
    expect(get(x, 'user').hint).toEqual({
      type: 'object',
      properties: { documents: { type: 'array', items: { type: 'unknown' } } },
    });
  });
});
