import { canonicalJson } from '../domain/hash';
import type { ModelSettings } from '../domain/model-settings';
import type { Prompt } from '../domain/prompt';
import { reason, type ChangeReason } from './reasons';
import { compareFields } from './types-diff';

const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

/** Keys whose values differ between two objects (the union of their keys), sorted. */
function changedKeys(a: object | null, b: object | null): string[] {
  const left = (a ?? {}) as Record<string, unknown>;
  const right = (b ?? {}) as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].filter((k) => !same(left[k], right[k])).sort();
}

function historyName(p: Prompt): string | null {
  if (p.kind !== 'chat') return null;
  const item = p.messages.find((m) => m.type === 'history');
  return item?.type === 'history' ? item.name : null;
}

/** Only the role messages, without the history placeholder, for a text-level comparison. */
function messageText(p: Prompt): unknown {
  return p.kind === 'chat' ? p.messages.map((m) => (m.type === 'message' ? m : { type: 'history' })) : p.template;
}

/**
 * Model settings changes are classed minor: callers' inputs keep working, but the prompt behaves differently,
 * which a patch must not do. The reason lists the keys (`model`, `responseSchema`, …) so a reviewer who sees a
 * response schema change that breaks consumers can choose a major version on purpose.
 */
function compareModel(prev: ModelSettings | null, next: ModelSettings | null, prompt: string): ChangeReason[] {
  if (same(prev, next)) return [];
  const keys = prev === null || next === null ? [next === null ? 'removed' : 'added'] : changedKeys(prev, next);
  return [reason('model_settings_changed', `model settings changed (${keys.join(', ')})`, { prompt })];
}

/** What changed between two versions of the same prompt (matched by id, or by name when ids differ). */
export function comparePrompt(prev: Prompt, next: Prompt): ChangeReason[] {
  const prompt = next.name;
  const out: ChangeReason[] = [];
  if (prev.name !== next.name)
    out.push(reason('prompt_renamed', `prompt \`${prev.name}\` was renamed to \`${next.name}\``, { prompt }));
  if (prev.kind !== next.kind)
    out.push(reason('prompt_kind_changed', `changed from a ${prev.kind} prompt to a ${next.kind} prompt`, { prompt }));

  out.push(...compareFields(prev.parameters, next.parameters, '', { prompt }));
  const nextParams = new Map(next.parameters.map((p) => [p.name, p]));
  for (const before of prev.parameters) {
    const after = nextParams.get(before.name);
    if (!after) continue;
    const at = { prompt, parameter: before.name };
    if (!same(before.default, after.default))
      out.push(reason('parameter_default_changed', `parameter \`${before.name}\` has a new default`, at));
    if (before.description !== after.description)
      out.push(reason('parameter_description_changed', `parameter \`${before.name}\` has a new description`, at));
  }

  const [hPrev, hNext] = [historyName(prev), historyName(next)];
  if (hPrev !== null && hNext === null)
    out.push(reason('history_removed', `history placeholder \`${hPrev}\` was removed`, { prompt }));
  if (hPrev === null && hNext !== null)
    out.push(reason('history_added', `history placeholder \`${hNext}\` was added`, { prompt }));
  if (hPrev !== null && hNext !== null && hPrev !== hNext)
    out.push(reason('history_renamed', `history placeholder \`${hPrev}\` was renamed to \`${hNext}\``, { prompt }));

  out.push(...compareModel(prev.model, next.model, prompt));
  if (prev.kind === next.kind && !same(messageText(prev), messageText(next)))
    out.push(
      prev.kind === 'text'
        ? reason('template_changed', 'template text changed', { prompt })
        : reason('messages_changed', 'chat messages changed', { prompt }),
    );
  if (prev.description !== next.description) out.push(reason('description_changed', 'description changed', { prompt }));
  const meta = changedKeys(prev.metadata, next.metadata);
  if (meta.length > 0) out.push(reason('metadata_changed', `metadata changed (${meta.join(', ')})`, { prompt }));
  return out;
}
