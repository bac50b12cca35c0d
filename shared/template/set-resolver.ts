import type { PromptSetContent } from '../domain/prompt-set';
import type { PartialResolver, PartialSource } from './link';

// `@project/set/prompt`: a prompt of another set; the last `/` separates the prompt's name.
const QUALIFIED = /^(@[^/]+\/[^/]+)\/([^/]+)$/;

/**
 * A resolver over a prompt set and the sets it depends on (keyed `@project/set`, as in `dependencies`).
 * Prompts of the set itself are named plainly (`header`); prompts of a dependency by their full name
 * (`@acme/common/header`), so a relative `render` inside a dependency stays within that dependency, and a
 * set may only reach the sets it declares. Only text prompts can be rendered as partials.
 */
export function setResolver(
  set: PromptSetContent,
  dependencies: Readonly<Record<string, PromptSetContent>> = {},
): PartialResolver {
  const find = (owner: PromptSetContent, prefix: string, prompt: string): PartialSource | undefined => {
    const p = owner.prompts.find((x) => x.name === prompt);
    if (!p || p.kind !== 'text') return undefined;
    return { name: prefix + p.name, source: p.template, parameters: p.parameters };
  };
  const depOf = (key: string): PromptSetContent | undefined =>
    Object.prototype.hasOwnProperty.call(dependencies, key) ? dependencies[key] : undefined;

  return (ref, from) => {
    const fromSet = QUALIFIED.exec(from);
    const owner = fromSet?.[1] ? depOf(fromSet[1]) : set;
    if (!owner) return undefined;
    const target = QUALIFIED.exec(ref);
    if (!target) return find(owner, fromSet?.[1] ? `${fromSet[1]}/` : '', ref);
    const [, setKey = '', prompt = ''] = target;
    if (!Object.prototype.hasOwnProperty.call(owner.dependencies, setKey)) return undefined;
    const dep = depOf(setKey);
    return dep ? find(dep, `${setKey}/`, prompt) : undefined;
  };
}
