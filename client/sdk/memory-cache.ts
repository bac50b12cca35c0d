import { Context, toPromise } from 'liquidjs';
import type { Template } from 'liquidjs';
import type { ModelSettings } from '../../shared/domain/model-settings';
import type { Parameter } from '../../shared/domain/parameter';
import type { ChatRole } from '../../shared/domain/prompt';
import type { PromptSetContent } from '../../shared/domain/prompt-set';
import { FAIL, compileParameters } from '../../shared/params/compile';
import { checkParameters, invalidParameters } from '../../shared/params/validate';
import { RESERVED_KEYS } from '../../shared/template/allow-list';
import type { TemplateEngine } from '../../shared/template/engine';
import { templateError, toAnvilError } from '../../shared/template/errors';
import { NO_PARTIALS, linkPartials, renderReferences } from '../../shared/template/link';
import { BoundedEmitter } from '../../shared/template/output-guard';
import { startFrame } from '../../shared/template/render-tag';
import type { LinkedPartial, RenderSession } from '../../shared/template/render-tag';
import { setResolver } from '../../shared/template/set-resolver';
import type { BundleDocument } from '../../shared/registry/types';

/** Where a set's bytes came from for this process. */
export type Source = 'vendor' | 'cache' | 'registry';

/** One template parsed and linked once: a render costs a context, an emitter and liquidjs's own walk. */
export interface PreparedTemplate {
  templates: Template[];
  session: RenderSession;
}

export type PreparedMessage = { history: true } | { history: false; role: ChatRole; template: PreparedTemplate };

export interface PreparedPrompt {
  name: string;
  kind: 'text' | 'chat';
  description: string;
  parameters: Parameter[];
  /** The parameters as one JSON Schema object (from the bundle). */
  schema: Record<string, unknown>;
  model: ModelSettings | null;
  /** The compiled parameter check (the slow path with messages runs only when it fails). */
  check: (values: Record<string, unknown>) => Record<string, unknown> | typeof FAIL;
  text: PreparedTemplate | null;
  messages: PreparedMessage[];
}

/**
 * One version of a set with the versions of the sets it renders from, immutable once built: a render takes
 * the snapshot it started with to the end, and a live update swaps in a whole new snapshot, so no render
 * ever sees half of an update. Prompts are parsed and linked on first use and kept.
 */
export interface SetSnapshot {
  readonly name: string;
  readonly version: string;
  readonly integrity: string;
  readonly source: Source;
  readonly deprecated: string | null;
  /** `@p/s` → version of every set it may render from (transitively), for comparisons and events. */
  readonly dependencyVersions: Readonly<Record<string, string>>;
  /** `name@version` of itself and every dependency: two snapshots with the same key render the same. */
  readonly key: string;
  prompt(name: string): PreparedPrompt | undefined;
  promptNames(): string[];
}

export interface SnapshotInput {
  document: BundleDocument;
  integrity: string;
  source: Source;
  deprecated: string | null;
  /** The contents of every set it may render from, keyed `@p/s` (one version per set). */
  dependencies: Readonly<Record<string, { version: string; content: PromptSetContent }>>;
  content: PromptSetContent;
}

export function buildSnapshot(engine: TemplateEngine, input: SnapshotInput): SetSnapshot {
  const { document, content } = input;
  const depContents: Record<string, PromptSetContent> = {};
  const dependencyVersions: Record<string, string> = {};
  for (const [name, dep] of Object.entries(input.dependencies)) {
    depContents[name] = dep.content;
    dependencyVersions[name] = dep.version;
  }
  const resolve = setResolver(content, depContents);
  const schemas = new Map(document.manifest.prompts.map((p) => [p.name, p.schema]));
  const prepared = new Map<string, PreparedPrompt>();
  const byName = new Map(content.prompts.map((p) => [p.name, p]));
  const prepareTemplate = (name: string, source: string): PreparedTemplate => {
    const templates = engine.parse(source);
    const partials =
      renderReferences(templates).length === 0
        ? NO_PARTIALS
        : linkPartials(name, templates, resolve, (s) => engine.parse(s));
    return {
      templates,
      session: {
        partials: partials as Map<string, LinkedPartial>,
        maxDepth: engine.limits.renderDepth,
        bindArguments,
      },
    };
  };
  const key = [
    `${document.manifest.name}@${document.manifest.version}`,
    ...Object.keys(dependencyVersions)
      .sort()
      .map((n) => `${n}@${dependencyVersions[n]}`),
  ].join(',');
  return {
    name: document.manifest.name,
    version: document.manifest.version,
    integrity: input.integrity,
    source: input.source,
    deprecated: input.deprecated,
    dependencyVersions,
    key,
    promptNames: () => [...byName.keys()],
    prompt(name) {
      const hit = prepared.get(name);
      if (hit) return hit;
      const p = byName.get(name);
      if (!p) return undefined;
      const out: PreparedPrompt = {
        name: p.name,
        kind: p.kind,
        description: p.description,
        parameters: p.parameters,
        schema: schemas.get(p.name) ?? {},
        model: p.model,
        check: compileParameters(p.parameters),
        text: p.kind === 'text' ? prepareTemplate(p.name, p.template) : null,
        messages:
          p.kind === 'chat'
            ? p.messages.map((m): PreparedMessage =>
                m.type === 'history'
                  ? { history: true }
                  : { history: false, role: m.role, template: prepareTemplate(p.name, m.content) },
              )
            : [],
      };
      prepared.set(name, out);
      return out;
    },
  };
}

/** Own enumerable values only, in a null-prototype scope (what the engine does for undeclared partials). */
function ownValues(values: Record<string, unknown>): Record<string, unknown> {
  const scope = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(values)) if (!RESERVED_KEYS.has(key)) scope[key] = values[key];
  return scope;
}

/** A partial's arguments against its declared parameters, as the engine binds them (shared/template/engine.ts). */
function bindArguments(partial: LinkedPartial, args: Record<string, unknown>): Record<string, unknown> {
  if (partial.parameters.length === 0) return ownValues(args);
  const fast = compileParameters(partial.parameters)(args);
  if (fast !== FAIL) return fast;
  const { values, problems } = checkParameters(partial.parameters, args);
  const missing = problems.find((p) => p.code === 'missing' && !p.path.includes('.'));
  if (missing)
    throw templateError(
      'missing_partial_argument',
      `{% render '${partial.name}' %} needs the argument "${missing.path}"`,
    );
  if (problems.length > 0) throw invalidParameters(problems, `arguments of "${partial.name}": `);
  return values;
}

/**
 * Renders a prepared template with an already validated scope, as `engine.renderPrepared` does, minus the
 * per-call parse-cache lookup and partial linking (done once when the prompt was prepared).
 */
export function renderPrepared(
  engine: TemplateEngine,
  name: string,
  t: PreparedTemplate,
  scope: Record<string, unknown>,
): Promise<string> {
  const liquid = engine.liquid;
  const emitter = new BoundedEmitter(engine.limits.outputChars);
  let run: Generator<unknown, unknown>;
  try {
    const ctx = new Context(scope, liquid.options, { sync: false }, { liquid });
    startFrame(ctx, t.session, name);
    run = liquid.renderer.renderTemplates(t.templates, ctx, emitter) as Generator<unknown, unknown>;
  } catch (e) {
    return Promise.reject(toAnvilError(e));
  }
  return toPromise(run).then(
    () => emitter.buffer,
    (e: unknown) => Promise.reject(toAnvilError(e)),
  );
}

/** A bounded map (insertion-ordered, oldest dropped first): parsed addresses and the like. */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.max) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return super.set(key, value);
  }
}
