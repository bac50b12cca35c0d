import { describe, expect, it } from 'vitest';
import type { Parameter } from '../domain/parameter';
import type { PromptSetContent } from '../domain/prompt-set';
import { AnvilError } from '../domain/result';
import { createEngine } from './engine';
import type { PartialResolver, PartialSource } from './link';
import { setResolver } from './set-resolver';

const str = (name: string, required = true): Parameter => ({
  name,
  type: { type: 'string' },
  required,
  description: '',
});

/** A resolver over a flat map of prompts of one set. */
const prompts =
  (map: Record<string, Omit<PartialSource, 'name'>>): PartialResolver =>
  (ref) => {
    const p = Object.prototype.hasOwnProperty.call(map, ref) ? map[ref] : undefined;
    return p && { name: ref, ...p };
  };

async function error(p: Promise<unknown>): Promise<AnvilError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AnvilError);
  return e as AnvilError;
}

describe('render: composition', () => {
  it('renders another prompt of the set with its arguments, in an isolated scope', async () => {
    const resolve = prompts({ header: { source: 'Dear {{ name | capitalize }}', parameters: [str('name')] } });
    const engine = createEngine({ resolve });
    expect(await engine.renderText('{% render "header", name: who %}, hi', { who: 'ada' })).toBe('Dear Ada, hi');
    // The caller's variables are not visible inside the partial (Liquid's render isolates scope).
    const leaky = createEngine({ resolve: prompts({ p: { source: '{{ secret }}' } }) });
    const e = await error(leaky.renderText('{% render "p" %}', { secret: 's' }));
    expect(e).toMatchObject({ code: 'undefined_variable', path: 'p', line: 1, column: 4 });
    expect(e.message).toContain('in "p"');
  });

  it("a partial's optional parameters are nil (or their default) when not passed", async () => {
    const resolve = prompts({
      sig: {
        source: '{{ name }}{% if title %}, {{ title }}{% endif %} ({{ team }})',
        parameters: [str('name'), str('title', false), { ...str('team', false), default: 'support' }],
      },
    });
    const engine = createEngine({ resolve });
    expect(engine.renderTextSync('{% render "sig", name: "Ann" %}', {})).toBe('Ann (support)');
    expect(engine.renderTextSync('{% render "sig", name: "Ann", title: "CTO", team: "exec" %}', {})).toBe(
      'Ann, CTO (exec)',
    );
  });

  it('a required argument not passed is missing_partial_argument at the render tag', async () => {
    const engine = createEngine({ resolve: prompts({ sig: { source: '{{ name }}', parameters: [str('name')] } }) });
    const e = await error(engine.renderText('x\n  {% render "sig" %}', {}));
    expect(e).toMatchObject({ code: 'missing_partial_argument', line: 2, column: 3 });
    expect(e.message).toContain('name');
  });

  it('arguments of the wrong type are invalid_parameters', async () => {
    const engine = createEngine({ resolve: prompts({ sig: { source: '{{ name }}', parameters: [str('name')] } }) });
    const e = await error(engine.renderText('{% render "sig", name: 3 %}', {}));
    expect(e.code).toBe('invalid_parameters');
  });

  it('resolves a declared dependency set by its full name, and relative names inside it', async () => {
    const set = (
      id: string,
      name: string,
      prompts: PromptSetContent['prompts'],
      dependencies: Record<string, string> = {},
    ): PromptSetContent => ({
      id,
      projectId: 'p',
      name,
      description: '',
      dependencies,
      prompts,
    });
    const text = (name: string, template: string, parameters: Parameter[] = []) =>
      ({ id: name, name, kind: 'text', template, parameters, description: '', model: null, metadata: {} }) as const;
    const common = set('c', 'common', [
      text('header', '[{% render "brand" %}] {{ x }}', [str('x')]),
      text('brand', 'ACME'),
    ]);
    const support = set(
      's',
      'support',
      [text('greeting', '{% render "@acme/common/header", x: name %}!', [str('name')])],
      { '@acme/common': '^1.0.0' },
    );
    const engine = createEngine({ resolve: setResolver(support, { '@acme/common': common }) });
    expect(
      await engine.renderText('{% render "@acme/common/header", x: name %}!', { name: 'n' }, { name: 'greeting' }),
    ).toBe('[ACME] n!');
    // A set cannot reach a set it does not declare.
    const undeclared = createEngine({
      resolve: setResolver({ ...support, dependencies: {} }, { '@acme/common': common }),
    });
    const e = await error(undeclared.renderText('{% render "@acme/common/header", x: 1 %}', {}, { name: 'greeting' }));
    expect(e).toMatchObject({ code: 'partial_not_found', line: 1, column: 1 });
  });

  it('a missing partial is partial_not_found, with no resolver or an unknown name', async () => {
    expect(await error(createEngine().renderText('{% render "nope" %}', {}))).toMatchObject({
      code: 'partial_not_found',
      line: 1,
      column: 1,
    });
    const engine = createEngine({ resolve: prompts({}) });
    expect(await error(engine.renderText('a\n{% if true %}{% render "nope" %}{% endif %}', {}))).toMatchObject({
      code: 'partial_not_found',
      line: 2,
      column: 14,
    });
  });

  it('an error inside a partial names the partial and points into it', async () => {
    const engine = createEngine({
      resolve: prompts({ bad: { source: 'ok\n{{ 1 | nope }}' }, outer: { source: '{% render "bad" %}' } }),
    });
    const e = await error(engine.renderText('{% render "outer" %}', {}));
    expect(e).toMatchObject({ code: 'unknown_filter', path: 'bad', line: 2, column: 8 });
  });

  it('render takes a quoted name and name: value arguments only', async () => {
    const engine = createEngine({ resolve: prompts({ p: { source: 'p' } }) });
    expect(await error(engine.renderText('{% render p %}', { p: 'p' }))).toMatchObject({
      code: 'invalid_render',
      line: 1,
      column: 1,
    });
    expect((await error(engine.renderText('{% render "p" with x %}', { x: 1 }))).code).toBe('invalid_render');
    expect((await error(engine.renderText('{% render "p" for x as y %}', { x: [] }))).code).toBe('invalid_render');
  });
});

