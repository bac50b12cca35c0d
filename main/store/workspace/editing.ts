import type * as Y from 'yjs';
import {
  ORIGIN,
  promptMap,
  replaceText,
  setModel,
  setParameters,
  templateText,
  upsertPrompt,
} from '../../../shared/doc';
import type { ChatItem, Prompt } from '../../../shared/domain';
import { AnvilError, ChatPrompt } from '../../../shared/domain';
import type { Args } from '../../../shared/contract/operations';
import { parseArgs } from '../../../shared/contract/operations';
import type { WorkspaceContext } from './context';
import { requireDoc } from './context';
import { invalidArgument } from './errors';
import { requirePrompt } from './prompts';

/**
 * Content edits of a prompt: typing, chat messages, parameters, model settings. They carry origin `local`
 * and no audit entry of their own: the audit recorder turns them into coalesced `edit` rows (one per prompt,
 * actor and minute), exactly as it does for edits that reach the document from the renderer's replica.
 * Each resolves once durable; they never wait for one another beyond the group commit.
 */
export function editingOps(ctx: WorkspaceContext) {
  /** Run `fn` on a live prompt; it validates before mutating, since a Yjs transaction cannot be undone. */
  const edit = async <T>(setId: string, promptId: string, fn: (doc: Y.Doc, p: Prompt) => T): Promise<T> => {
    requirePrompt(requireDoc(ctx, setId, 'set'), promptId);
    let out: T | undefined;
    await ctx.docs.transact(
      setId,
      (doc) => {
        out = fn(doc, requirePrompt(doc, promptId));
      },
      ORIGIN.local,
    );
    return out as T;
  };
  const text = (doc: Y.Doc, p: Prompt, message: number | undefined): Y.Text => {
    if (p.kind === 'text') {
      if (message !== undefined) throw invalidArgument(`"${p.name}" is a text prompt: it has no messages.`);
      return templateText(doc, p.id);
    }
    const item = message === undefined ? undefined : p.messages[message];
    if (!item || item.type !== 'message')
      throw invalidArgument(
        `"${p.name}" is a chat prompt: give the index of one of its messages (0..${p.messages.length - 1}, not the history placeholder).`,
      );
    return templateText(doc, p.id, message);
  };
  const setMessages = (doc: Y.Doc, p: Prompt, messages: ChatItem[]): void => {
    if (p.kind !== 'chat') throw invalidArgument(`"${p.name}" is a text prompt: it has no messages.`);
    const parsed = ChatPrompt.safeParse({ ...p, messages });
    if (!parsed.success)
      throw new AnvilError({
        code: 'invalid_argument',
        message: parsed.error.issues.map((i) => i.message).join('; '),
        details: parsed.error.issues,
      });
    upsertPrompt(doc, parsed.data);
  };

  return {
    /** One editor change: delete `deleteCount` UTF-16 units at `index`, then insert `insert` there (Monaco's offsets). */
    async editTemplate(args: Args<'prompts:editTemplate'>): Promise<void> {
      const a = parseArgs('prompts:editTemplate', args);
      return edit(a.setId, a.promptId, (doc, p) => {
        const t = text(doc, p, a.message);
        if (a.index + a.deleteCount > t.length)
          throw invalidArgument(
            `The edit (${a.index}+${a.deleteCount}) reaches past the end of the template (${t.length} characters).`,
          );
        if (a.deleteCount > 0) t.delete(a.index, a.deleteCount);
        if (a.insert.length > 0) t.insert(a.index, a.insert);
      });
    },

    /** Replace a whole template; only the span that differs is rewritten, so it merges with concurrent typing. */
    async setTemplate(args: Args<'prompts:setTemplate'>): Promise<void> {
      const a = parseArgs('prompts:setTemplate', args);
      return edit(a.setId, a.promptId, (doc, p) => {
        replaceText(text(doc, p, a.message), a.text);
      });
    },

    async addMessage(args: Args<'prompts:addMessage'>): Promise<void> {
      const a = parseArgs('prompts:addMessage', args);
      return edit(a.setId, a.promptId, (doc, p) => {
        const list = p.kind === 'chat' ? [...p.messages] : [];
        list.splice(Math.min(a.at ?? list.length, list.length), 0, a.item);
        setMessages(doc, p, list);
      });
    },

    async removeMessage(args: Args<'prompts:removeMessage'>): Promise<void> {
      const a = parseArgs('prompts:removeMessage', args);
      return edit(a.setId, a.promptId, (doc, p) => {
        if (p.kind !== 'chat' || a.index >= p.messages.length)
          throw invalidArgument(`"${p.name}" has no message ${a.index}.`);
        setMessages(
          doc,
          p,
          p.messages.filter((_, i) => i !== a.index),
        );
      });
    },

    async setMessageRole(args: Args<'prompts:setMessageRole'>): Promise<void> {
      const a = parseArgs('prompts:setMessageRole', args);
      return edit(a.setId, a.promptId, (doc, p) => {
        const list = p.kind === 'chat' ? p.messages : [];
        const item = list[a.index];
        if (!item || item.type !== 'message') throw invalidArgument(`"${p.name}" has no message ${a.index}.`);
        setMessages(
          doc,
          p,
          list.map((m, i) => (i === a.index ? { ...item, role: a.role } : m)),
        );
      });
    },

    /** The declared parameters, in order (names unique). */
    async setParameters(args: Args<'prompts:setParameters'>): Promise<void> {
      const a = parseArgs('prompts:setParameters', args);
      const names = a.parameters.map((p) => p.name);
      const dup = names.find((n, i) => names.indexOf(n) !== i);
      if (dup !== undefined) throw invalidArgument(`The parameter "${dup}" is declared twice.`);
      return edit(a.setId, a.promptId, (doc, p) => setParameters(doc, p.id, a.parameters));
    },

    async setModel(args: Args<'prompts:setModel'>): Promise<void> {
      const a = parseArgs('prompts:setModel', args);
      return edit(a.setId, a.promptId, (doc, p) => setModel(doc, p.id, a.model));
    },

    async setDescription(args: Args<'prompts:setDescription'>): Promise<void> {
      const a = parseArgs('prompts:setDescription', args);
      return edit(a.setId, a.promptId, (doc, p) => {
        const pm = promptMap(doc, p.id);
        if (pm && pm.get('description') !== a.description) pm.set('description', a.description);
      });
    },
  };
}

export type EditingOps = ReturnType<typeof editingOps>;
