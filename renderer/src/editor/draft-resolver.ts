import type * as Y from 'yjs';
import { readSetContent } from '../../../shared/doc/read';
import type { PromptSetContent } from '../../../shared/domain';
import type { PartialResolver } from '../../../shared/template';
import { setResolver } from '../../../shared/template';

/**
 * `{% render %}` over the draft being edited and the saved versions of its dependencies. The set's content is
 * read only when a template actually renders a partial (reading 10,000 prompts per keystroke would not do), and
 * once per resolver: make a new resolver when the document changes.
 */
export function draftResolver(doc: Y.Doc, dependencies: Readonly<Record<string, PromptSetContent>>): PartialResolver {
  let inner: PartialResolver | null = null;
  return (ref, from) => {
    inner ??= setResolver(readSetContent(doc), dependencies);
    return inner(ref, from);
  };
}
