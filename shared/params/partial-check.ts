import type { Parameter } from '../domain/parameter';
import type { PartialResolver } from '../template/link';
import type { ParamIssue, SourceLocation } from './issues';

/**
 * Checks one `{% render 'ref', a: x %}` against the partial it names. `render` isolates scope, so everything
 * the partial reads must come in as an argument: a required parameter (or a variable the partial reads but
 * does not declare) that is not passed is `missing_partial_argument`; an optional one may be left out (it is
 * nil). `readsOf` lists the variables a partial's source reads.
 */
export function partialIssues(
  resolve: PartialResolver,
  readsOf: (source: string) => string[],
  from: string,
  ref: string,
  passed: readonly string[],
  where: SourceLocation,
): { issues: ParamIssue[]; parameters: Parameter[] } {
  const src = resolve(ref, from);
  if (!src) {
    return {
      issues: [
        { code: 'partial_not_found', name: ref, message: `{% render '${ref}' %}: there is no such prompt`, ...where },
      ],
      parameters: [],
    };
  }
  const parameters = src.parameters ?? [];
  let reads: string[];
  try {
    reads = readsOf(src.source);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return {
      issues: [{ code: 'partial_error', name: ref, message: `"${src.name}" does not parse: ${why}`, ...where }],
      parameters,
    };
  }
  const issues: ParamIssue[] = [];
  const given = new Set(passed);
  const declared = new Map(parameters.map((p) => [p.name, p]));
  const needed = new Set<string>();
  for (const p of parameters) if (p.required && p.default === undefined) needed.add(p.name);
  for (const name of reads) if (!declared.has(name)) needed.add(name);
  for (const name of needed) {
    if (!given.has(name)) {
      issues.push({
        code: 'missing_partial_argument',
        name,
        message: `{% render '${ref}' %} must pass "${name}": "${src.name}" needs it`,
        ...where,
      });
    }
  }
  const known = new Set([...declared.keys(), ...reads]);
  for (const name of passed) {
    if (!known.has(name)) {
      issues.push({
        code: 'unknown_partial_argument',
        name,
        message: `"${src.name}" has no parameter "${name}"`,
        ...where,
      });
    }
  }
  return { issues, parameters };
}
