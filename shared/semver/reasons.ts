import type { ChangeClass } from '../domain/version';

/** The class a single reason forces; `none` has no reasons. */
export type ReasonClass = Exclude<ChangeClass, 'none'>;

/**
 * Every reason a change can have, with the class it forces. The class is part of the table, not decided at
 * each call site, so a reviewer reads the whole policy here.
 */
export const REASON_CLASS = {
  // major: something a consumer relied on is gone or stricter.
  set_renamed: 'major',
  prompt_removed: 'major',
  prompt_renamed: 'major',
  prompt_kind_changed: 'major',
  parameter_removed: 'major',
  parameter_renamed: 'major',
  parameter_required_added: 'major',
  parameter_became_required: 'major',
  parameter_type_changed: 'major',
  parameter_type_narrowed: 'major',
  enum_value_removed: 'major',
  history_removed: 'major',
  history_renamed: 'major',
  dependency_removed: 'major',
  // minor: new things, or inputs that accept more than before.
  prompt_added: 'minor',
  parameter_optional_added: 'minor',
  parameter_became_optional: 'minor',
  parameter_type_widened: 'minor',
  enum_value_added: 'minor',
  history_added: 'minor',
  model_settings_changed: 'minor',
  dependency_added: 'minor',
  dependency_range_changed: 'minor',
  // patch: what the prompt says, not what it takes.
  template_changed: 'patch',
  messages_changed: 'patch',
  description_changed: 'patch',
  metadata_changed: 'patch',
  parameter_default_changed: 'patch',
  parameter_description_changed: 'patch',
  prompts_reordered: 'patch',
  other_changed: 'patch',
} as const satisfies Record<string, ReasonClass>;

export type ReasonCode = keyof typeof REASON_CLASS;

export interface ChangeReason {
  class: ReasonClass;
  code: ReasonCode;
  /** The prompt's name (in the next version; the previous name when it was removed). */
  prompt?: string;
  /** The parameter, with a dotted path for object properties (`user.name`). */
  parameter?: string;
  /** One sentence for people: "greeting: parameter `tone` became required". */
  message: string;
}

export interface ChangeClassification {
  changeClass: ChangeClass;
  reasons: ChangeReason[];
}

const RANK: Record<ChangeClass, number> = { none: 0, patch: 1, minor: 2, major: 3 };

/** The larger of two classes (major > minor > patch > none). */
export function maxClass(a: ChangeClass, b: ChangeClass): ChangeClass {
  return RANK[a] >= RANK[b] ? a : b;
}

export function reason(
  code: ReasonCode,
  message: string,
  where: { prompt?: string; parameter?: string } = {},
): ChangeReason {
  const out: ChangeReason = {
    class: REASON_CLASS[code],
    code,
    message: where.prompt ? `${where.prompt}: ${message}` : message,
  };
  if (where.prompt !== undefined) out.prompt = where.prompt;
  if (where.parameter !== undefined) out.parameter = where.parameter;
  return out;
}
