import type * as Y from 'yjs';
import { ORIGIN, promptMap, prompts, readPrompt, removePrompt, upsertPrompt } from '../../../shared/doc';
import { POSITION_KEY, nextPosition } from '../../../shared/doc/order';
import type { ChatItem, Prompt } from '../../../shared/domain';
import { AnvilError, Prompt as PromptSchema, newId } from '../../../shared/domain';
import type { AuditAction } from '../audit';
import { auditedChange } from '../context';
import { hashOf } from '../hash';
import type { Args } from '../../../shared/contract/operations';
import { parseArgs } from '../../../shared/contract/operations';
import type { WorkspaceContext } from './context';
import { requireDoc } from './context';
import { checkName, nameTaken, notFound } from './errors';

/** A new chat prompt starts with an empty system and user message. */
const DEFAULT_MESSAGES: ChatItem[] = [
  { type: 'message', role: 'system', content: '' },
  { type: 'message', role: 'user', content: '' },
];

/** The live prompt of a set (not deleted), or `prompt_not_found`. */
export function requirePrompt(doc: Y.Doc, promptId: string): Prompt {
  const pm = promptMap(doc, promptId);
  const p = pm && !pm.get('deletedAt') ? readPrompt(pm) : undefined;
  if (!p) throw notFound('prompt', promptId);
  return p;
}

/** Prompt names are unique within a set (the address `@project/set/prompt` names one), not across sets. */
function checkFree(doc: Y.Doc, name: string, exceptId: string | null): void {
  prompts(doc).forEach((pm, id) => {
    if (id !== exceptId && !pm.get('deletedAt') && pm.get('name') === name)
      throw nameTaken('prompt', name, 'in this set');
  });
}

export function promptOps(ctx: WorkspaceContext) {
  /**
   * Structural changes of a prompt are audited as themselves (not as an `edit`), with the prompt's hash
   * before and after; `fn` validates before it mutates, since a Yjs transaction cannot be rolled back.
   */
  const change = (
    setId: string,
    promptId: string,
    action: AuditAction,
    fn: (doc: Y.Doc, before: Prompt | null) => Prompt | null,
    details: Record<string, unknown> = {},
  ) =>
    auditedChange(ctx, setId, ORIGIN.local, (doc) => {
      const pm = promptMap(doc, promptId);
      const before = pm && !pm.get('deletedAt') ? (readPrompt(pm) ?? null) : null;
      const after = fn(doc, before);
      return {
        action,
        entityKind: 'prompt',
        entityId: promptId,
        beforeHash: before && hashOf(before),
        afterHash: after && hashOf(after),
        details: { setId, ...details },
      };
    });

  return {
    async create(args: Args<'prompts:create'>): Promise<Prompt> {
      const a = parseArgs('prompts:create', args);
      checkName('prompt', a.name);
      requireDoc(ctx, a.setId, 'set');
      const base = {
        id: newId(),
        name: a.name,
        description: a.description ?? '',
        parameters: a.parameters ?? [],
        model: a.model ?? null,
        metadata: {},
      };
      const candidate =
        a.kind === 'text'
          ? { ...base, kind: 'text', template: a.template ?? '' }
          : { ...base, kind: 'chat', messages: a.messages ?? DEFAULT_MESSAGES };
      const parsed = PromptSchema.safeParse(candidate);
      if (!parsed.success)
        throw new AnvilError({
          code: 'invalid_argument',
          message: `Invalid prompt: ${parsed.error.issues.map((i) => i.message).join('; ')}.`,
          details: parsed.error.issues,
        });
      let created: Prompt | undefined;
      await change(
        a.setId,
        parsed.data.id,
        'prompt.create',
        (d) => {
          checkFree(d, a.name, null);
          upsertPrompt(d, parsed.data);
          // The editor lists a new prompt last (its order is not content: see shared/doc/order.ts).
          promptMap(d, parsed.data.id)?.set(POSITION_KEY, nextPosition(d));
          created = requirePrompt(d, parsed.data.id);
          return created;
        },
        { name: a.name, kind: a.kind },
      );
      return created as Prompt;
    },

    async rename(args: Args<'prompts:rename'>): Promise<Prompt> {
      const a = parseArgs('prompts:rename', args);
      checkName('prompt', a.name);
      let renamed: Prompt | undefined;
      requireDoc(ctx, a.setId, 'set');
      await change(
        a.setId,
        a.promptId,
        'prompt.rename',
        (d, before) => {
          if (!before) throw notFound('prompt', a.promptId);
          checkFree(d, a.name, a.promptId);
          promptMap(d, a.promptId)?.set('name', a.name);
          renamed = requirePrompt(d, a.promptId);
          return renamed;
        },
        { to: a.name },
      );
      return renamed as Prompt;
    },

    /** Remove a prompt from the draft (the versions that hold it keep it; the audit row keeps its hash). */
    async delete(args: Args<'prompts:delete'>): Promise<void> {
      const a = parseArgs('prompts:delete', args);
      requireDoc(ctx, a.setId, 'set');
      await change(a.setId, a.promptId, 'prompt.delete', (d, before) => {
        if (!before) throw notFound('prompt', a.promptId);
        removePrompt(d, a.promptId);
        return null;
      });
    },

    async get(args: Args<'prompts:get'>): Promise<Prompt> {
      const a = parseArgs('prompts:get', args);
      return requirePrompt(requireDoc(ctx, a.setId, 'set'), a.promptId);
    },
  };
}

export type PromptOps = ReturnType<typeof promptOps>;
