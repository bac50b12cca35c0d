import type { Parameter, ParamType } from '../domain/parameter';
import { describeType } from '../domain/parameter';
import { AnvilError } from '../domain/result';
import { RESERVED_KEYS } from '../template/allow-list';
import { FAIL, compileParameters, isPlainObject } from './compile';

/** One problem with one value; `path` is where it is (`user.name`, `items[2]`). */
export interface ParamProblem {
  code: 'missing' | 'wrong_type' | 'not_in_enum' | 'not_integer' | 'unknown' | 'reserved_name';
  path: string;
  message: string;
}

export interface ParamCheck {
  /** The values to render with: own properties only, declared keys only, defaults applied, missing optional ones nil. */
  values: Record<string, unknown>;
  problems: ParamProblem[];
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return typeof v;
}

/**
 * Checks one value against its type and returns a clean copy (plain objects with declared keys only, so a
 * polluted prototype or a stray `__proto__` key never reaches a template).
 */
function check(t: ParamType, v: unknown, path: string, out: ParamProblem[]): unknown {
  const wrong = (): undefined => {
    out.push({ code: 'wrong_type', path, message: `${path} should be ${describeType(t)}, got ${kindOf(v)}` });
    return undefined;
  };
  switch (t.type) {
    case 'string':
      if (typeof v !== 'string') return wrong();
      if (t.enum && !t.enum.includes(v))
        out.push({
          code: 'not_in_enum',
          path,
          message: `${path} should be one of ${describeType(t)}, got ${JSON.stringify(v)}`,
        });
      return v;
    case 'number':
    case 'integer':
      if (typeof v !== 'number' || !Number.isFinite(v)) return wrong();
      if (t.type === 'integer' && !Number.isInteger(v))
        out.push({ code: 'not_integer', path, message: `${path} should be a whole number, got ${v}` });
      else if (t.enum && !t.enum.includes(v))
        out.push({ code: 'not_in_enum', path, message: `${path} should be one of ${describeType(t)}, got ${v}` });
      return v;
    case 'boolean':
      return typeof v === 'boolean' ? v : wrong();
    case 'array': {
      if (!Array.isArray(v)) return wrong();
      const copy: unknown[] = new Array(v.length);
      for (let i = 0; i < v.length; i++) copy[i] = check(t.items, v[i], `${path}[${i}]`, out);
      return copy;
    }
    case 'object':
      if (!isPlainObject(v)) return wrong();
      return checkFields(t.properties, new Set(t.required ?? []), v, path, out);
  }
}

function checkFields(
  props: Record<string, ParamType>,
  required: ReadonlySet<string>,
  v: Record<string, unknown>,
  path: string,
  out: ParamProblem[],
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(props)) {
    const p = `${path}.${name}`;
    if (RESERVED_KEYS.has(name)) {
      out.push({ code: 'reserved_name', path: p, message: `"${name}" cannot be a property name` });
      continue;
    }
    const value = hasOwn(v, name) ? v[name] : undefined;
    if (value === undefined || value === null) {
      if (required.has(name)) out.push({ code: 'missing', path: p, message: `${p} is required` });
      // Present as nil, so `{% if user.email %}` works under strict variables.
      copy[name] = null;
    } else copy[name] = check(type, value, p, out);
  }
  for (const key of Object.keys(v)) {
    if (!hasOwn(props, key) && !RESERVED_KEYS.has(key)) {
      out.push({ code: 'unknown', path: `${path}.${key}`, message: `${path}.${key} is not a declared property` });
    }
  }
  return copy;
}

/** Like validateParameters, but returns the problems instead of throwing (forms, the studio's preview). */
export function checkParameters(declared: readonly Parameter[], values: Record<string, unknown>): ParamCheck {
  const problems: ParamProblem[] = [];
  // Null prototype: a parameter named like an Object.prototype member is just a key here.
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const given = values !== null && typeof values === 'object' ? values : {};
  const known = new Set<string>();
  for (const p of declared) {
    known.add(p.name);
    if (RESERVED_KEYS.has(p.name)) {
      problems.push({ code: 'reserved_name', path: p.name, message: `"${p.name}" cannot be a parameter name` });
      continue;
    }
    const v = hasOwn(given, p.name) ? given[p.name] : undefined;
    if (v === undefined || v === null) {
      if (p.default !== undefined) out[p.name] = check(p.type, p.default, p.name, problems);
      else if (p.required) problems.push({ code: 'missing', path: p.name, message: `${p.name} is required` });
      // Optional without a default: present as nil, so it renders empty and is safe in `{% if %}`.
      else out[p.name] = null;
    } else out[p.name] = check(p.type, v, p.name, problems);
  }
  for (const key of Object.keys(given)) {
    if (!known.has(key) && !RESERVED_KEYS.has(key))
      problems.push({ code: 'unknown', path: key, message: `${key} is not a parameter of this prompt` });
  }
  return { values: out, problems };
}

/**
 * Checks values against declared parameters before a render: every wrong type (recursively), value outside
 * an enum, fraction for an integer, missing required and undeclared value, all reported at once in one
 * `invalid_parameters` error whose `details` lists each problem with its path. Returns the values to render.
 */
export function validateParameters(
  declared: readonly Parameter[],
  values: Record<string, unknown>,
): Record<string, unknown> {
  // Valid values (the usual case) take the compiled path; only a failure pays for paths and messages.
  const fast = compileParameters(declared)(values);
  if (fast !== FAIL) return fast;
  const { values: out, problems } = checkParameters(declared, values);
  if (problems.length > 0) throw invalidParameters(problems);
  return out;
}

export function invalidParameters(problems: ParamProblem[], prefix = ''): AnvilError {
  const head = problems
    .slice(0, 3)
    .map((p) => p.message)
    .join('; ');
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
  return new AnvilError({ code: 'invalid_parameters', message: `${prefix}${head}${more}`, details: problems });
}
