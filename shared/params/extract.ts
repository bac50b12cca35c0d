import { ForTag, IfTag, Output, TablerowTag, TokenKind, TypeGuards } from 'liquidjs';
import type { Template } from 'liquidjs';
import type { Prompt } from '../domain/prompt';
import { AnvilError } from '../domain/result';
import type { TemplateEngine } from '../template/engine';
import type { PartialResolver, RenderReference } from '../template/link';
import { AnvilRenderTag } from '../template/render-tag';
import { childrenOf } from '../template/walk';
import { ITEM } from './hints';
import type { Step } from './hints';
import type { ParamIssue } from './issues';
import { partialIssues } from './partial-check';
import { Reads } from './reads';
import type { Alias, ExtractedVariable } from './reads';

export type { ExtractedVariable } from './reads';

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

/** Walks the parse tree: loops open scopes, `render` tags are checked against their partials. */
class Collector extends Reads {
  readonly issues: ParamIssue[] = [];
  readonly partials: Extraction['partials'] = [];

  constructor(
    private readonly engine: TemplateEngine,
    private readonly opts: ExtractOptions,
  ) {
    super();
  }

  visit(nodes: Template[]): void {
    for (const node of nodes) {
      // Fast paths for the commonest nodes: plain text has nothing to read, and liquidjs's generic
      // arguments()/children() are generators, slow on a 2,000-line template.
      if (node.token.kind === TokenKind.HTML) continue;
      if (node instanceof Output) {
        this.filtered(node.value.initial.postfix, node.value.filters);
        continue;
      }
      if (node instanceof IfTag) {
        for (const b of node.branches) {
          this.filtered(b.value.initial.postfix, b.value.filters);
          this.visit(b.templates);
        }
        if (node.elseTemplates) this.visit(node.elseTemplates);
        continue;
      }
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
    const { line, column } = this.position(node.token);
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

  result(): Extraction {
    return { variables: this.variables(), issues: this.issues, partials: this.partials };
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
