import type { AnvilErrorInfo } from '../../../shared/domain';
import type { ParamIssue } from '../../../shared/params';

/**
 * A problem in a prompt, where the editor marks it and the problems list shows it. Line and column are
 * 1-based like the engine's errors (and Monaco's markers); `source` is the chat message's index, absent for a
 * text prompt's template and for problems without a place (an unused parameter).
 */
export interface Problem {
  code: string;
  message: string;
  severity: 'error' | 'warning' | 'info';
  source?: number;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** The parameter a reconciliation problem is about (the one-click fix acts on it). */
  parameter?: string;
}

const WORD = /[\w.-]/;

/**
 * The range to underline for a problem reported at (line, column): the `{{ … }}` or `{% … %}` starting there,
 * else the word starting there, else one character. Out-of-range positions are clamped into the source so a
 * stale error never throws in the editor.
 */
export function problemRange(
  source: string,
  line: number,
  column: number,
): { line: number; column: number; endLine: number; endColumn: number } {
  const lines = source.split('\n');
  const l = Math.min(Math.max(1, Math.floor(line) || 1), lines.length);
  const text = lines[l - 1] ?? '';
  const c = Math.min(Math.max(1, Math.floor(column) || 1), text.length + 1);
  const rest = text.slice(c - 1);
  let length = 0;
  if (rest.startsWith('{{') || rest.startsWith('{%')) {
    const close = rest.indexOf(rest[1] === '{' ? '}}' : '%}');
    length = close === -1 ? rest.length : close + 2;
  } else {
    while (length < rest.length && WORD.test(rest[length] ?? '')) length++;
  }
  return { line: l, column: c, endLine: l, endColumn: c + Math.max(1, length) };
}

/** Which chat message an engine error is in: its `path` is `messages[i]`. */
export function messageIndexOf(err: AnvilErrorInfo): number | undefined {
  const m = /^messages\[(\d+)\]/.exec(err.path ?? '');
  return m ? Number(m[1]) : undefined;
}

/** An engine error (parse or render) as a problem, ranged in its source when it has a position. */
export function errorProblem(err: AnvilErrorInfo, sourceText: string | undefined, source?: number): Problem {
  const base: Problem = {
    code: err.code,
    message: err.message,
    severity: 'error',
    ...(source === undefined ? {} : { source }),
  };
  if (err.line === undefined || sourceText === undefined) return base;
  return { ...base, ...problemRange(sourceText, err.line, err.column ?? 1) };
}

const ISSUE_SEVERITY: Record<ParamIssue['code'], Problem['severity']> = {
  undeclared_parameter: 'warning',
  unused_parameter: 'info',
  type_conflict: 'warning',
  missing_partial_argument: 'error',
  unknown_partial_argument: 'error',
  partial_not_found: 'error',
  partial_error: 'error',
};

/** A reconciliation or partial-check issue as a problem; `sources` are the prompt's templates by index. */
export function issueProblem(
  issue: ParamIssue,
  sourceText: (index: number | undefined) => string | undefined,
): Problem {
  const base: Problem = {
    code: issue.code,
    message: issue.message,
    severity: ISSUE_SEVERITY[issue.code],
    parameter: issue.name,
    ...(issue.source === undefined ? {} : { source: issue.source }),
  };
  const text = sourceText(issue.source);
  if (issue.line === undefined || text === undefined) return base;
  return { ...base, ...problemRange(text, issue.line, issue.column ?? 1) };
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

/** Problems in reading order: by message, line, column; those without a place last; errors first on ties. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      (a.source ?? -1) - (b.source ?? -1) ||
      (a.line ?? Infinity) - (b.line ?? Infinity) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      RANK[a.severity] - RANK[b.severity],
  );
}

/** The next (or previous) located problem after a cursor position, wrapping around: F8 / Shift+F8. */
export function nextProblem(
  problems: readonly Problem[],
  from: { source?: number; line: number; column: number },
  direction: 1 | -1,
): Problem | undefined {
  const located = sortProblems(problems).filter((p) => p.line !== undefined);
  if (located.length === 0) return undefined;
  const key = (p: { source?: number; line?: number; column?: number }) =>
    [p.source ?? -1, p.line ?? 0, p.column ?? 0] as const;
  const cmp = (a: readonly number[], b: readonly number[]) =>
    (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0) || (a[2] ?? 0) - (b[2] ?? 0);
  const here = key(from);
  if (direction === 1) return located.find((p) => cmp(key(p), here) > 0) ?? located[0];
  return [...located].reverse().find((p) => cmp(key(p), here) < 0) ?? located[located.length - 1];
}
