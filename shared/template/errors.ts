import { LiquidError } from 'liquidjs';
import type { Token } from 'liquidjs';
import { AnvilError } from '../domain/result';

/**
 * Stable codes of template errors: the studio marks them in the editor, the SDK returns them to callers,
 * tests pin them. Messages may be reworded; codes never change meaning.
 */
export type TemplateErrorCode =
  | 'parse_error'
  | 'unknown_tag'
  | 'unknown_filter'
  | 'invalid_render'
  | 'template_too_large'
  | 'undefined_variable'
  | 'render_timeout'
  | 'memory_limit'
  | 'output_too_large'
  | 'invalid_date_format'
  | 'partial_not_found'
  | 'render_cycle'
  | 'missing_partial_argument'
  | 'invalid_parameters'
  | 'invalid_history'
  | 'render_error';

export function templateError(
  code: TemplateErrorCode,
  message: string,
  where: { line?: number; column?: number; path?: string; details?: unknown } = {},
): AnvilError {
  return new AnvilError({ code, message, ...where });
}

/** 1-based line and column of an offset in a source. */
export function positionAt(input: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = input.indexOf('\n'); i !== -1 && i < offset; i = input.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function tokenPosition(token: Token | undefined): { line?: number; column?: number } {
  if (!token) return {};
  const [line, column] = token.getPosition();
  return { line, column };
}

// liquidjs appends ", line:3, col:7" (and a source excerpt) to its messages; we report those as fields.
const bare = (message: string): string => message.replace(/, line:\d+, col:\d+[\s\S]*$/, '').split('\n')[0] ?? '';

/** The first AnvilError in an error's cause chain (ours, thrown from a tag, filter or emitter). */
function anvilCause(err: unknown): AnvilError | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 8; depth++) {
    if (e instanceof AnvilError) return e;
    e = (e as { originalError?: unknown }).originalError;
  }
  return undefined;
}

/** Column of a filter name inside an output or tag token, so the editor marks the name, not the `{{`. */
function filterPosition(token: Token, name: string): { line?: number; column?: number } {
  const text = token.input.slice(token.begin, token.end);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`\\|\\s*(${escaped})(?![\\w-])`).exec(text);
  if (!m) return tokenPosition(token);
  return positionAt(token.input, token.begin + m.index + m[0].length - name.length);
}

const BRANCH_WORDS = /^(end\w+|else|elsif|when)$/;

function classify(err: LiquidError): AnvilError {
  const token = err.token as Token | undefined;
  const original = err.originalError as (Error & { variableName?: string }) | undefined;
  const message = bare(original?.message ?? err.message);
  const at = tokenPosition(token);

  if (err.name === 'UndefinedVariableError') {
    const name = original?.variableName ?? message.replace(/^undefined variable: /, '');
    return templateError(
      'undefined_variable',
      `"${name}" is not defined: declare it as a parameter or assign it first`,
      at,
    );
  }
  const filter = /^undefined filter: (.+)$/.exec(message);
  if (filter?.[1] && token) {
    return templateError(
      'unknown_filter',
      `the filter "${filter[1]}" is not available in Anvil templates`,
      filterPosition(token, filter[1]),
    );
  }
  const tag = /^tag "(.+)" not found$/.exec(message);
  if (tag?.[1]) {
    return BRANCH_WORDS.test(tag[1])
      ? templateError('parse_error', `{% ${tag[1]} %} has no opening tag it belongs to`, at)
      : templateError('unknown_tag', `the tag "${tag[1]}" is not available in Anvil templates`, at);
  }
  if (message === 'memory alloc limit exceeded') {
    return templateError('memory_limit', 'the template uses too much memory (a range, loop or string too large)', at);
  }
  if (message === 'template render limit exceeded') {
    return templateError('render_timeout', 'the template takes too long to render (a loop too large?)', at);
  }
  const unclosed = /^(tag|output|raw) (.+) not closed$/.exec(message);
  if (unclosed) return templateError('parse_error', `${unclosed[2]} is not closed`, at);
  if (err.name === 'RenderError') return templateError('render_error', message, at);
  return templateError('parse_error', message, at);
}

/**
 * Any error out of liquidjs or our own code, as an AnvilError: a code, a message a person understands, the
 * line and column where known, never a stack.
 */
export function toAnvilError(err: unknown): AnvilError {
  const ours = anvilCause(err);
  if (ours) {
    if (ours.line === undefined && LiquidError.is(err)) {
      const at = tokenPosition(err.token);
      return new AnvilError({ ...ours.toJSON(), ...at });
    }
    return ours;
  }
  if (LiquidError.is(err)) return classify(err);
  const message = err instanceof Error ? err.message : String(err);
  return templateError('render_error', bare(message));
}
