import { z } from 'zod';
import { Id, Name } from './names';
import { Parameter } from './parameter';
import { ModelSettings } from './model-settings';

export const ChatRole = z.enum(['system', 'user', 'assistant']);
export type ChatRole = z.infer<typeof ChatRole>;

/**
 * A chat prompt is a list of role messages (each a Liquid template) and at most one history placeholder,
 * where the application splices in the conversation so far.
 */
export const ChatItem = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), role: ChatRole, content: z.string() }).strict(),
  z.object({ type: z.literal('history'), name: z.string().min(1).max(64) }).strict(),
]);
export type ChatItem = z.infer<typeof ChatItem>;

export const MAX_TEMPLATE_CHARS = 1_000_000;

const PromptBase = {
  id: Id,
  name: Name,
  description: z.string().max(4000).default(''),
  parameters: z.array(Parameter).default([]),
  model: ModelSettings.nullable().default(null),
  metadata: z.record(z.string(), z.string()).default({}),
};

export const TextPrompt = z
  .object({ ...PromptBase, kind: z.literal('text'), template: z.string().max(MAX_TEMPLATE_CHARS) })
  .strict();
export const ChatPrompt = z
  .object({ ...PromptBase, kind: z.literal('chat'), messages: z.array(ChatItem).max(200) })
  .strict()
  .superRefine((p, ctx) => {
    if (p.messages.filter((m) => m.type === 'history').length > 1)
      ctx.addIssue({
        code: 'custom',
        message: 'a chat prompt has at most one history placeholder',
        path: ['messages'],
      });
  });

export const Prompt = z.discriminatedUnion('kind', [TextPrompt, ChatPrompt]);
export type TextPrompt = z.infer<typeof TextPrompt>;
export type ChatPrompt = z.infer<typeof ChatPrompt>;
export type Prompt = z.infer<typeof Prompt>;

/** Every template source of a prompt, in order: the text template, or each chat message's content. */
export function promptSources(p: Prompt): string[] {
  return p.kind === 'text' ? [p.template] : p.messages.flatMap((m) => (m.type === 'message' ? [m.content] : []));
}
