import { canonicalJson, type ParamType, type Parameter } from '../domain';
import type { ParameterChange, ParameterField } from './types';

const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

/**
 * A type written out whole, for people: `string`, `array<number>`, `object{name: string, age?: integer}`,
 * `"calm" | "warm"` (nested enums are part of the type; the top-level enum is its own field). Unlike
 * `describeType`, it shows object properties' types, so a nested change reads as a change of the text.
 */
export function typeText(t: ParamType): string {
  switch (t.type) {
    case 'array':
      return `array<${typeText(t.items)}>`;
    case 'object': {
      const required = new Set(t.required ?? []);
      const props = Object.entries(t.properties).map(([k, v]) => `${k}${required.has(k) ? '' : '?'}: ${typeText(v)}`);
      return `object{${props.join(', ')}}`;
    }
    case 'string':
    case 'number':
    case 'integer':
      return t.enum ? t.enum.map((v) => JSON.stringify(v)).join(' | ') : t.type;
    default:
      return t.type;
  }
}

/** The type without its top-level enum: the enum is compared (and shown) as a field of its own. */
function baseType(t: ParamType): ParamType {
  if ('enum' in t && t.enum !== undefined) {
    const { enum: _enum, ...rest } = t;
    return rest as ParamType;
  }
  return t;
}

const enumOf = (t: ParamType): unknown[] | null => ('enum' in t && t.enum ? [...t.enum] : null);

/**
 * Which fields of a parameter changed. `type` is compared structurally (canonical JSON, key order ignored) and
 * reported as text (`typeText`) so the UI can show it as is; `enum` as the value lists (null when absent);
 * `default` as the raw values (undefined when absent).
 */
function changedFields(before: Parameter, after: Parameter): ParameterChange['fields'] {
  const fields: ParameterChange['fields'] = [];
  const push = (field: ParameterField, b: unknown, a: unknown): void => {
    if (!same(b, a)) fields.push({ field, before: b, after: a });
  };
  const [tb, ta] = [baseType(before.type), baseType(after.type)];
  if (!same(tb, ta)) fields.push({ field: 'type', before: typeText(tb), after: typeText(ta) });
  push('required', before.required, after.required);
  push('default', before.default, after.default);
  push('description', before.description, after.description);
  push('enum', enumOf(before.type), enumOf(after.type));
  return fields;
}

/**
 * Parameters matched by name (they have no id: a renamed parameter is one removed and one added; the
 * classification's reasons still say "renamed"). In the after order, removed ones last; unchanged ones are
 * left out.
 */
export function compareParameters(before: Parameter[], after: Parameter[]): ParameterChange[] {
  const old = new Map(before.map((p) => [p.name, p]));
  const kept = new Set(after.map((p) => p.name));
  const out: ParameterChange[] = [];
  for (const a of after) {
    const b = old.get(a.name);
    if (!b) {
      out.push({ name: a.name, status: 'added', fields: [], before: null, after: a });
      continue;
    }
    const fields = changedFields(b, a);
    if (fields.length > 0) out.push({ name: a.name, status: 'changed', fields, before: b, after: a });
  }
  for (const b of before)
    if (!kept.has(b.name)) out.push({ name: b.name, status: 'removed', fields: [], before: b, after: null });
  return out;
}
