import { canonicalJson } from '../domain/hash';
import type { Prompt } from '../domain/prompt';
import type { PromptSetContent } from '../domain/prompt-set';
import { maxClass, reason, type ChangeClassification, type ChangeReason } from './reasons';
import { comparePrompt } from './prompt-diff';

/**
 * Pairs previous and next prompts: by stable id first (so a rename is seen as a rename), then by name among the
 * rest (a prompt deleted and re-created under the same name keeps its address, so consumers see one prompt).
 */
function pairPrompts(
  prev: Prompt[],
  next: Prompt[],
): { pairs: [Prompt, Prompt][]; removed: Prompt[]; added: Prompt[] } {
  const nextById = new Map(next.map((p) => [p.id, p]));
  const pairs: [Prompt, Prompt][] = [];
  const taken = new Set<Prompt>();
  const unmatched: Prompt[] = [];
  for (const p of prev) {
    const n = nextById.get(p.id);
    if (n) {
      pairs.push([p, n]);
      taken.add(n);
    } else unmatched.push(p);
  }
  const removed: Prompt[] = [];
  for (const p of unmatched) {
    const n = next.find((x) => !taken.has(x) && x.name === p.name);
    if (n) {
      pairs.push([p, n]);
      taken.add(n);
    } else removed.push(p);
  }
  return { pairs, removed, added: next.filter((n) => !taken.has(n)) };
}

function compareDependencies(prev: Record<string, string>, next: Record<string, string>): ChangeReason[] {
  const out: ChangeReason[] = [];
  for (const [set, range] of Object.entries(prev)) {
    const now = next[set];
    if (now === undefined) out.push(reason('dependency_removed', `dependency ${set} was removed`));
    else if (now !== range)
      out.push(reason('dependency_range_changed', `dependency ${set} changed from ${range} to ${now}`));
  }
  for (const [set, range] of Object.entries(next))
    if (!(set in prev)) out.push(reason('dependency_added', `dependency ${set}@${range} was added`));
  return out;
}

/**
 * Classifies the change from one version of a prompt set to the next, with every reason. The class is the
 * largest of the reasons' classes (see `REASON_CLASS`); identical canonical JSON is `none`. Dependency rules are
 * kept simple on purpose: removed is major, added or re-ranged is minor.
 */
export function classifyChange(prev: PromptSetContent, next: PromptSetContent): ChangeClassification {
  if (canonicalJson(prev) === canonicalJson(next)) return { changeClass: 'none', reasons: [] };
  const reasons: ChangeReason[] = [];
  if (prev.name !== next.name)
    reasons.push(
      reason('set_renamed', `the set was renamed from ${prev.name} to ${next.name}; addresses that name it break`),
    );

  const { pairs, removed, added } = pairPrompts(prev.prompts, next.prompts);
  for (const p of removed)
    reasons.push(reason('prompt_removed', `prompt \`${p.name}\` was removed`, { prompt: p.name }));
  for (const p of added) reasons.push(reason('prompt_added', `prompt \`${p.name}\` was added`, { prompt: p.name }));
  for (const [p, n] of pairs) reasons.push(...comparePrompt(p, n));

  reasons.push(...compareDependencies(prev.dependencies, next.dependencies));
  if (prev.description !== next.description) reasons.push(reason('description_changed', 'the set description changed'));

  const order = (ps: Prompt[], keep: Set<string>): string =>
    ps
      .filter((p) => keep.has(p.id))
      .map((p) => p.id)
      .join('\n');
  const kept = new Set(pairs.filter(([p, n]) => p.id === n.id).map(([p]) => p.id));
  if (order(prev.prompts, kept) !== order(next.prompts, kept))
    reasons.push(reason('prompts_reordered', 'prompts were reordered'));
  // Anything the rules above do not name (ids of re-created prompts, the set's project) is still a change.
  if (reasons.length === 0)
    reasons.push(reason('other_changed', 'content changed outside the prompts (ids or other details)'));

  const changeClass = reasons.reduce<ChangeClassification['changeClass']>((c, r) => maxClass(c, r.class), 'none');
  return { changeClass, reasons };
}
