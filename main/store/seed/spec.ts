import type { ChatItem, Dependencies, EditMode, ModelSettings, Parameter, ParamType } from '../../../shared/domain';

/** A prompt as the demo declares it (ids are made when it is created). */
export type PromptSpec = {
  name: string;
  description: string;
  parameters: Parameter[];
  model?: ModelSettings | null;
} & ({ kind: 'text'; template: string } | { kind: 'chat'; messages: ChatItem[] });

/** One state of a set: its full prompt list; `version` saves it, no `version` leaves it as the draft. */
export interface StageSpec {
  version?: string;
  changelog?: string;
  override?: string;
  description?: string;
  dependencies?: Dependencies;
  prompts: PromptSpec[];
}

export interface SetSpec {
  name: string;
  /** Applied in order: each stage changes the draft to its content (by prompt name), then saves it if numbered. */
  stages: StageSpec[];
}

export interface ProjectSpec {
  name: string;
  description: string;
  editMode: EditMode;
  sets: SetSpec[];
}

/** A declared parameter, tersely. */
export function param(
  name: string,
  type: ParamType,
  description: string,
  options: { required?: boolean; default?: unknown } = {},
): Parameter {
  return {
    name,
    type,
    required: options.required ?? false,
    description,
    ...(options.default !== undefined ? { default: options.default } : {}),
  };
}

export const string: ParamType = { type: 'string' };
export const integer: ParamType = { type: 'integer' };
export const oneOf = (...values: string[]): ParamType => ({ type: 'string', enum: values });

/** Prompt specs change from stage to stage by small edits: a copy with some fields replaced. */
export function revise(p: PromptSpec, changes: Partial<PromptSpec>): PromptSpec {
  return { ...p, ...changes } as PromptSpec;
}

/** The same template with `from` replaced by `to` (a stage's wording fix); throws if `from` is absent. */
export function edit(p: PromptSpec & { kind: 'text' }, from: string, to: string): PromptSpec {
  if (!p.template.includes(from)) throw new Error(`seed: "${from}" is not in ${p.name}`);
  return { ...p, template: p.template.replace(from, to) };
}
