import { canonicalJson, type Prompt, type PromptSetContent } from '../domain';
import { classifyChange, type ChangeReason } from '../semver';
import { comparable } from './check';
import { compareMessages } from './messages';
import { comparePromptMetadata, compareSetMetadata } from './metadata';
import { compareParameters } from './parameters';
import { addStats, compareText, limitsOf, noStats, type Limits } from './text';
import type { CompareOptions, PromptComparison, SetComparison } from './types';

interface Entry {
  before: Prompt | null;
  after: Prompt | null;
}

/**
 * Pairs prompts the way `classifyChange` does, so the comparison and its classification tell one story: by id
 * (ids are stable, a rename keeps the id), then by name among the rest (a prompt deleted and re-created under the
 * same name is shown as one changed prompt, as the classification sees it).
 *
 * Order: the after set's order; a removed prompt sits at its old place, right after the prompt that preceded it
 * in the before set (or first when nothing kept preceded it), so a side-by-side view reads like both versions.
 */
function pairPrompts(before: Prompt[], after: Prompt[]): Entry[] {
  const partner = new Map<Prompt, Prompt>();
  const taken = new Set<Prompt>();
  const afterById = new Map(after.map((p) => [p.id, p]));
  for (const b of before) {
    const a = afterById.get(b.id);
    if (a) {
      partner.set(b, a);
      taken.add(a);
    }
  }
  for (const b of before) {
    if (partner.has(b)) continue;
    const a = after.find((x) => !taken.has(x) && x.name === b.name);
    if (a) {
      partner.set(b, a);
      taken.add(a);
    }
  }
  const removedAfter = new Map<Prompt | null, Prompt[]>();
  let anchor: Prompt | null = null;
  for (const b of before) {
    const a = partner.get(b);
    if (a) anchor = a;
    else removedAfter.set(anchor, [...(removedAfter.get(anchor) ?? []), b]);
  }
  const beforeOf = new Map([...partner].map(([b, a]) => [a, b]));
  const out: Entry[] = (removedAfter.get(null) ?? []).map((b) => ({ before: b, after: null }));
  for (const a of after) {
    out.push({ before: beforeOf.get(a) ?? null, after: a });
    for (const b of removedAfter.get(a) ?? []) out.push({ before: b, after: null });
  }
  return out;
}

/**
 * The reasons that belong to one prompt. Reasons name prompts by their next name (removed ones by their old
 * name); a removed prompt only takes `prompt_removed`, so a prompt renamed to a removed one's name keeps its own.
 */
function reasonsFor({ before, after }: Entry, reasons: ChangeReason[]): ChangeReason[] {
  if (!after) return reasons.filter((r) => r.code === 'prompt_removed' && r.prompt === before?.name);
  return reasons.filter((r) => r.code !== 'prompt_removed' && r.prompt === after.name);
}

function comparePrompt(entry: Entry, reasons: ChangeReason[], limits: Limits): PromptComparison {
  const { before, after } = entry;
  const main = (after ?? before) as Prompt;
  const template = (p: Prompt | null): string | null => (p?.kind === 'text' ? p.template : null);
  const messages = (p: Prompt | null): Extract<Prompt, { kind: 'chat' }>['messages'] | null =>
    p?.kind === 'chat' ? p.messages : null;
  // A kind change (text ↔ chat) fills both: the template side and the messages side, each against nothing.
  const [tb, ta] = [template(before), template(after)];
  const [mb, ma] = [messages(before), messages(after)];
  const templateCmp = tb === null && ta === null ? null : compareText(tb ?? '', ta ?? '', limits);
  const messagesCmp = mb === null && ma === null ? null : compareMessages(mb ?? [], ma ?? [], limits);

  const stats = noStats();
  if (templateCmp) addStats(stats, templateCmp.stats);
  for (const m of messagesCmp ?? []) addStats(stats, m.text.stats);
  const status = !before
    ? 'added'
    : !after
      ? 'removed'
      : canonicalJson(before) === canonicalJson(after)
        ? 'unchanged'
        : 'changed';
  return {
    promptId: main.id,
    status,
    name: main.name,
    previousName: before && after && before.name !== after.name ? before.name : null,
    kind: main.kind,
    template: templateCmp,
    messages: messagesCmp,
    parameters: compareParameters(before?.parameters ?? [], after?.parameters ?? []),
    metadata: comparePromptMetadata(before, after),
    stats,
    reasons: reasonsFor(entry, reasons),
  };
}

/**
 * The structured comparison of two versions of a prompt set: every prompt (added, removed, changed, unchanged)
 * with its text hunks, message-by-message chat changes, parameter and settings changes, its share of the
 * semver reasons, and the set's own changes and classification. Bounded: each text is diffed within
 * `options.maxEditLength` / `options.timeoutMs` and shown as `replaced` beyond them. Throws an AnvilError
 * `invalid_comparison_input` for content of the wrong shape.
 */
export function compareSets(
  beforeInput: PromptSetContent,
  afterInput: PromptSetContent,
  options?: CompareOptions,
): SetComparison {
  // Typed, but content read from disk or a peer may still be malformed: refuse it by name, never crash.
  const before = comparable(beforeInput, 'before');
  const after = comparable(afterInput, 'after');
  const limits = limitsOf(options);
  const classification = classifyChange(before, after);
  const prompts = pairPrompts(before.prompts, after.prompts).map((e) =>
    comparePrompt(e, classification.reasons, limits),
  );
  const summary = { added: 0, removed: 0, renamed: 0, changed: 0, unchanged: 0, stats: noStats() };
  for (const p of prompts) {
    if (p.previousName !== null) summary.renamed++;
    else summary[p.status]++;
    addStats(summary.stats, p.stats);
  }
  return { prompts, set: compareSetMetadata(before, after), summary, classification };
}
