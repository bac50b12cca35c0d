import { Context, toPromise, toValueSync } from 'liquidjs';
import type { Liquid, Template } from 'liquidjs';
import type { Parameter } from '../domain/parameter';
import { AnvilError } from '../domain/result';
import { FAIL, compileParameters } from '../params/compile';
import { checkParameters, invalidParameters, validateParameters } from '../params/validate';
import { RESERVED_KEYS } from './allow-list';
import { templateError, toAnvilError } from './errors';
import { DEFAULT_LIMITS } from './limits';
import type { TemplateLimits } from './limits';
import { linkPartials, NO_PARTIALS, renderReferences } from './link';
import type { PartialResolver } from './link';
import { createLiquid } from './liquid';
import { BoundedEmitter } from './output-guard';
import { LruCache } from './parse-cache';
import { startFrame } from './render-tag';
import type { LinkedPartial, RenderSession } from './render-tag';

export interface EngineOptions {
  limits?: Partial<TemplateLimits>;
  /** How `{% render 'x' %}` finds prompt `x`; without one, any `render` is `partial_not_found`. */
  resolve?: PartialResolver;
}

export interface RenderOptions {
  /** Canonical name of the prompt being rendered: partial refs resolve relative to it; errors name it. */
  name?: string;
  /**
   * Declared parameters: values are validated (one `invalid_parameters` error listing every problem) and
   * defaults applied. Without them the values are used as given (own properties only), still strictly.
   */
  parameters?: readonly Parameter[];
  /** A resolver for this call only (e.g. the studio's draft of the set being edited). */
  resolve?: PartialResolver;
}

export interface TemplateEngine {
  readonly limits: TemplateLimits;
  readonly liquid: Liquid;
  /** Parses (or returns the cached parse of) a template; throws an AnvilError with line and column. */
  parse(source: string): Template[];
  /** Values to render with: validated against `parameters` when given, else own enumerable properties. */
  prepareValues(values: Record<string, unknown>, parameters?: readonly Parameter[]): Record<string, unknown>;
  renderText(source: string, values: Record<string, unknown>, opts?: RenderOptions): Promise<string>;
  renderTextSync(source: string, values: Record<string, unknown>, opts?: RenderOptions): string;
  /** Renders an already validated scope (chat rendering validates once, then renders each message). */
  renderPrepared(source: string, scope: Record<string, unknown>, opts: RenderOptions, sync: true): string;
  renderPrepared(source: string, scope: Record<string, unknown>, opts: RenderOptions, sync: false): Promise<string>;
}

const DEFAULT_NAME = 'template';

/** Own enumerable values only, in a null-prototype scope: a polluted prototype never reaches a template. */
function ownValues(values: Record<string, unknown>): Record<string, unknown> {
  const scope = Object.create(null) as Record<string, unknown>;
  if (values === null || typeof values !== 'object') return scope;
  for (const key of Object.keys(values)) if (!RESERVED_KEYS.has(key)) scope[key] = values[key];
  return scope;
}

export function createEngine(options: EngineOptions = {}): TemplateEngine {
  const limits: TemplateLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const liquid = createLiquid(limits);
  const cache = new LruCache<Template[]>(limits.parseCacheEntries, limits.parseCacheChars);

  const parse = (source: string): Template[] => {
    // Length first: hashing a 10 MB key for the cache lookup alone costs tens of milliseconds.
    if (source.length > limits.parseChars) {
      throw templateError(
        'template_too_large',
        `the template is longer than ${limits.parseChars.toLocaleString('en')} characters`,
      );
    }
    const hit = cache.get(source);
    if (hit) return hit;
    let templates: Template[];
    try {
      templates = liquid.parse(source);
    } catch (e) {
      throw toAnvilError(e);
    }
    cache.set(source, templates);
    return templates;
  };

  const bindArguments = (partial: LinkedPartial, args: Record<string, unknown>): Record<string, unknown> => {
    if (partial.parameters.length === 0) return ownValues(args);
    // A partial inside a loop binds its arguments on every iteration: the compiled check first.
    const fast = compileParameters(partial.parameters)(args);
    if (fast !== FAIL) return fast;
    const { values, problems } = checkParameters(partial.parameters, args);
    const missing = problems.find((p) => p.code === 'missing' && !p.path.includes('.'));
    if (missing) {
      throw templateError(
        'missing_partial_argument',
        `{% render '${partial.name}' %} needs the argument "${missing.path}"`,
      );
    }
    if (problems.length > 0) throw invalidParameters(problems, `arguments of "${partial.name}": `);
    return values;
  };

  function renderPrepared(source: string, scope: Record<string, unknown>, opts: RenderOptions, sync: true): string;
  function renderPrepared(
    source: string,
    scope: Record<string, unknown>,
    opts: RenderOptions,
    sync: false,
  ): Promise<string>;
  function renderPrepared(
    source: string,
    scope: Record<string, unknown>,
    opts: RenderOptions,
    sync: boolean,
  ): string | Promise<string> {
    const name = opts.name ?? DEFAULT_NAME;
    const emitter = new BoundedEmitter(limits.outputChars);
    let run: Generator<unknown, unknown>;
    try {
      const templates = parse(source);
      const resolve = opts.resolve ?? options.resolve;
      const partials =
        renderReferences(templates).length === 0 ? NO_PARTIALS : linkPartials(name, templates, resolve, parse);
      const session: RenderSession = {
        partials: partials as Map<string, LinkedPartial>,
        maxDepth: limits.renderDepth,
        bindArguments,
      };
      const ctx = new Context(scope, liquid.options, { sync }, { liquid });
      startFrame(ctx, session, name);
      run = liquid.renderer.renderTemplates(templates, ctx, emitter) as Generator<unknown, unknown>;
    } catch (e) {
      if (sync) throw toAnvilError(e);
      return Promise.reject(toAnvilError(e));
    }
    if (sync) {
      try {
        toValueSync(run);
      } catch (e) {
        throw toAnvilError(e);
      }
      return emitter.buffer;
    }
    return toPromise(run).then(
      () => emitter.buffer,
      (e: unknown) => Promise.reject(toAnvilError(e)),
    );
  }

  const prepareValues = (
    values: Record<string, unknown>,
    parameters?: readonly Parameter[],
  ): Record<string, unknown> => (parameters ? validateParameters(parameters, values) : ownValues(values));

  return {
    limits,
    liquid,
    parse,
    prepareValues,
    renderPrepared,
    renderTextSync: (source, values, opts = {}) =>
      renderPrepared(source, prepareValues(values, opts.parameters), opts, true),
    renderText: (source, values, opts = {}) => {
      let scope: Record<string, unknown>;
      try {
        scope = prepareValues(values, opts.parameters);
      } catch (e) {
        return Promise.reject(e instanceof AnvilError ? e : toAnvilError(e));
      }
      return renderPrepared(source, scope, opts, false);
    },
  };
}
