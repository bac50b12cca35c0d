import type * as Y from 'yjs';
import { ORIGIN, promptMap, prompts, upsertPrompt } from '../../../shared/doc';
import { POSITION_KEY, nextPosition, promptOrder, writeOrder } from '../../../shared/doc/order';
import type { Prompt } from '../../../shared/domain';
import { NAME_MAX, newId } from '../../../shared/domain';
import type { OperationArgs } from '../../../shared/contract/contract';
import { parseOperation } from '../../../shared/contract/contract';
import { auditedChange } from '../context';
import { hashOf } from '../hash';
import type { WorkspaceContext } from './context';
import { requireDoc } from './context';
import { checkName, nameTaken, notFound } from './errors';
import { requirePrompt } from './prompts';

/** Live prompt names of a set. */
function liveNames(doc: Y.Doc): Set<string> {
  const names = new Set<string>();
  prompts(doc).forEach((pm) => {
    if (!pm.get('deletedAt')) names.add(String(pm.get('name') ?? ''));
  });
  return names;
}

/** `x-copy`, then `x-copy-2`, `x-copy-3`…: the first free one, the base cut so the name stays ≤ NAME_MAX. */
export function copyName(source: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '-copy' : `-copy-${n}`;
    const name = source.slice(0, NAME_MAX - suffix.length) + suffix;
    if (!taken.has(name)) return name;
  }
}

/**
 * The editor's operations on a set's prompt list: duplicate a prompt, and reorder the list. Order is the
 * `position` key of `shared/doc/order.ts`; it never reaches content or hashes, so a reorder is not audited.
 */
export function orderingOps(ctx: WorkspaceContext) {
  return {
    /** A copy of the prompt under a new id, named `name` or `<name>-copy[-n]`; audited as a create. */
    async duplicate(args: OperationArgs<'prompts:duplicate'>): Promise<Prompt> {
      const a = parseOperation<'prompts:duplicate'>('prompts:duplicate', args).args;
      if (a.name !== undefined) checkName('prompt', a.name);
      requireDoc(ctx, a.setId, 'set');
      const id = newId();
      let created: Prompt | undefined;
      await auditedChange(ctx, a.setId, ORIGIN.local, (doc) => {
        const source = requirePrompt(doc, a.promptId);
        const taken = liveNames(doc);
        if (a.name !== undefined && taken.has(a.name)) throw nameTaken('prompt', a.name, 'in this set');
        const name = a.name ?? copyName(source.name, taken);
        upsertPrompt(doc, { ...source, id, name });
        promptMap(doc, id)?.set(POSITION_KEY, nextPosition(doc));
        created = requirePrompt(doc, id);
        return {
          action: 'prompt.create',
          entityKind: 'prompt',
          entityId: id,
          beforeHash: null,
          afterHash: hashOf(created),
          details: { setId: a.setId, name, kind: created.kind, duplicateOf: a.promptId },
        };
      });
      return created as Prompt;
    },

    /**
     * Put `promptIds` first, in that order; the set's other live prompts keep their relative order after them.
     * Positions become 0..n-1. An id that is not a live prompt of the set is an error and nothing changes.
     */
    async reorder(args: OperationArgs<'prompts:reorder'>): Promise<void> {
      const a = parseOperation<'prompts:reorder'>('prompts:reorder', args).args;
      requireDoc(ctx, a.setId, 'set');
      await ctx.docs.transact(
        a.setId,
        (doc) => {
          const current = promptOrder(doc);
          const live = new Set(current);
          const first = [...new Set(a.promptIds)];
          for (const id of first) if (!live.has(id)) throw notFound('prompt', id);
          const chosen = new Set(first);
          writeOrder(doc, [...first, ...current.filter((id) => !chosen.has(id))]);
        },
        ORIGIN.local,
      );
    },
  };
}

export type OrderingOps = ReturnType<typeof orderingOps>;
