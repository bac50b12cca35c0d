import type { Template } from 'liquidjs';
import type { Parameter } from '../domain/parameter';
import { AnvilError } from '../domain/result';
import { templateError } from './errors';
import { AnvilRenderTag, inPartial, partialKey } from './render-tag';
import type { LinkedPartial } from './render-tag';
import { LineIndex } from './line-index';
import { walk } from './walk';

/** A prompt that a `render` tag may name: its canonical name (for cycles and errors), source and parameters. */
export interface PartialSource {
  name: string;
  source: string;
  parameters?: Parameter[];
}

/**
 * Looks up what `{% render 'ref' %}` means when written in prompt `from` (a canonical name as returned by an
 * earlier call, or the name of the prompt being rendered). `'footer'` is a prompt of `from`'s own set,
 * `'@acme/common/header'` one of a declared dependency. Callers plug their own lookup: the studio's draft,
 * the SDK's bundle cache.
 */
export type PartialResolver = (ref: string, from: string) => PartialSource | undefined;

/** Where a `render` tag sits, and what it passes. */
export interface RenderReference {
  ref: string;
  line: number;
  column: number;
  argumentNames: string[];
}

const refsCache = new WeakMap<Template[], RenderReference[]>();

/** The `render` tags of a parsed template, computed once per parse (parsed templates are cached). */
export function renderReferences(templates: Template[]): RenderReference[] {
  let refs = refsCache.get(templates);
  if (!refs) {
    refs = [];
    let lines: LineIndex | undefined;
    for (const node of walk(templates)) {
      if (node instanceof AnvilRenderTag) {
        if (lines?.input !== node.token.input) lines = new LineIndex(node.token.input);
        const { line, column } = lines.at(node.token.begin);
        refs.push({ ref: node.ref, line, column, argumentNames: Object.keys(node.args.hash) });
      }
    }
    refsCache.set(templates, refs);
  }
  return refs;
}

export const NO_PARTIALS: ReadonlyMap<string, LinkedPartial> = new Map();

/**
 * Resolves and parses every partial reachable from a template, before anything renders, and refuses a
 * missing partial or a cycle (`a → b → a`, a self-render) with the render tag's line and column.
 */
export function linkPartials(
  rootName: string,
  root: Template[],
  resolve: PartialResolver | undefined,
  parse: (source: string) => Template[],
): Map<string, LinkedPartial> {
  const linked = new Map<string, LinkedPartial>();
  const done = new Set<string>();
  const byName = new Map<string, LinkedPartial>();

  const visit = (name: string, templates: Template[], stack: string[]): void => {
    for (const r of renderReferences(templates)) {
      const at = { line: r.line, column: r.column, path: name };
      const src = resolve?.(r.ref, name);
      if (!src) throw templateError('partial_not_found', `{% render '${r.ref}' %}: there is no such prompt`, at);
      const cycleStart = stack.indexOf(src.name);
      if (cycleStart !== -1) {
        const cycle = [...stack.slice(cycleStart), src.name];
        throw templateError('render_cycle', `prompts render each other in a cycle: ${cycle.join(' → ')}`, {
          ...at,
          details: { cycle },
        });
      }
      let partial = byName.get(src.name);
      if (!partial) {
        let parsed: Template[];
        try {
          parsed = parse(src.source);
        } catch (e) {
          throw e instanceof AnvilError ? inPartial(e, src.name) : e;
        }
        partial = { name: src.name, templates: parsed, parameters: src.parameters ?? [] };
        byName.set(src.name, partial);
      }
      linked.set(partialKey(name, r.ref), partial);
      if (!done.has(src.name)) visit(src.name, partial.templates, [...stack, src.name]);
    }
    done.add(name);
  };

  visit(rootName, root, [rootName]);
  return linked;
}
