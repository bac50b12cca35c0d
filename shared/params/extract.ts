import { ForTag, TablerowTag, TypeGuards, Value } from 'liquidjs';
import type { Template, Token } from 'liquidjs';
import type { Prompt } from '../domain/prompt';
import { AnvilError } from '../domain/result';
import { ARITHMETIC_FILTERS } from '../template/allow-list';
import type { TemplateEngine } from '../template/engine';
import type { PartialResolver, RenderReference } from '../template/link';
import { AnvilRenderTag } from '../template/render-tag';
import { childrenOf } from '../template/walk';
import { DYNAMIC, ITEM, Shape, pathString } from './hints';
import type { Step, TypeHint } from './hints';
import type { ParamIssue, SourceLocation } from './issues';
import { partialIssues } from './partial-check';

/** A global variable the template reads: a parameter it needs. */
export interface ExtractedVariable {
  name: string;
  hint: TypeHint;
  /** Every distinct path read from it: `user`, `user.name`, `items[].title`. */
  paths: string[];
  locations: (SourceLocation & { path: string })[];
}

export interface Extraction {
  variables: ExtractedVariable[];
  /** Problems with `render` tags: missing arguments, unknown partials. */
  issues: ParamIssue[];
  partials: (RenderReference & { source?: number })[];
}

export interface ExtractOptions {
  /** The prompt's canonical name, for resolving `render` refs. */
  name?: string;
  /** Without a resolver, partials are listed but not checked. */
  resolve?: PartialResolver;
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

type Hint = 'number' | 'array' | undefined;
/** A block-scoped name: a loop variable aliasing items of a global path, or purely local (null). */
type Alias = { root: string; steps: Step[] } | null;
type FilterLike = { name: string; args: unknown[] };

class Collector {
  readonly vars = new Map<string, { shape: Shape; paths: Set<string>; locations: ExtractedVariable['locations'] }>();
  readonly issues: ParamIssue[] = [];
  readonly partials: Extraction['partials'] = [];
  source: number | undefined;
  private assigned = new Set<string>();
  private blocks: Map<string, Alias>[] = [];

  constructor(
    private readonly engine: TemplateEngine,
    private readonly opts: ExtractOptions,
  ) {}

  /** Starts a new template source (a chat message): assignments do not carry over. */
  begin(source: number | undefined): void {
    this.source = source;
    this.assigned = new Set();
    this.blocks = [];
  }

  visit(nodes: Template[]): void {
    for (const node of nodes) {
      if (node instanceof ForTag || node instanceof TablerowTag) {
        this.loop(node);
        continue;
      }
      if (node instanceof AnvilRenderTag) this.render(node);
      else if (node.arguments) for (const arg of node.arguments()) this.argument(arg);
      // liquidjs puts `assign`/`capture` names in the template's top scope, from that point on.
      if (node.localScope)
        for (const id of node.localScope()) this.assigned.add(typeof id === 'string' ? id : id.content);
      if (node.children) this.visit(childrenOf(node));
    }
  }

  private loop(node: InstanceType<typeof ForTag> | InstanceType<typeof TablerowTag>): void {
    let alias: Alias = null;
    const coll = node.collection;
    if (TypeGuards.isPropertyAccessToken(coll)) {
      const r = this.read(coll, 'array');
      if (r) alias = { root: r.root, steps: [...r.steps, ITEM] };
    } else this.token(coll);
    const hash = node instanceof ForTag ? node.hash : node.args;
    for (const v of Object.values(hash.hash)) if (v) this.token(v, 'number');
    const loopName = node instanceof ForTag ? 'forloop' : 'tablerowloop';
    this.blocks.push(
      new Map<string, Alias>([
        [node.variable, alias],
        [loopName, null],
      ]),
    );
    this.visit(node.templates);
    this.blocks.pop();
    if (node instanceof ForTag) this.visit(node.elseTemplates);
  }

