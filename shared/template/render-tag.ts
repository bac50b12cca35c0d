import { Hash, Tag, TypeGuards, evalQuotedToken } from 'liquidjs';
import type { Context, Emitter, Liquid, TagToken, Template, Token, TopLevelToken } from 'liquidjs';
import type { Parameter } from '../domain/parameter';
import { AnvilError } from '../domain/result';
import { RESERVED_KEYS } from './allow-list';
import { templateError, toAnvilError } from './errors';

/** A partial as the static link step resolved it: its canonical name, parsed body and declared parameters. */
export interface LinkedPartial {
  name: string;
  templates: Template[];
  parameters: Parameter[];
}

/** Per-render state, kept in a context register so concurrent async renders never share it. */
export interface RenderSession {
  /** `${from}\0${ref}` → the partial that `ref` names when written in prompt `from`. */
  partials: Map<string, LinkedPartial>;
  maxDepth: number;
  /** Checks a partial's arguments against its declared parameters; returns the scope to render with. */
  bindArguments(partial: LinkedPartial, args: Record<string, unknown>): Record<string, unknown>;
}

interface Frame {
  session: RenderSession;
  /** Canonical name of the prompt being rendered in this context. */
  current: string;
  depth: number;
}

export const SESSION_REGISTER = 'anvil:render';

export const partialKey = (from: string, ref: string): string => `${from}\u0000${ref}`;

export function startFrame(ctx: Context, session: RenderSession, current: string): void {
  ctx.setRegister(SESSION_REGISTER, { session, current, depth: 0 } satisfies Frame);
}

/**
 * `{% render 'name', key: value %}` resolved from the prompt set in memory, never from a file system.
 * Only a quoted literal names the partial (no dynamic partials), so every reference is known after parsing:
 * the link step checks them all and finds cycles before anything renders. As Liquid defines `render`, the
 * partial sees only its arguments (plus its own declared defaults), not the caller's variables.
 */
export class AnvilRenderTag extends Tag {
  readonly ref: string;
  readonly args: Hash;

  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    const tk = this.tokenizer;
    tk.skipBlank();
    const file = tk.readValue();
    if (!file || !TypeGuards.isQuotedToken(file)) {
      throw templateError(
        'invalid_render',
        `{% render %} takes the prompt's name in quotes: {% render 'header', name: value %}`,
      );
    }
    this.ref = evalQuotedToken(file);
    tk.skipBlank();
    if (tk.peek() === ',') tk.advance();
    this.args = new Hash(tk, liquid.options.keyValueSeparator);
    for (const [key, value] of Object.entries(this.args.hash)) {
      if (value === undefined || RESERVED_KEYS.has(key)) {
        throw templateError('invalid_render', `{% render %} arguments are written name: value ("${key}" is not)`);
      }
    }
  }

  *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    const frame = ctx.getRegister<Frame | undefined>(SESSION_REGISTER);
    if (!frame) throw templateError('render_error', '{% render %} outside an Anvil render');
    const partial = frame.session.partials.get(partialKey(frame.current, this.ref));
    if (!partial) throw templateError('partial_not_found', `no prompt "${this.ref}" to render`);
    if (frame.depth + 1 > frame.session.maxDepth) {
      throw templateError('render_cycle', `{% render %} is nested more than ${frame.session.maxDepth} deep`);
    }
    const args = (yield this.args.render(ctx)) as Record<string, unknown>;
    const scope = frame.session.bindArguments(partial, args);
    const child = ctx.spawn(scope);
    child.setRegister(SESSION_REGISTER, {
      session: frame.session,
      current: partial.name,
      depth: frame.depth + 1,
    } satisfies Frame);
    try {
      yield this.liquid.renderer.renderTemplates(partial.templates, child, emitter);
    } catch (e) {
      throw inPartial(toAnvilError(e), partial.name);
    }
  }

  // eslint-disable-next-line require-yield -- liquidjs's interface is a generator; there is nothing to wait for.
  *children(): Generator<unknown, Template[]> {
    // Partials are linked and analysed by our own code (link.ts, extraction), never through liquidjs's loader.
    return [];
  }

  *arguments(): Generator<Token> {
    for (const v of Object.values(this.args.hash)) if (v !== undefined) yield v;
  }
}

/** An error from inside a partial names that partial (the innermost one, where line and column point). */
export function inPartial(err: AnvilError, name: string): AnvilError {
  if (err.path !== undefined) return err;
  return new AnvilError({ ...err.toJSON(), path: name, message: `in "${name}": ${err.message}` });
}
