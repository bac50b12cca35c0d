import { canonicalJson } from '../../../shared/domain';
import type { Prompt, PromptSetContent } from '../../../shared/domain';

/**
 * Per-prompt history: in which versions one prompt (by id: ids are stable, a rename keeps it) changed, found
 * by comparing each version's content of that prompt with the version before it in time.
 */

export type PromptEventKind = 'added' | 'changed' | 'renamed' | 'removed';

export interface PromptEvent {
  kind: PromptEventKind;
  /** The prompt's name after the change (before it, when removed). */
  name: string;
  /** The name before a rename. */
  previousName: string | null;
}

export interface Snapshot {
  /** A version number, or 'draft'. */
  key: string;
  content: PromptSetContent;
}

function promptOf(content: PromptSetContent, promptId: string): Prompt | undefined {
  return content.prompts.find((p) => p.id === promptId);
}

function eventBetween(prev: Prompt | undefined, next: Prompt | undefined): PromptEvent | null {
  if (!prev && !next) return null;
  if (!prev && next) return { kind: 'added', name: next.name, previousName: null };
  if (prev && !next) return { kind: 'removed', name: prev.name, previousName: null };
  if (!prev || !next) return null;
  if (canonicalJson(prev) === canonicalJson(next)) return null;
  const { name: a, ...restPrev } = prev;
  const { name: b, ...restNext } = next;
  const onlyRenamed = a !== b && canonicalJson(restPrev) === canonicalJson(restNext);
  return { kind: onlyRenamed ? 'renamed' : 'changed', name: b, previousName: a !== b ? a : null };
}

/**
 * The event of `promptId` in each snapshot that changed it, keyed by snapshot key. `chronological` is oldest
 * first (a draft, if given, last); the first snapshot is compared with nothing (so a prompt in it is 'added').
 */
export function promptEvents(chronological: readonly Snapshot[], promptId: string): Map<string, PromptEvent> {
  const out = new Map<string, PromptEvent>();
  let prev: Prompt | undefined;
  for (const s of chronological) {
    const next = promptOf(s.content, promptId);
    const event = eventBetween(prev, next);
    if (event) out.set(s.key, event);
    prev = next;
  }
  return out;
}

export interface KnownPrompt {
  id: string;
  /** The latest name it had. */
  name: string;
  /** Not in the last snapshot (the draft when given). */
  removed: boolean;
}

/** Every prompt that appears anywhere in the history, by its latest name; the current ones first. */
export function knownPrompts(chronological: readonly Snapshot[]): KnownPrompt[] {
  const latest = new Map<string, string>();
  for (const s of chronological) for (const p of s.content.prompts) latest.set(p.id, p.name);
  const last = chronological[chronological.length - 1];
  const current = new Set(last?.content.prompts.map((p) => p.id) ?? []);
  return [...latest.entries()]
    .map(([id, name]) => ({ id, name, removed: !current.has(id) }))
    .sort((a, b) => Number(a.removed) - Number(b.removed) || a.name.localeCompare(b.name));
}

/** True when the two contents are the same (what a version freezes), so the draft has no unsaved changes. */
export function sameContent(a: PromptSetContent, b: PromptSetContent): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
