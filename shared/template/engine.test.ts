import { describe, expect, it } from 'vitest';
import type { Parameter } from '../domain/parameter';
import { AnvilError } from '../domain/result';
import { createEngine } from './engine';

const param = (name: string, type: Parameter['type'], required = true, extra: Partial<Parameter> = {}): Parameter => ({
  name,
  type,
  required,
  description: '',
  ...extra,
});

/** The AnvilError a call throws (sync) or rejects with (async), as plain info. */
async function failure(run: () => unknown): Promise<ReturnType<AnvilError['toJSON']>> {
  try {
    await run();
  } catch (e) {
    expect(e).toBeInstanceOf(AnvilError);
    const info = (e as AnvilError).toJSON();
    expect(JSON.stringify(info)).not.toMatch(/\n\s+at /); // never a stack
    return info;
  }
  throw new Error('expected an error');
}

describe('engine: rendering', () => {
  const engine = createEngine();

  it('renders text with filters, if and for, async and sync alike', async () => {
    const src =
      'Hi {{ name | capitalize }}{% if vip %} (vip){% endif %}:{% for t in tags %} {{ t | upcase }}{% endfor %} {{ n | plus: 1 }}';
    const values = { name: 'ada', vip: true, tags: ['a', 'b'], n: 41 };
    expect(await engine.renderText(src, values)).toBe('Hi Ada (vip): A B 42');
    expect(engine.renderTextSync(src, values)).toBe('Hi Ada (vip): A B 42');
  });

  it('uses Liquid truthiness, not JavaScript: empty string and 0 are truthy', async () => {
    expect(
      await engine.renderText('{% if s %}y{% else %}n{% endif %}{% if z %}y{% else %}n{% endif %}', { s: '', z: 0 }),
    ).toBe('yy');
  });

  it('renders parameter values as data, never as template code', async () => {
    expect(await engine.renderText('{{ name }}', { name: '{{ 7 | plus: 1 }}' })).toBe('{{ 7 | plus: 1 }}');
    expect(await engine.renderText('{{ name }}', { name: '{% for i in (1..3) %}x{% endfor %}' })).toBe(
      '{% for i in (1..3) %}x{% endfor %}',
    );
  });

  it('reports an undeclared variable with its line and column', async () => {
    const e = await failure(() => engine.renderText('Hello\n  {{ nobody }}', {}));
    expect(e).toMatchObject({ code: 'undefined_variable', line: 2, column: 6 });
    expect(e.message).toContain('nobody');
  });

  it('renders an optional parameter without a default as empty, and it is safe in if', async () => {
    const parameters = [param('name', { type: 'string' }), param('title', { type: 'string' }, false)];
    const src = '[{{ title }}]{% if title %}T{% else %}none{% endif %} {{ name }}';
    expect(await engine.renderText(src, { name: 'x' }, { parameters })).toBe('[]none x');
    expect(engine.renderTextSync(src, { name: 'x', title: 'Dr' }, { parameters })).toBe('[Dr]T x');
  });

  it('applies defaults and validates before rendering', async () => {
    const parameters = [param('n', { type: 'integer' }, false, { default: 3 })];
    expect(await engine.renderText('{{ n | times: 2 }}', {}, { parameters })).toBe('6');
    const e = await failure(() => engine.renderText('{{ n }}', { n: 'x', extra: 1 }, { parameters }));
    expect(e.code).toBe('invalid_parameters');
    expect((e.details as { path: string }[]).map((d) => d.path).sort()).toEqual(['extra', 'n']);
  });

  it('caches parses by source (a bounded LRU)', () => {
    const small = createEngine({ limits: { parseCacheEntries: 2 } });
    const a = small.parse('a {{ x }}');
    expect(small.parse('a {{ x }}')).toBe(a);
    small.parse('b');
    small.parse('c');
    expect(small.parse('a {{ x }}')).not.toBe(a);
  });
});

describe('engine: malformed templates are parse errors with line and column', () => {
  const engine = createEngine();
  const cases: [string, string, string, number, number][] = [
    ['unclosed if', 'line one\n{% if x %}never closed', 'parse_error', 2, 1],
    ['unclosed output', 'ok\n\n  {{ x', 'parse_error', 3, 3],
    ['endfor alone', 'a\n   {% endfor %}', 'parse_error', 2, 4],
    ['else alone', '{% else %}', 'parse_error', 1, 1],
    ['unknown tag', 'x\n {% bogus 1 %}', 'unknown_tag', 2, 2],
    ['include is not allowed', '{% include "a" %}', 'unknown_tag', 1, 1],
    ['layout is not allowed', '{% layout "a" %}', 'unknown_tag', 1, 1],
    ['unknown filter (column of its name)', 'x\n{{ a | upcase | nope: 1 }}', 'unknown_filter', 2, 17],
    ['sample is not allowed', '{{ a | sample }}', 'unknown_filter', 1, 8],
    ['where_exp is not allowed', '{{ a | where_exp: "i", "i.x" }}', 'unknown_filter', 1, 8],
    ['a filter named constructor', '{{ a | constructor }}', 'unknown_filter', 1, 8],
    ['a tag named constructor', '{% constructor %}', 'unknown_tag', 1, 1],
    ['a filter named __proto__', '{{ a | __proto__ }}', 'unknown_filter', 1, 8],
    ['a bad expression', '{% if %}x{% endif %}', 'parse_error', 1, 6],
  ];
  for (const [what, src, code, line, column] of cases) {
    it(what, async () => {
      const e = await failure(() => engine.renderText(src, { a: 1, x: 1 }));
      expect(e).toMatchObject({ code, line, column });
      expect(e.message).not.toMatch(/line:\d/);
      expect(() => engine.parse(src)).toThrow(AnvilError);
    });
  }
});
