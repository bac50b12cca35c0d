import { describe, expect, it } from 'vitest';
import type { Parameter } from '../domain/parameter';
import { Parameter as ParameterSchema } from '../domain/parameter';
import { createEngine } from '../template/engine';
import { extractVariables } from './extract';
import { proposeParameters, reconcileParameters } from './reconcile';

const engine = createEngine();
const p = (name: string, type: Parameter['type']): Parameter => ({ name, type, required: true, description: '' });

describe('reconcileParameters', () => {
  const src =
    '{{ user.name }}\n{% for t in tags %}{{ t }}{% endfor %} {{ total | plus: 1 }} {{ fresh }} {{ level | times: 2 }}';
  const declared = [
    p('user', { type: 'string' }),
    p('tags', { type: 'array', items: { type: 'string' } }),
    p('total', { type: 'string' }),
    p('level', { type: 'integer' }),
    p('unused', { type: 'boolean' }),
  ];

  it('lists used-but-undeclared, declared-but-unused and type conflicts, with locations', () => {
    const issues = reconcileParameters(declared, extractVariables(engine, src));
    expect(issues).toEqual([
      {
        code: 'type_conflict',
        name: 'user',
        message: expect.stringContaining('property path') as string,
        line: 1,
        column: 4,
      },
      {
        code: 'type_conflict',
        name: 'total',
        message: expect.stringContaining('number') as string,
        line: 2,
        column: 43,
      },
      { code: 'undeclared_parameter', name: 'fresh', message: expect.any(String) as string, line: 2, column: 65 },
      { code: 'unused_parameter', name: 'unused', message: expect.any(String) as string },
    ]);
  });

  it('object properties read but not declared are conflicts; declared ones fit', () => {
    const x = extractVariables(engine, '{{ u.name }} {{ u.age | plus: 1 }}');
    expect(
      reconcileParameters(
        [p('u', { type: 'object', properties: { name: { type: 'string' }, age: { type: 'number' } } })],
        x,
      ),
    ).toEqual([]);
    const issues = reconcileParameters([p('u', { type: 'object', properties: { name: { type: 'string' } } })], x);
    expect(issues.map((i) => i.message)).toEqual(['u.age is read but u declares no property "age"']);
  });

  it('proposes parameters for the undeclared ones, valid against the schema', () => {
    const x = extractVariables(
      engine,
      '{{ fresh }} {% for o in orders %}{{ o.total | plus: 1 }}{% endfor %} {{ n | minus: 1 }}',
    );
    const proposed = proposeParameters([p('n', { type: 'number' })], x);
    expect(proposed).toEqual([
      { name: 'fresh', type: { type: 'string' }, required: true, description: '' },
      {
        name: 'orders',
        type: { type: 'array', items: { type: 'object', properties: { total: { type: 'number' } } } },
        required: true,
        description: '',
      },
    ]);
    for (const q of proposed) expect(ParameterSchema.safeParse(q).success).toBe(true);
  });
});
