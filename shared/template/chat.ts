import type { ChatPrompt, ChatRole } from '../domain/prompt';
import { AnvilError } from '../domain/result';
import type { TemplateEngine, RenderOptions } from './engine';
import { templateError, toAnvilError } from './errors';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

const ROLES: ReadonlySet<string> = new Set(['system', 'user', 'assistant']);

/**
 * The conversation so far, as the application passes it for the history placeholder: an array of
 * `{ role, content }` with a known role and string content. Every bad entry is reported at once.
 */
export function validateHistory(history: unknown): ChatMessage[] {
  if (history === undefined || history === null) return [];
  if (!Array.isArray(history))
    throw templateError('invalid_history', 'the history must be an array of { role, content } messages');
  const out: ChatMessage[] = [];
  const problems: { path: string; message: string }[] = [];
  history.forEach((m: unknown, i) => {
    const item = m !== null && typeof m === 'object' ? (m as Record<string, unknown>) : undefined;
    const role = item && Object.prototype.hasOwnProperty.call(item, 'role') ? item['role'] : undefined;
    const content = item && Object.prototype.hasOwnProperty.call(item, 'content') ? item['content'] : undefined;
    if (typeof role !== 'string' || !ROLES.has(role))
      problems.push({ path: `history[${i}].role`, message: `history[${i}].role should be system, user or assistant` });
    if (typeof content !== 'string')
      problems.push({ path: `history[${i}].content`, message: `history[${i}].content should be a string` });
    if (typeof role === 'string' && ROLES.has(role) && typeof content === 'string')
      out.push({ role: role as ChatRole, content });
  });
  if (problems.length > 0) {
    throw templateError(
      'invalid_history',
      problems
        .map((p) => p.message)
        .slice(0, 3)
        .join('; '),
      { details: problems },
    );
  }
  return out;
}

export interface ChatRenderOptions extends Omit<RenderOptions, 'parameters'> {
  /** Earlier messages for the prompt's history placeholder. */
  history?: unknown;
}

/** Where an error of message `index` is: its path says which message, line and column stay within it. */
function inMessage(err: unknown, index: number): AnvilError {
  const e = toAnvilError(err);
  return e.path === undefined ? new AnvilError({ ...e.toJSON(), path: `messages[${index}]` }) : e;
}

function prepare(engine: TemplateEngine, prompt: ChatPrompt, values: Record<string, unknown>, opts: ChatRenderOptions) {
  const scope = engine.prepareValues(values, prompt.parameters);
  const history = validateHistory(opts.history);
  return { scope, history, render: { name: opts.name ?? prompt.name, resolve: opts.resolve } satisfies RenderOptions };
}

/** Renders every message of a chat prompt with one validation, and splices the history in its place. */
export async function renderChat(
  engine: TemplateEngine,
  prompt: ChatPrompt,
  values: Record<string, unknown>,
  opts: ChatRenderOptions = {},
): Promise<ChatMessage[]> {
  const { scope, history, render } = prepare(engine, prompt, values, opts);
  const out: ChatMessage[] = [];
  for (const [i, item] of prompt.messages.entries()) {
    if (item.type === 'history') out.push(...history);
    else {
      try {
        out.push({ role: item.role, content: await engine.renderPrepared(item.content, scope, render, false) });
      } catch (e) {
        throw inMessage(e, i);
      }
    }
  }
  return out;
}

export function renderChatSync(
  engine: TemplateEngine,
  prompt: ChatPrompt,
  values: Record<string, unknown>,
  opts: ChatRenderOptions = {},
): ChatMessage[] {
  const { scope, history, render } = prepare(engine, prompt, values, opts);
  return prompt.messages.flatMap((item, i): ChatMessage[] => {
    if (item.type === 'history') return history;
    try {
      return [{ role: item.role, content: engine.renderPrepared(item.content, scope, render, true) }];
    } catch (e) {
      throw inMessage(e, i);
    }
  });
}
