import { AnvilError, type Prompt, type PromptSetContent } from '../domain';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first structural problem of one prompt (what would make the comparison throw), or null. */
function promptProblem(p: unknown): string | null {
  if (!isObject(p)) return 'is not an object';
  if (typeof p.id !== 'string' || typeof p.name !== 'string') return 'has no id or name';
  if (p.parameters !== undefined && !Array.isArray(p.parameters)) return 'has a malformed parameter list';
  const badParam = ((p.parameters as unknown[] | undefined) ?? []).findIndex(
    (x) => !isObject(x) || typeof x.name !== 'string' || !isObject(x.type),
  );
  if (badParam !== -1) return `has a malformed parameter at index ${badParam}`;
  if (p.metadata !== undefined && !isObject(p.metadata)) return 'has malformed metadata';
  if (p.model !== undefined && p.model !== null && !isObject(p.model)) return 'has malformed model settings';
  if (p.kind === 'text') return typeof p.template === 'string' ? null : 'is a text prompt without a template';
  if (p.kind !== 'chat') return `has an unknown kind ${JSON.stringify(p.kind)}`;
  if (!Array.isArray(p.messages)) return 'is a chat prompt without messages';
  const bad = p.messages.findIndex(
    (m) =>
      !isObject(m) ||
      (m.type === 'message'
        ? typeof m.role !== 'string' || typeof m.content !== 'string'
        : m.type !== 'history' || typeof m.name !== 'string'),
  );
  return bad === -1 ? null : `has a malformed message at index ${bad}`;
}

/**
 * Checks the shape the comparison reads, fills the fields the schema defaults (description, dependencies,
 * parameters, model, metadata), and nothing more: a draft in the middle of an edit (two prompts with one name, a
 * name not yet valid) still compares, while content that would make the comparison throw a TypeError (a corrupt
 * or foreign value) is refused with an `invalid_comparison_input` error naming the side and the prompt.
 */
export function comparable(content: unknown, side: 'before' | 'after'): PromptSetContent {
  const fail = (message: string, path?: string): never => {
    const info = { code: 'invalid_comparison_input', message: `Cannot compare: the ${side} ${message}.` };
    throw new AnvilError(path === undefined ? info : { ...info, path });
  };
  if (!isObject(content)) return fail('content is not a prompt set');
  if (typeof content.name !== 'string') return fail('prompt set has no name');
  if (!Array.isArray(content.prompts)) return fail('prompt set has no prompt list');
  if (content.dependencies !== undefined && !isObject(content.dependencies))
    return fail('prompt set has malformed dependencies');
  const prompts = content.prompts.map((p: unknown, i): Prompt => {
    const problem = promptProblem(p);
    if (problem || !isObject(p)) {
      const name = isObject(p) && typeof p.name === 'string' ? p.name : `#${i + 1}`;
      return fail(`prompt ${name} ${problem ?? 'is not an object'}`, `prompts[${i}]`);
    }
    return { description: '', parameters: [], model: null, metadata: {}, ...p } as unknown as Prompt;
  });
  return { description: '', dependencies: {}, ...content, prompts } as PromptSetContent;
}
