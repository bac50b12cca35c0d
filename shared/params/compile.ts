import type { Parameter, ParamType } from '../domain/parameter';
import { RESERVED_KEYS } from '../template/allow-list';

/** Returned by a compiled check when the value does not fit; the slow path then says why. */
export const FAIL: unique symbol = Symbol('fail');
type Check = (v: unknown) => unknown;

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

export const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

const compiledTypes = new WeakMap<ParamType, Check>();

/**
 * A checker for one type that copies a fitting value (declared keys only, missing optional ones nil) or
 * returns FAIL, building no paths or messages: the render path pays for validation only this much.
 */
function compileType(t: ParamType): Check {
  const hit = compiledTypes.get(t);
  if (hit) return hit;
  let check: Check;
  switch (t.type) {
    case 'string': {
      const allowed = t.enum ? new Set<unknown>(t.enum) : undefined;
      check = (v) => (typeof v === 'string' && (!allowed || allowed.has(v)) ? v : FAIL);
      break;
    }
    case 'number':
    case 'integer': {
      const allowed = t.enum ? new Set<unknown>(t.enum) : undefined;
      const integer = t.type === 'integer';
      check = (v) =>
        typeof v === 'number' && Number.isFinite(v) && (!integer || Number.isInteger(v)) && (!allowed || allowed.has(v))
          ? v
          : FAIL;
      break;
    }
    case 'boolean':
      check = (v) => (typeof v === 'boolean' ? v : FAIL);
      break;
    case 'array': {
      const item = compileType(t.items);
      check = (v) => {
        if (!Array.isArray(v)) return FAIL;
        const copy: unknown[] = new Array(v.length);
        for (let i = 0; i < v.length; i++) if ((copy[i] = item(v[i])) === FAIL) return FAIL;
        return copy;
      };
      break;
    }
    case 'object': {
      const fields = Object.entries(t.properties).map(([name, type]) => ({
        name,
        check: compileType(type),
        required: t.required?.includes(name) ?? false,
      }));
      const known = new Set(fields.map((f) => f.name));
      const reserved = fields.some((f) => RESERVED_KEYS.has(f.name));
      check = (v) => {
        if (reserved || !isPlainObject(v)) return FAIL;
        for (const key in v) if (hasOwn(v, key) && !known.has(key) && !RESERVED_KEYS.has(key)) return FAIL;
        const copy: Record<string, unknown> = {};
        for (const f of fields) {
          const x = hasOwn(v, f.name) ? v[f.name] : undefined;
          if (x === undefined || x === null) {
            if (f.required) return FAIL;
            copy[f.name] = null;
          } else if ((copy[f.name] = f.check(x)) === FAIL) return FAIL;
        }
        return copy;
      };
      break;
    }
  }
  compiledTypes.set(t, check);
  return check;
}

type CompiledParams = (values: Record<string, unknown>) => Record<string, unknown> | typeof FAIL;
const compiledLists = new WeakMap<readonly Parameter[], CompiledParams>();

/** The fast path of checkParameters for one declared list, compiled once per list (prompts keep theirs). */
export function compileParameters(declared: readonly Parameter[]): CompiledParams {
  const hit = compiledLists.get(declared);
  if (hit) return hit;
  const fields = declared.map((p) => ({
    name: p.name,
    check: compileType(p.type),
    required: p.required,
    fallback: p.default === undefined ? undefined : compileType(p.type)(p.default),
  }));
  const known = new Set(fields.map((f) => f.name));
  const broken = fields.some((f) => RESERVED_KEYS.has(f.name) || f.fallback === FAIL);
  const compiled: CompiledParams = (values) => {
    if (broken || values === null || typeof values !== 'object') return FAIL;
    for (const key in values) if (hasOwn(values, key) && !known.has(key) && !RESERVED_KEYS.has(key)) return FAIL;
    const out = Object.create(null) as Record<string, unknown>;
    for (const f of fields) {
      const v = hasOwn(values, f.name) ? values[f.name] : undefined;
      if (v === undefined || v === null) {
        if (f.fallback !== undefined) out[f.name] = f.fallback;
        else if (f.required) return FAIL;
        else out[f.name] = null;
      } else if ((out[f.name] = f.check(v)) === FAIL) return FAIL;
    }
    return out;
  };
  compiledLists.set(declared, compiled);
  return compiled;
}
