import { toValueSync } from 'liquidjs';
import type { Template } from 'liquidjs';

/**
 * The direct children of a parsed node: every branch of an `if`/`case`, the body and `else` of a `for`,
 * the lines of a `{% liquid %}` tag. Partials are not followed (our `render` tag reports none).
 */
export function childrenOf(node: Template): Template[] {
  if (!node.children) return [];
  return toValueSync(node.children(false, true)) as Template[];
}

/** Every node of a parsed template, depth first, in source order. */
export function* walk(templates: Template[]): Generator<Template> {
  for (const node of templates) {
    yield node;
    yield* walk(childrenOf(node));
  }
}
