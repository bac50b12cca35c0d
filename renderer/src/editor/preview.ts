import type { Parameter, Prompt } from '../../../shared/domain';
import { AnvilError } from '../../../shared/domain';
import type { ChatMessage, PartialResolver, TemplateEngine } from '../../../shared/template';
import { renderChatSync, toAnvilError } from '../../../shared/template';
import type { Problem } from './problems';
import { errorProblem, messageIndexOf } from './problems';
import { sourceOf } from './analysis';

export type PreviewResult =
  | { ok: true; kind: 'text'; text: string }
  | { ok: true; kind: 'chat'; messages: ChatMessage[] }
  | { ok: false; problem: Problem };

/**
 * Renders a prompt for the live preview with sample values, synchronously (a keystroke's preview must not
 * wait on a promise chain). Parameters are the declared ones plus proposals for what is used but not yet
 * declared, so the preview works while the author is still typing a new variable. An error comes back as a
 * problem with its place (and message index for chat prompts), to be shown in the preview itself.
 */
export function renderPreview(
  engine: TemplateEngine,
  prompt: Prompt,
  parameters: readonly Parameter[],
  values: Record<string, unknown>,
  opts: { resolve?: PartialResolver; history?: unknown } = {},
): PreviewResult {
  const render = { name: prompt.name, parameters, ...(opts.resolve ? { resolve: opts.resolve } : {}) };
  try {
    if (prompt.kind === 'text')
      return { ok: true, kind: 'text', text: engine.renderTextSync(prompt.template, values, render) };
    const messages = renderChatSync(engine, { ...prompt, parameters: [...parameters] }, values, {
      name: prompt.name,
      ...(opts.resolve ? { resolve: opts.resolve } : {}),
      history: opts.history ?? [],
    });
    return { ok: true, kind: 'chat', messages };
  } catch (e) {
    const err = (e instanceof AnvilError ? e : toAnvilError(e)).toJSON();
    const index = messageIndexOf(err);
    return { ok: false, problem: errorProblem(err, sourceOf(prompt, index), index) };
  }
}

/** The text a token count is taken from: the rendered template, or the messages as the chat format sends them. */
export function previewText(result: PreviewResult): string {
  if (!result.ok) return '';
  return result.kind === 'text' ? result.text : result.messages.map((m) => m.content).join('\n');
}
