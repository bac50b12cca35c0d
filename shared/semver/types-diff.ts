import { describeType, type ParamType } from '../domain/parameter';
import { canonicalJson } from '../domain/hash';
import { reason, type ChangeReason } from './reasons';

/** A named input with a required flag: a top-level parameter or a property of an object parameter. */
export interface Field {
  name: string;
  type: ParamType;
  required: boolean;
}

type Where = { prompt?: string };

const enumOf = (t: ParamType): readonly unknown[] | undefined => ('enum' in t ? t.enum : undefined);
const fmt = (values: readonly unknown[]): string => values.map((v) => JSON.stringify(v)).join(', ');

/**
 * How a parameter's type changed, seen from the caller who supplies the value: accepting more (integer →
 * number, an enum dropped, an enum value added) is minor; accepting less or something else is major.
 */
export function compareTypes(prev: ParamType, next: ParamType, path: string, where: Where): ChangeReason[] {
  const at = { ...where, parameter: path };
  const out: ChangeReason[] = [];
  if (prev.type !== next.type) {
    // integer → number is the one change of base type every old value survives.
    if (!(prev.type === 'integer' && next.type === 'number')) {
      const code =
        prev.type === 'number' && next.type === 'integer' ? 'parameter_type_narrowed' : 'parameter_type_changed';
      return [
        reason(code, `parameter \`${path}\` changed type from ${describeType(prev)} to ${describeType(next)}`, at),
      ];
    }
    out.push(reason('parameter_type_widened', `parameter \`${path}\` now accepts any number, not only integers`, at));
  }
  if (prev.type === 'array' && next.type === 'array') return compareTypes(prev.items, next.items, `${path}[]`, where);
  if (prev.type === 'object' && next.type === 'object') {
    const fields = (t: typeof prev): Field[] =>
      Object.entries(t.properties).map(([name, type]) => ({ name, type, required: (t.required ?? []).includes(name) }));
    return compareFields(fields(prev), fields(next), `${path}.`, where);
  }
  return [...out, ...compareEnums(enumOf(prev), enumOf(next), next.type, path, at)];
}

function compareEnums(
  before: readonly unknown[] | undefined,
  after: readonly unknown[] | undefined,
  base: string,
  path: string,
  at: { prompt?: string; parameter: string },
): ChangeReason[] {
  if (!before && !after) return [];
  if (before && !after)
    return [
      reason('parameter_type_widened', `parameter \`${path}\` accepts any ${base} now, not only ${fmt(before)}`, at),
    ];
  if (!before && after)
    return [reason('parameter_type_narrowed', `parameter \`${path}\` now accepts only ${fmt(after)}`, at)];
  const has = (list: readonly unknown[] | undefined, v: unknown): boolean =>
    (list ?? []).some((w) => canonicalJson(w) === canonicalJson(v));
  const removed = (before ?? []).filter((v) => !has(after, v));
  const added = (after ?? []).filter((v) => !has(before, v));
  const out: ChangeReason[] = [];
  if (removed.length > 0)
    out.push(reason('enum_value_removed', `parameter \`${path}\` no longer accepts ${fmt(removed)}`, at));
  if (added.length > 0) out.push(reason('enum_value_added', `parameter \`${path}\` also accepts ${fmt(added)}`, at));
  return out;
}

/**
 * Removed, added, renamed and re-typed inputs. Parameters have no ids, so a rename is inferred when exactly one
 * input disappeared and exactly one appeared with the same type: a rename is major either way, the inference
 * only makes the message truer.
 */
export function compareFields(prev: Field[], next: Field[], prefix: string, where: Where): ChangeReason[] {
  const out: ChangeReason[] = [];
  const nextByName = new Map(next.map((f) => [f.name, f]));
  const prevNames = new Set(prev.map((f) => f.name));
  const removed = prev.filter((f) => !nextByName.has(f.name));
  const added = next.filter((f) => !prevNames.has(f.name));
  const [gone] = removed;
  const [fresh] = added;
  const renamed =
    removed.length === 1 &&
    added.length === 1 &&
    gone &&
    fresh &&
    canonicalJson(gone.type) === canonicalJson(fresh.type)
      ? { gone, fresh }
      : null;

  if (renamed) {
    const path = prefix + renamed.fresh.name;
    out.push(
      reason('parameter_renamed', `parameter \`${prefix}${renamed.gone.name}\` was renamed to \`${path}\``, {
        ...where,
        parameter: path,
      }),
    );
    if (renamed.fresh.required && !renamed.gone.required)
      out.push(
        reason('parameter_became_required', `parameter \`${path}\` became required`, { ...where, parameter: path }),
      );
  } else {
    for (const f of removed)
      out.push(
        reason('parameter_removed', `parameter \`${prefix}${f.name}\` was removed`, {
          ...where,
          parameter: prefix + f.name,
        }),
      );
    for (const f of added) {
      const path = prefix + f.name;
      out.push(
        f.required
          ? reason('parameter_required_added', `required parameter \`${path}\` was added`, {
              ...where,
              parameter: path,
            })
          : reason('parameter_optional_added', `optional parameter \`${path}\` was added`, {
              ...where,
              parameter: path,
            }),
      );
    }
  }

  for (const before of prev) {
    const after = nextByName.get(before.name);
    if (!after) continue;
    const path = prefix + before.name;
    if (!before.required && after.required)
      out.push(
        reason('parameter_became_required', `parameter \`${path}\` became required`, { ...where, parameter: path }),
      );
    if (before.required && !after.required)
      out.push(
        reason('parameter_became_optional', `parameter \`${path}\` became optional`, { ...where, parameter: path }),
      );
    out.push(...compareTypes(before.type, after.type, path, where));
  }
  return out;
}