describe('render: cycles are found before rendering', () => {
  it('a → b → a names the cycle, at the tag that closes it', async () => {
    const engine = createEngine({
      resolve: prompts({ a: { source: 'A {% render "b" %}' }, b: { source: 'B\n {% render "a" %}' } }),
    });
    const e = await error(engine.renderText('A {% render "b" %}', {}, { name: 'a' }));
    expect(e).toMatchObject({
      code: 'render_cycle',
      path: 'b',
      line: 2,
      column: 2,
      details: { cycle: ['a', 'b', 'a'] },
    });
    expect(e.message).toContain('a → b → a');
  });

  it('render tags inside liquid, capture and loops are linked too', async () => {
    const engine = createEngine({
      resolve: prompts({
        a: { source: '{% liquid\n  render "b"\n%}' },
        b: { source: '{% for i in (1..2) %}{% capture c %}{% render "a" %}{% endcapture %}{% endfor %}' },
      }),
    });
    const e = await error(engine.renderText('{% render "a" %}', {}, { name: 'root' }));
    expect(e.message).toContain('a → b → a');
    const ok = createEngine({ resolve: prompts({ p: { source: '[{{ x }}]', parameters: [str('x')] } }) });
    expect(await ok.renderText('{% liquid\nfor i in list\n  render "p", x: i\nendfor\n%}', { list: ['1', '2'] })).toBe(
      '[1][2]',
    );
  });

  it('a self-render', async () => {
    const engine = createEngine({ resolve: prompts({ me: { source: '{% render "me" %}' } }) });
    const e = await error(engine.renderText('{% render "me" %}', {}, { name: 'me' }));
    expect(e.message).toContain('me → me');
  });

  it('a cycle below the root, and a diamond that is not a cycle', async () => {
    const resolve = prompts({
      x: { source: '{% render "y" %}' },
      y: { source: '{% render "x" %}' },
      l: { source: '{% render "z" %}' },
      r: { source: '{% render "z" %}' },
      z: { source: 'z' },
    });
    const engine = createEngine({ resolve });
    expect((await error(engine.renderText('{% render "x" %}', {}, { name: 'root' }))).message).toContain('x → y → x');
    expect(await engine.renderText('{% render "l" %}{% render "r" %}', {}, { name: 'root' })).toBe('zz');
  });
});
