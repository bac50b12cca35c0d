/**
 * What the cursor is in, from the text before it: where Liquid completion should offer tags, filters or
 * variables, and which loop variables and assigned names are in scope there. Plain string scanning, not the
 * engine's parser: the template is usually half-typed (and so unparseable) exactly when completion runs.
 */
export type CompletionSpot =
  | { kind: 'none' }
  /** Right after `{%` (or at the start of a line inside `{% liquid %}`): a tag name. */
  | { kind: 'tag'; prefix: string }
  /** Right after `|`: a filter name. */
  | { kind: 'filter'; prefix: string }
  /** Anywhere else inside `{{ }}` or `{% %}`: a variable, or a property after `name.`. */
  | { kind: 'variable'; prefix: string; object: string | null };

export interface Scope {
  /** Loop variables of the `for`/`tablerow` blocks the cursor is inside, innermost last. */
  loopVariables: string[];
  /** Names given by `assign`/`capture` before the cursor (Liquid scopes them to the rest of the template). */
  assigned: string[];
  /** Tags opened and not closed before the cursor, innermost last (for `end…`/`else` completion). */
  openTags: string[];
}

const BLOCKS = new Set(['if', 'unless', 'case', 'for', 'tablerow', 'capture', 'comment', 'raw']);

/** Quoted strings blanked out (same length), so a `|` or `}}` inside one is not syntax. */
function blankStrings(text: string): string {
  return text.replace(/"[^"]*"?|'[^']*'?/g, (m) => ' '.repeat(m.length));
}

/** Where the last unclosed `{{` or `{%` before `offset` starts, or -1. */
function openDelimiter(before: string): { at: number; kind: 'output' | 'tag' } | null {
  const output = before.lastIndexOf('{{');
  const tag = before.lastIndexOf('{%');
  const at = Math.max(output, tag);
  if (at === -1) return null;
  const closed = Math.max(before.lastIndexOf('}}'), before.lastIndexOf('%}'));
  if (closed > at) return null;
  return { at, kind: at === tag ? 'tag' : 'output' };
}

/** Whether `offset` is inside a `{% raw %}` or `{% comment %}` body, where nothing is Liquid. */
function inVerbatim(before: string): boolean {
  const re = /\{%-?\s*(raw|comment|endraw|endcomment)\s*-?%\}/g;
  let open = false;
  for (let m = re.exec(before); m; m = re.exec(before)) open = !m[1]?.startsWith('end');
  return open;
}

export function completionSpot(source: string, offset: number): CompletionSpot {
  const before = source.slice(0, offset);
  if (inVerbatim(before)) return { kind: 'none' };
  const open = openDelimiter(before);
  if (!open) return { kind: 'none' };
  const inside = blankStrings(before.slice(open.at + 2));
  // An unterminated string at the cursor: the user is typing text, not code.
  if (/["']/.test(before.slice(open.at + 2).replace(/"[^"]*"|'[^']*'/g, ''))) return { kind: 'none' };
  if (open.kind === 'tag') {
    const first = /^-?\s*([\w#]*)$/.exec(inside);
    if (first) return { kind: 'tag', prefix: first[1] ?? '' };
    // Inside `{% liquid %}` each line starts with a tag name.
    if (/^-?\s*liquid\b/.test(inside)) {
      const line = /\n\s*(\w*)$/.exec(inside);
      if (line) return { kind: 'tag', prefix: line[1] ?? '' };
    }
  }
  const filter = /\|\s*(\w*)$/.exec(inside);
  if (filter) return { kind: 'filter', prefix: filter[1] ?? '' };
  const word = /([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)?(\.)?([A-Za-z_][\w-]*)?$/.exec(inside);
  const path = word?.[1] ?? '';
  if (word?.[2] === '.') return { kind: 'variable', prefix: word[3] ?? '', object: path };
  const dot = path.lastIndexOf('.');
  if (dot > 0) return { kind: 'variable', prefix: path.slice(dot + 1), object: path.slice(0, dot) };
  return { kind: 'variable', prefix: path, object: null };
}

export function scopeAt(source: string, offset: number): Scope {
  const before = source.slice(0, offset);
  const stack: { tag: string; variable?: string }[] = [];
  const assigned: string[] = [];
  const re = /\{%-?\s*(\w+)([^%]*?)-?%\}/g;
  let verbatim: string | null = null;
  for (let m = re.exec(before); m; m = re.exec(before)) {
    const tag = m[1] ?? '';
    const rest = m[2] ?? '';
    if (verbatim) {
      if (tag === `end${verbatim}`) {
        verbatim = null;
        stack.pop();
      }
      continue;
    }
    if (tag === 'raw' || tag === 'comment') {
      verbatim = tag;
      stack.push({ tag });
    } else if (tag === 'for' || tag === 'tablerow') {
      const v = /^\s*([A-Za-z_][\w-]*)\s+in\b/.exec(rest);
      stack.push({ tag, ...(v?.[1] ? { variable: v[1] } : {}) });
    } else if (BLOCKS.has(tag)) {
      stack.push({ tag });
      if (tag === 'capture') {
        const v = /^\s*([A-Za-z_][\w-]*)/.exec(rest);
        if (v?.[1]) assigned.push(v[1]);
      }
    } else if (tag.startsWith('end')) {
      const i = stack.map((s) => s.tag).lastIndexOf(tag.slice(3));
      if (i !== -1) stack.splice(i);
    } else if (tag === 'assign') {
      const v = /^\s*([A-Za-z_][\w-]*)\s*=/.exec(rest);
      if (v?.[1]) assigned.push(v[1]);
    } else if (tag === 'increment' || tag === 'decrement') {
      const v = /^\s*([A-Za-z_][\w-]*)/.exec(rest);
      if (v?.[1]) assigned.push(v[1]);
    }
  }
  const loops = stack.filter((s) => s.tag === 'for' || s.tag === 'tablerow');
  const loopVariables = loops.flatMap((s) => (s.variable ? [s.variable] : []));
  if (loops.some((s) => s.tag === 'for')) loopVariables.push('forloop');
  if (loops.some((s) => s.tag === 'tablerow')) loopVariables.push('tablerowloop');
  return { loopVariables, assigned: [...new Set(assigned)], openTags: stack.map((s) => s.tag) };
}

/** Properties of `forloop` / `tablerowloop` (completion after `forloop.`). */
export const LOOP_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  forloop: ['index', 'index0', 'rindex', 'rindex0', 'first', 'last', 'length', 'name'],
  tablerowloop: ['index', 'index0', 'rindex', 'rindex0', 'first', 'last', 'length', 'col', 'col0', 'row'],
};
