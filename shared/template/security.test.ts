import { describe, expect, it } from 'vitest';
import { AnvilError } from '../domain/result';
import { createEngine } from './engine';
import type { PartialSource } from './link';

/**
 * The reliability bar's hostile templates: each must end in a bounded, typed error (or an unchanged
 * output), well inside the test timeout. Limits are the defaults, as the studio and the SDK use them.
 */
async function failsFast(run: () => unknown, code: string | string[], withinMs = 2_500): Promise<AnvilError> {
  const start = performance.now();
  let caught: unknown;
  try {
    await run();
  } catch (e) {
    caught = e;
  }
  const took = performance.now() - start;
  expect(caught).toBeInstanceOf(AnvilError);
  expect(Array.isArray(code) ? code : [code]).toContain((caught as AnvilError).code);
  expect(took).toBeLessThan(withinMs);
  return caught as AnvilError;
}

describe('security: prototype and property access', () => {
  const engine = createEngine();

  it.each(['{{ constructor }}', '{{ __proto__ }}', '{{ toString }}', '{{ hasOwnProperty }}'])(
    '%s is an undefined variable, never a leak',
    async (src) => {
      const e = await failsFast(() => engine.renderText(src, {}), 'undefined_variable');
      expect(e).toMatchObject({ line: 1, column: 4 });
    },
  );

  it('{{ name.constructor.name }} and friends do not reach JavaScript internals', async () => {
    await failsFast(() => engine.renderText('{{ name.constructor.name }}', { name: 'x' }), 'undefined_variable');
    await failsFast(() => engine.renderText('{{ user.__proto__ }}', { user: { a: 1 } }), 'undefined_variable');
    await failsFast(() => engine.renderText('{{ list.constructor }}', { list: [1] }), 'undefined_variable');
    expect(await engine.renderText('{{ name | size }} {{ list.size }}', { name: 'abc', list: [1, 2] })).toBe('3 2');
  });

  it('a values object with a polluted prototype leaks nothing and changes nothing', async () => {
    const polluted = Object.create({ evil: 'EVIL', name: 'proto-name' }) as Record<string, unknown>;
    polluted['name'] = 'own';
    expect(await engine.renderText('{{ name }}', polluted)).toBe('own');
    await failsFast(() => engine.renderText('{{ evil }}', polluted), 'undefined_variable');
    const json = JSON.parse('{"name": "ada", "__proto__": {"x": 1, "name": "bad"}}') as Record<string, unknown>;
    expect(await engine.renderText('{{ name }}', json)).toBe('ada');
    await failsFast(() => engine.renderText('{{ x }}', json), 'undefined_variable');
    // Nested values too: liquidjs reads own properties only.
    const user = Object.create({ secret: 's' }) as Record<string, unknown>;
    user['name'] = 'u';
    await failsFast(() => engine.renderText('{{ user.secret }}', { user }), 'undefined_variable');
    expect(({} as Record<string, unknown>)['x']).toBeUndefined(); // nothing polluted Object.prototype
  });

  it('the same polluted values validated against declared parameters', async () => {
    const parameters = [{ name: 'name', type: { type: 'string' as const }, required: true, description: '' }];
    const json = JSON.parse('{"name": "ada", "__proto__": {"name": "bad"}}') as Record<string, unknown>;
    expect(await engine.renderText('{{ name }}', json, { parameters })).toBe('ada');
    expect(
      await engine.renderText('{{ name }}', Object.assign(Object.create({ evil: 1 }) as object, { name: 'b' }), {
        parameters,
      }),
    ).toBe('b');
  });
});

describe('security: resource bounds', () => {
  const engine = createEngine();

  it('a loop of 10^7 iterations is stopped', async () => {
    // Whichever bound it meets first on this machine: time, or output size.
    const e = await failsFast(
      () => engine.renderText('{% for i in (1..10000000) %}{{ i }}{% endfor %}', {}),
      ['render_timeout', 'output_too_large'],
    );
    expect(e.line).toBe(1);
  });

  it('an empty loop of 10^7 iterations hits the time limit', async () => {
    await failsFast(() => engine.renderText('{% for i in (1..10000000) %}{% endfor %}', {}), 'render_timeout');
  });

  it('a loop of 10^9 iterations is refused by the memory bound before it starts', async () => {
    const e = await failsFast(
      () => engine.renderText('x\n{% for i in (1..1000000000) %}x{% endfor %}', {}),
      'memory_limit',
      500,
    );
    expect(e).toMatchObject({ line: 2, column: 1 });
  });

  it('nested loops totalling 10^9 iterations stop on time or output', async () => {
    const src =
      '{% for i in (1..1000) %}{% for j in (1..1000) %}{% for k in (1..1000) %}{% endfor %}{% endfor %}{% endfor %}';
    await failsFast(() => engine.renderText(src, {}), 'render_timeout');
  });

  it('doubling concatenation is stopped by the memory bound', async () => {
    const src = '{% assign s = "xx" %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s }}';
    const e = await failsFast(() => engine.renderText(src, {}), 'memory_limit', 500);
    expect(e).toMatchObject({ line: 1, column: 44 });
  });

  it('an output of 100 MB is refused as soon as it passes the bound', async () => {
    const big = 'x'.repeat(100_000);
    await failsFast(
      () => engine.renderText('{% for i in (1..1000) %}{{ big }}{% endfor %}', { big }),
      'output_too_large',
      500,
    );
    await failsFast(
      () => Promise.resolve(engine.renderTextSync('{% for i in (1..1000) %}{{ big }}{% endfor %}', { big })),
      'output_too_large',
      500,
    );
  });

  it('a 10 MB template is refused before parsing', async () => {
    const huge = '{{ x }}'.repeat(1_500_000);
    await failsFast(() => engine.renderText(huge, { x: 1 }), 'template_too_large', 500);
    expect(() => engine.parse(huge)).toThrow(expect.objectContaining({ code: 'template_too_large' }));
  });

  it("many templates parsed over an engine's life never hit a cumulative parse limit", () => {
    const small = createEngine({ limits: { parseChars: 1_000, parseCacheEntries: 0 } });
    for (let i = 0; i < 50; i++)
      expect(small.renderTextSync(`${'a'.repeat(900)}{{ ${i} }}`, {}).length).toBeGreaterThan(900);
  });

  it('{{ "now" | date: "%999999999Y" }} is refused before allocating', async () => {
    const e = await failsFast(
      () => engine.renderText('ok\n{{ "now" | date: "%999999999Y" }}', {}),
      'invalid_date_format',
      500,
    );
    expect(e).toMatchObject({ line: 2, column: 1 });
    expect(await engine.renderText('{{ "2024-03-05T10:00:00Z" | date: "%Y-%m-%d %5H" }}', {})).toBe('2024-03-05 00010');
  });

  it('a self-including template is a render cycle, in well under a second', async () => {
    const resolve = (ref: string): PartialSource | undefined =>
      ref === 'loop' ? { name: 'loop', source: 'again {% render "loop" %}' } : undefined;
    const e = await failsFast(
      () => engine.renderText('{% render "loop" %}', {}, { name: 'loop', resolve }),
      'render_cycle',
      500,
    );
    expect(e.message).toContain('loop → loop');
  });
});
