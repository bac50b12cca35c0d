import { TypeGuards, Value } from 'liquidjs';
import type { Token } from 'liquidjs';
import { ARITHMETIC_FILTERS } from '../template/allow-list';
import { LineIndex } from '../template/line-index';
import { DYNAMIC, Shape, pathString } from './hints';
import type { Step, TypeHint } from './hints';
import type { SourceLocation } from './issues';

/** A global variable the template reads: a parameter it needs. */
export interface ExtractedVariable {
  name: string;
  hint: TypeHint;
  /** Every distinct path read from it: `user`, `user.name`, `items[].title`. */
  paths: string[];
  locations: (SourceLocation & { path: string })[];
}

// Filters that only make sense on an array: the variable they are applied to is hinted as one.
const ARRAY_FILTERS: ReadonlySet<string> = new Set([
  'join',
  'map',
  'sort',
  'sort_natural',
  'compact',
  'uniq',
  'where',
  'reject',
  'group_by',
  'sum',
  'concat',
  'find',
  'find_index',
  'has',
  'array_to_sentence_string',
]);

export type Hint = 'number' | 'array' | undefined;
/** A block-scoped name: a loop variable aliasing items of a global path, or purely local (null). */
export type Alias = { root: string; steps: Step[] } | null;
type FilterLike = { name: string; args: unknown[] };
const NO_SOURCE: { source?: number } = Object.freeze({});

/**
 * Variable reads in value expressions, resolved against the template's scopes: loop variables (aliases of
 * a global path's items, or local), names assigned so far, and globals, which are the parameters. Each
 * global read records its path, location and the type hint its use implies.
 */
export class Reads {
  readonly vars = new Map<string, { shape: Shape; paths: Set<string>; locations: ExtractedVariable['locations'] }>();
  source: number | undefined;
  protected assigned = new Set<string>();
  protected blocks: Map<string, Alias>[] = [];
  private lines: LineIndex | undefined;

  /** Starts a new template source (a chat message): assignments do not carry over. */
  begin(source: number | undefined): void {
    this.source = source;
    this.assigned = new Set();
    this.blocks = [];
  }

  protected position(t: Token): { line: number; column: number } {
    if (this.lines?.input !== t.input) this.lines = new LineIndex(t.input);
    return this.lines.at(t.begin);
  }
  protected at(): { source?: number } {
    return this.source === undefined ? NO_SOURCE : { source: this.source };
  }
  protected argument(arg: unknown): void {
    if (arg instanceof Value) this.filtered(arg.initial.postfix, arg.filters);
    else this.token(arg as Token);
  }
  protected filtered(postfix: readonly Token[], filters: readonly FilterLike[]): void {
    const first = filters[0]?.name;
    const subject: Hint =
      first === undefined
        ? undefined
        : ARITHMETIC_FILTERS.has(first)
          ? 'number'
          : ARRAY_FILTERS.has(first)
            ? 'array'
            : undefined;
    for (const t of postfix) this.token(t, postfix.length === 1 ? subject : undefined);
    for (const f of filters) {
      const hint: Hint = ARITHMETIC_FILTERS.has(f.name) ? 'number' : undefined;
      for (const a of f.args) {
        if (Array.isArray(a)) {
          if (a[1]) this.token(a[1] as Token, hint);
        } else this.token(a as Token, hint);
      }
    }
  }
  /** Reads every variable in a value token; returns the global path when the token is one variable. */
  protected token(t: Token, hint?: Hint): { root: string; steps: Step[] } | undefined {
    if (TypeGuards.isPropertyAccessToken(t)) return this.read(t, hint);
    if (TypeGuards.isRangeToken(t)) {
      this.token(t.lhs, 'number');
      this.token(t.rhs, 'number');
    } else if (TypeGuards.isFilteredValueToken(t)) this.filtered(t.initial.postfix, t.filters);
    return undefined;
  }
  protected read(
    t: Token & { variable?: Token; props: Token[] },
    hint?: Hint,
  ): { root: string; steps: Step[] } | undefined {
    const [first, ...rest] = t.props;
    const steps: Step[] = [];
    const keys: Token[] = [];
    for (const p of rest) {
      if (TypeGuards.isWordToken(p) || TypeGuards.isQuotedToken(p)) steps.push(p.content);
      else if (TypeGuards.isNumberToken(p)) steps.push(Number(p.content));
      else {
        keys.push(p);
        steps.push(DYNAMIC);
      }
    }
    const path = this.resolve(t, first, steps, hint);
    // Variables inside `[...]` are read after the variable they index, so locations stay in source order.
    for (const k of keys) this.token(k);
    return path;
  }
  protected resolve(
    t: Token & { variable?: Token },
    first: Token | undefined,
    steps: Step[],
    hint: Hint,
  ): { root: string; steps: Step[] } | undefined {
    // A literal root (`"abc".size`, `(a | upcase).size`) or a bracketed dynamic root: no variable of its own.
    if (t.variable !== undefined || !first || !(TypeGuards.isWordToken(first) || TypeGuards.isQuotedToken(first))) {
      if (t.variable) this.token(t.variable);
      if (first && !TypeGuards.isWordToken(first) && !TypeGuards.isQuotedToken(first)) this.token(first);
      return undefined;
    }
    const name = first.content;
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const block = this.blocks[i] as Map<string, Alias>;
      if (block.has(name)) {
        const alias = block.get(name);
        if (!alias) return undefined;
        const path = { root: alias.root, steps: [...alias.steps, ...steps] };
        this.hint(path, hint);
        return path;
      }
    }
    if (this.assigned.has(name)) return undefined;
    const v = this.variable(name);
    const { line, column } = this.position(t);
    const path = pathString(name, steps);
    v.paths.add(path);
    v.locations.push({ line, column, path, ...this.at() });
    this.hint({ root: name, steps }, hint);
    return { root: name, steps };
  }
  protected hint(path: { root: string; steps: Step[] }, hint: Hint): void {
    const shape = this.shapeOf(path.root)?.at(path.steps);
    if (shape && hint) shape.is(hint);
  }
  protected shapeOf(root: string): Shape | undefined {
    return this.vars.get(root)?.shape;
  }
  protected variable(name: string) {
    let v = this.vars.get(name);
    if (!v) this.vars.set(name, (v = { shape: new Shape(), paths: new Set(), locations: [] }));
    return v;
  }

  variables(): ExtractedVariable[] {
    return [...this.vars].map(([name, v]) => ({
      name,
      hint: v.shape.toHint(),
      paths: [...v.paths],
      locations: v.locations,
    }));
  }
}
