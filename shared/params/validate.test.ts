import { describe, expect, it } from 'vitest';
import type { Parameter } from '../domain/parameter';
import { AnvilError } from '../domain/result';
import { checkParameters, validateParameters } from './validate';

const p = (name: string, type: Parameter['type'], required = true, extra: Partial<Parameter> = {}): Parameter => ({
  name,
  type,
  required,
  description: '',
  ...extra,
});

const declared: Parameter[] = [
  p('name', { type: 'string' }),
  p('age', { type: 'integer' }),
  p('score', { type: 'number' }, false),
  p('tone', { type: 'string', enum: ['formal', 'casual'] }, false, { default: 'formal' }),
  p('vip', { type: 'boolean' }, false),
  p('tags', { type: 'array', items: { type: 'string' } }, false),
  p(
    'user',
    {
      type: 'object',
      properties: {
        name: { type: 'string' },
        email: { type: 'string' },
        orders: {
          type: 'array',
          items: { type: 'object', properties: { total: { type: 'number' } }, required: ['total'] },
        },
      },
      required: ['name'],
    },
    false,
  ),
];

describe('validateParameters', () => {
  it('returns the values to render with: defaults applied, optional ones nil', () => {
    const out = validateParameters(declared, { name: 'a', age: 3 });
    expect({ ...out }).toEqual({ name: 'a', age: 3, score: null, tone: 'formal', vip: null, tags: null, user: null });
  });

  it('fills missing optional properties of objects with nil', () => {
    const out = validateParameters(declared, { name: 'a', age: 3, user: { name: 'u' } });
    expect(out['user']).toEqual({ name: 'u', email: null, orders: null });
  });

  it('reports every wrong, missing and extra value at once, recursively, with paths', () => {
    let err: unknown;
    try {
      validateParameters(declared, {
        age: 2.5,
        score: '9',
        tone: 'rude',
        vip: 'yes',
        tags: ['a', 2],
        user: { email: 5, orders: [{ total: 'x' }, {}], extra: true },
        stray: 1,
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AnvilError);
    const e = err as AnvilError;
    expect(e.code).toBe('invalid_parameters');
    const problems = e.details as { code: string; path: string }[];
    expect(problems.map((x) => `${x.code} ${x.path}`).sort()).toEqual(
      [
        'missing name',
        'not_integer age',
        'wrong_type score',
        'not_in_enum tone',
        'wrong_type vip',
        'wrong_type tags[1]',
        'missing user.name',
        'wrong_type user.email',
        'wrong_type user.orders[0].total',
        'missing user.orders[1].total',
        'unknown user.extra',
        'unknown stray',
      ].sort(),
    );
    expect(e.message).toContain('(and 9 more)');
  });

  it('refuses NaN and Infinity as numbers, and class instances as objects', () => {
    const { problems } = checkParameters([p('n', { type: 'number' }), p('o', { type: 'object', properties: {} })], {
      n: Number.NaN,
      o: new Date(),
    });
    expect(problems.map((x) => x.path)).toEqual(['n', 'o']);
  });

  it('a polluted prototype leaks nothing: inherited values are not read, __proto__ keys are dropped', () => {
    const inherited = Object.create({ name: 'from-proto', age: 1 }) as Record<string, unknown>;
    expect(checkParameters(declared, inherited).problems.map((x) => x.path)).toEqual(['name', 'age']);
    const json = JSON.parse(
      '{"name": "a", "age": 1, "__proto__": {"polluted": true}, "user": {"name": "u", "__proto__": {"x": 1}}}',
    ) as Record<string, unknown>;
    const out = validateParameters(declared, json);
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(Object.keys(out)).not.toContain('__proto__');
    expect(Object.getPrototypeOf(out['user'])).toBe(Object.prototype);
    expect((out['user'] as Record<string, unknown>)['x']).toBeUndefined();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses parameter names that reach JavaScript internals', () => {
    const { problems } = checkParameters([p('constructor', { type: 'string' })], { constructor: 'x' });
    expect(problems[0]?.code).toBe('reserved_name');
  });
});

describe('validateParameters: the compiled fast path agrees with the full check', () => {
  const valid: Record<string, unknown>[] = [
    { name: 'a', age: 3 },
    {
      name: 'a',
      age: 3,
      score: 1.5,
      tone: 'casual',
      vip: false,
      tags: [],
      user: { name: 'u', orders: [{ total: 1 }] },
    },
    { name: 'a', age: 3, user: { name: 'u', email: null, orders: null } },
    Object.assign(Object.create({ stray: 1 }) as object, { name: 'b', age: 0 }),
  ];
  it.each(valid.map((v, i) => [i, v] as const))('valid values #%i', (_i, v) => {
    const slow = checkParameters(declared, v);
    expect(slow.problems).toEqual([]);
    expect(validateParameters(declared, v)).toEqual(slow.values);
  });

  it('a declared default that does not fit its type is reported, never used', () => {
    const bad = [p('n', { type: 'integer' }, false, { default: 'x' })];
    expect(() => validateParameters(bad, {})).toThrow(expect.objectContaining({ code: 'invalid_parameters' }));
  });
});
