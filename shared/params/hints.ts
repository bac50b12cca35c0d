import type { ParamType } from '../domain/parameter';

/**
 * What a template implies about a variable's type: iterated with `for` → array; used with arithmetic
 * filters → number; read with a property path → object with those properties; otherwise unknown.
 */
export type TypeHint =
  | { type: 'unknown' }
  | { type: 'number' }
  | { type: 'array'; items: TypeHint }
  | { type: 'object'; properties: Record<string, TypeHint> };

/** A path step: a property, an index, any item of an array (a loop variable), or a dynamic key. */
export type Step = string | number | typeof ITEM | typeof DYNAMIC;
export const ITEM = Symbol('item');
export const DYNAMIC = Symbol('dynamic');

/** The mutable shape built while walking a template; frozen into a TypeHint at the end. */
export class Shape {
  kind: 'unknown' | 'number' | 'array' | 'object' = 'unknown';
  readonly props = new Map<string, Shape>();
  items: Shape | undefined;

  /** The shape at the end of `steps`, creating what the steps imply (object for names, array for items). */
  at(steps: readonly Step[]): Shape | undefined {
    return steps.reduce<Shape | undefined>((s, step) => s?.child(step), this);
  }

  private child(step: Step): Shape | undefined {
    if (step === DYNAMIC) return undefined;
    // `x.size` works on strings, arrays and objects alike: it says nothing about x.
    if (step === 'size') return undefined;
    if (step === ITEM || typeof step === 'number' || step === 'first' || step === 'last') {
      if (!this.is('array')) return undefined;
      return (this.items ??= new Shape());
    }
    if (!this.is('object')) return undefined;
    let next = this.props.get(step);
    if (!next) this.props.set(step, (next = new Shape()));
    return next;
  }

  /** Narrows an unknown shape to `kind`; false when the shape is already something else (a conflict). */
  is(kind: 'number' | 'array' | 'object'): boolean {
    if (this.kind === 'unknown') this.kind = kind;
    return this.kind === kind;
  }

  /** Applies a declared type (a partial's parameter) as hints. */
  apply(t: ParamType): void {
    if (t.type === 'number' || t.type === 'integer') this.is('number');
    else if (t.type === 'array') {
      if (this.is('array')) (this.items ??= new Shape()).apply(t.items);
    } else if (t.type === 'object' && this.is('object')) {
      for (const [k, v] of Object.entries(t.properties)) this.at([k])?.apply(v);
    }
  }

  toHint(): TypeHint {
    switch (this.kind) {
      case 'number':
        return { type: 'number' };
      case 'array':
        return { type: 'array', items: this.items?.toHint() ?? { type: 'unknown' } };
      case 'object':
        return { type: 'object', properties: Object.fromEntries([...this.props].map(([k, v]) => [k, v.toHint()])) };
      default:
        return { type: 'unknown' };
    }
  }
}

/** The parameter type proposed for a hint: unknown becomes string, the usual case for prompt text. */
export function hintToParamType(h: TypeHint): ParamType {
  switch (h.type) {
    case 'number':
      return { type: 'number' };
    case 'array':
      return { type: 'array', items: hintToParamType(h.items) };
    case 'object':
      return {
        type: 'object',
        properties: Object.fromEntries(Object.entries(h.properties).map(([k, v]) => [k, hintToParamType(v)])),
      };
    default:
      return { type: 'string' };
  }
}

const plain = new Map<string, boolean>();
function plainName(step: string): boolean {
  let ok = plain.get(step);
  if (ok === undefined) {
    ok = /^[A-Za-z_][\w-]*$/.test(step);
    // Bounded: property names come from templates; a hostile one must not grow this without limit.
    if (plain.size < 10_000) plain.set(step, ok);
  }
  return ok;
}

/** `user.name`, `items[0]`, `orders[].total`, `data[?]`. */
export function pathString(root: string, steps: readonly Step[]): string {
  let s = root;
  for (const step of steps) {
    if (step === ITEM) s += '[]';
    else if (step === DYNAMIC) s += '[?]';
    else if (typeof step === 'number') s += `[${step}]`;
    else s += plainName(step) ? `.${step}` : `[${JSON.stringify(step)}]`;
  }
  return s;
}
