import type { Parameter, ParamType } from '../domain/parameter';
import { ParamName, describeType } from '../domain/parameter';
import type { Extraction } from './extract';
import { hintToParamType } from './hints';
import type { TypeHint } from './hints';
import type { ParamIssue } from './issues';

/** Why a hint and a declared type disagree, or undefined when they fit. */
function conflict(h: TypeHint, t: ParamType, path: string): string | undefined {
  switch (h.type) {
    case 'unknown':
      return undefined;
    case 'number':
      return t.type === 'number' || t.type === 'integer'
        ? undefined
        : `${path} is used as a number but declared ${describeType(t)}`;
    case 'array':
      if (t.type !== 'array') return `${path} is iterated as an array but declared ${describeType(t)}`;
      return conflict(h.items, t.items, `${path}[]`);
    case 'object':
      if (t.type !== 'object') return `${path} is read with a property path but declared ${describeType(t)}`;
      for (const [k, sub] of Object.entries(h.properties)) {
        const declared = Object.prototype.hasOwnProperty.call(t.properties, k) ? t.properties[k] : undefined;
        if (!declared) return `${path}.${k} is read but ${path} declares no property "${k}"`;
        const c = conflict(sub, declared, `${path}.${k}`);
        if (c) return c;
      }
      return undefined;
  }
}

/**
 * The template against its declared parameters: used but undeclared, declared but unused, and type
 * conflicts between what the template implies and what is declared; plus the extraction's `render` checks.
 * One list, each entry with a code, the parameter's name, a message and, where there is one, a location.
 */
export function reconcileParameters(declared: readonly Parameter[], extraction: Extraction): ParamIssue[] {
  const issues: ParamIssue[] = [...extraction.issues];
  const byName = new Map(declared.map((p) => [p.name, p]));
  const used = new Set<string>();
  for (const v of extraction.variables) {
    used.add(v.name);
    const first = v.locations[0];
    const at = first
      ? { line: first.line, column: first.column, ...(first.source === undefined ? {} : { source: first.source }) }
      : {};
    const p = byName.get(v.name);
    if (!p) {
      issues.push({
        code: 'undeclared_parameter',
        name: v.name,
        message: `"${v.name}" is used but not declared as a parameter`,
        ...at,
      });
      continue;
    }
    const why = conflict(v.hint, p.type, v.name);
    if (why) issues.push({ code: 'type_conflict', name: v.name, message: why, ...at });
  }
  for (const p of declared) {
    if (!used.has(p.name))
      issues.push({
        code: 'unused_parameter',
        name: p.name,
        message: `"${p.name}" is declared but the template never uses it`,
      });
  }
  return issues;
}

/** Parameters to add for the variables used but not declared: type from the hint, required, no description. */
export function proposeParameters(declared: readonly Parameter[], extraction: Extraction): Parameter[] {
  const known = new Set(declared.map((p) => p.name));
  return extraction.variables
    .filter((v) => !known.has(v.name) && ParamName.safeParse(v.name).success)
    .map((v) => ({ name: v.name, type: hintToParamType(v.hint), required: true, description: '' }));
}
