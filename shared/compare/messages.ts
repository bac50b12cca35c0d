import { diffArrays } from 'diff';
import type { ChatItem } from '../domain';
import { budget, compareText, type Limits } from './text';
import type { MessageComparison } from './types';

interface Entry {
  index: number;
  role: string;
  text: string;
}

interface Pair {
  before: Entry | null;
  after: Entry | null;
}

/** The history placeholder has no role and no text: it shows as role `history` with its name as the text. */
function entry(item: ChatItem, index: number): Entry {
  return item.type === 'message'
    ? { index, role: item.role, text: item.content }
    : { index, role: 'history', text: item.name };
}

type Key = (e: Entry) => string;
const exact: Key = (e) => `${e.role}\u0000${e.text}`;
const byRole: Key = (e) => e.role;

/**
 * Aligns two message lists in passes: identical messages first (so an inserted message is one `added`, not a
 * shift of every message after it), then, between those anchors, messages with the same role (an edited
 * message stays paired with its old self), then whatever is left by position (a role change).
 */
function align(before: Entry[], after: Entry[], keys: Key[], limits: Limits): Pair[] {
  const [key, ...rest] = keys;
  if (!key) {
    const out: Pair[] = [];
    const paired = Math.min(before.length, after.length);
    for (let i = 0; i < paired; i++) out.push({ before: before[i] ?? null, after: after[i] ?? null });
    for (const b of before.slice(paired)) out.push({ before: b, after: null });
    for (const a of after.slice(paired)) out.push({ before: null, after: a });
    return out;
  }
  // Bounded like every diff call (chat prompts hold at most 200 items, so this never bites in practice); past
  // the bound, the next pass aligns the lists.
  const changes = diffArrays(before.map(key), after.map(key), {
    maxEditLength: limits.maxEditLength,
    timeout: Math.max(1, budget(limits)),
  });
  if (!changes) return align(before, after, rest, limits);
  const out: Pair[] = [];
  let i = 0;
  let j = 0;
  let pendingBefore: Entry[] = [];
  let pendingAfter: Entry[] = [];
  const flush = (): void => {
    if (pendingBefore.length > 0 || pendingAfter.length > 0)
      out.push(...align(pendingBefore, pendingAfter, rest, limits));
    pendingBefore = [];
    pendingAfter = [];
  };
  for (const c of changes) {
    const n = c.value.length;
    if (c.removed) {
      pendingBefore.push(...before.slice(i, i + n));
      i += n;
    } else if (c.added) {
      pendingAfter.push(...after.slice(j, j + n));
      j += n;
    } else {
      flush();
      for (let k = 0; k < n; k++) out.push({ before: before[i + k] ?? null, after: after[j + k] ?? null });
      i += n;
      j += n;
    }
  }
  flush();
  return out;
}

/** Chat messages compared one by one, in reading order (removed messages at their old place). */
export function compareMessages(before: ChatItem[], after: ChatItem[], limits: Limits): MessageComparison[] {
  const pairs = align(before.map(entry), after.map(entry), [exact, byRole], limits);
  return pairs.map(({ before: b, after: a }) => {
    const text = compareText(b?.text ?? '', a?.text ?? '', limits);
    const status =
      b === null ? 'added' : a === null ? 'removed' : b.role === a.role && b.text === a.text ? 'unchanged' : 'changed';
    return {
      status,
      beforeIndex: b?.index ?? null,
      afterIndex: a?.index ?? null,
      beforeRole: b?.role ?? null,
      afterRole: a?.role ?? null,
      text,
    };
  });
}
