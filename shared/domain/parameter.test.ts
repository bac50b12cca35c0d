import { describe, expect, it } from 'vitest';
import { describeType, Parameter, ParamType } from './index';

describe('ParamType', () => {
  it('accepts the JSON Schema subset, nested', () => {
    const nested = {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
          age: { type: 'integer' },
        },
        required: ['name'],
      },
    };
    expect(ParamType.parse(nested)).toEqual(nested);
    for (const t of [
      { type: 'boolean' },
      { type: 'number', enum: [1.5, 2] },
      { type: 'integer', enum: [1, 2] },
      { type: 'object', properties: {} },
    ])
      expect(ParamType.safeParse(t).success).toBe(true);
  });

  it('refuses unknown types, extra keys, empty or mistyped enums and a bad nested item', () => {
    for (const t of [
      { type: 'date' },
      { type: 'string', format: 'email' },
      { type: 'string', enum: [] },
      { type: 'string', enum: [1] },
      { type: 'integer', enum: [1.5] },
      { type: 'boolean', enum: [true] },
      { type: 'array' },
      { type: 'array', items: { type: 'object', properties: { x: { type: 'nope' } } } },
    ])
      expect(ParamType.safeParse(t).success, JSON.stringify(t)).toBe(false);
  });

  it('describes types briefly for messages', () => {
    expect(describeType({ type: 'array', items: { type: 'string' } })).toBe('array<string>');
    expect(describeType({ type: 'string', enum: ['calm', 'warm'] })).toBe('"calm" | "warm"');
    expect(describeType({ type: 'object', properties: { a: { type: 'number' }, b: { type: 'boolean' } } })).toBe(
      'object{a, b}',
    );
    expect(describeType({ type: 'boolean' })).toBe('boolean');
  });
});

describe('Parameter', () => {
  it('fills the description and keeps a default', () => {
    expect(Parameter.parse({ name: 'tone', type: { type: 'string' }, required: false, default: 'calm' })).toEqual({
      name: 'tone',
      type: { type: 'string' },
      required: false,
      default: 'calm',
      description: '',
    });
  });

  it('names are template identifiers', () => {
    for (const name of ['name', '_x', 'userName', 'user_name', 'a-b'])
      expect(Parameter.safeParse({ name, type: { type: 'string' }, required: true }).success).toBe(true);
    for (const name of ['', '1st', 'user.name', 'a b', 'x'.repeat(65)])
      expect(Parameter.safeParse({ name, type: { type: 'string' }, required: true }).success, name).toBe(false);
  });

  it('refuses unknown keys and a missing required flag', () => {
    expect(Parameter.safeParse({ name: 'x', type: { type: 'string' } }).success).toBe(false);
    expect(Parameter.safeParse({ name: 'x', type: { type: 'string' }, required: true, optional: true }).success).toBe(
      false,
    );
  });
});