  private render(node: AnvilRenderTag): void {
    const [line = 1, column = 1] = node.token.getPosition();
    this.partials.push({ ref: node.ref, line, column, argumentNames: Object.keys(node.args.hash), ...this.at() });
    const passed = new Map<string, { root: string; steps: Step[] } | undefined>();
    for (const [key, v] of Object.entries(node.args.hash)) passed.set(key, v ? this.token(v) : undefined);
    if (!this.opts.resolve) return;
    const where = { line, column, ...this.at() };
    const readsOf = (source: string): string[] => extractVariables(this.engine, source).variables.map((v) => v.name);
    const found = partialIssues(
      this.opts.resolve,
      readsOf,
      this.opts.name ?? 'template',
      node.ref,
      [...passed.keys()],
      where,
    );
    this.issues.push(...found.issues);
    // A value passed to a declared partial parameter takes that parameter's type as a hint.
    for (const [key, path] of passed) {
      const declared = found.parameters.find((p) => p.name === key);
      if (path && declared) this.shapeOf(path.root)?.at(path.steps)?.apply(declared.type);
    }
  }

  private at(): { source?: number } {
    return this.source === undefined ? {} : { source: this.source };
  }

  private argument(arg: unknown): void {
    if (arg instanceof Value) this.filtered(arg.initial.postfix, arg.filters);
    else this.token(arg as Token);
  }

  private filtered(postfix: readonly Token[], filters: readonly FilterLike[]): void {
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
  private token(t: Token, hint?: Hint): { root: string; steps: Step[] } | undefined {
    if (TypeGuards.isPropertyAccessToken(t)) return this.read(t, hint);
    if (TypeGuards.isRangeToken(t)) {
      this.token(t.lhs, 'number');
      this.token(t.rhs, 'number');
    } else if (TypeGuards.isFilteredValueToken(t)) this.filtered(t.initial.postfix, t.filters);
    return undefined;
  }

  private read(
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

  private resolve(
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
    const [line = 1, column = 1] = t.getPosition();
    const path = pathString(name, steps);
    v.paths.add(path);
    v.locations.push({ line, column, path, ...this.at() });
    this.hint({ root: name, steps }, hint);
    return { root: name, steps };
  }

  private hint(path: { root: string; steps: Step[] }, hint: Hint): void {
    const shape = this.shapeOf(path.root)?.at(path.steps);
    if (shape && hint) shape.is(hint);
  }

  private shapeOf(root: string): Shape | undefined {
    return this.vars.get(root)?.shape;
  }

  private variable(name: string) {
    let v = this.vars.get(name);
    if (!v) this.vars.set(name, (v = { shape: new Shape(), paths: new Set(), locations: [] }));
    return v;
  }

  result(): Extraction {
    const variables = [...this.vars].map(([name, v]) => ({
      name,
      hint: v.shape.toHint(),
      paths: [...v.paths],
      locations: v.locations,
    }));
    return { variables, issues: this.issues, partials: this.partials };
  }
}

/**
 * The parameters a template needs, from its parse tree (not regexes): every global variable read, with its
 * paths and locations, excluding loop variables, `forloop`, and names assigned or captured before the read;
 * with a type hint where the template implies one; and the checks of its `render` tags against the
 * partials' parameters. A parse error throws the AnvilError (line, column) the editor marks.
 */
export function extractVariables(engine: TemplateEngine, source: string, opts: ExtractOptions = {}): Extraction {
  const c = new Collector(engine, opts);
  c.begin(undefined);
  c.visit(engine.parse(source));
  return c.result();
}

/** The same over a whole prompt: a text template, or every message of a chat prompt (locations say which). */
export function extractPromptVariables(engine: TemplateEngine, prompt: Prompt, opts: ExtractOptions = {}): Extraction {
  const c = new Collector(engine, { name: prompt.name, ...opts });
  if (prompt.kind === 'text') {
    c.begin(undefined);
    c.visit(engine.parse(prompt.template));
  } else {
    prompt.messages.forEach((m, i) => {
      if (m.type !== 'message') return;
      c.begin(i);
      let parsed: Template[];
      try {
        parsed = engine.parse(m.content);
      } catch (e) {
        throw e instanceof AnvilError ? new AnvilError({ ...e.toJSON(), path: `messages[${i}]` }) : e;
      }
      c.visit(parsed);
    });
  }
  return c.result();
}
