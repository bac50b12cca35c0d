import { createHash } from 'node:crypto';
import type { Prompt } from '../../../shared/domain';
import { canonicalJson, promptSources } from '../../../shared/domain';
import type { ProjectRecord } from '../../../shared/doc';

/**
 * The definition of the projection: how a project, a set and a prompt read from a document become rows.
 * Both the incremental projector and `checkProjection` go through these functions, so "agrees with the
 * documents" has one meaning. Everything is defensive: a malformed document (half-synced, foreign) still
 * yields valid rows, because a projector that throws aborts the commit of the user's edits.
 */

/** Separates template sources in `body`: chat messages each start on a fresh paragraph for snippets. */
export const BODY_SEPARATOR = '\n\n';

export interface ProjectRow {
  id: string;
  name: string;
  description: string;
  edit_mode: string;
  deleted_at: number | null;
}

export interface SetRow {
  id: string;
  project_id: string;
  name: string;
  description: string;
  dependencies: string;
  deleted_at: number | null;
}

export interface PromptRow {
  id: string;
  set_id: string;
  name: string;
  kind: string;
  description: string;
  body: string;
  model: string | null;
  metadata: string;
  content_hash: string;
  params_hash: string;
}

export interface ParameterRow {
  set_id: string;
  prompt_id: string;
  name: string;
  position: number;
  type: string;
  required: number;
  default_value: string | null;
  description: string;
}

export function projectRow(id: string, p: ProjectRecord): ProjectRow {
  return { id, name: p.name, description: p.description, edit_mode: p.editMode, deleted_at: p.deletedAt };
}

export function setRow(
  id: string,
  s: { projectId: string; name: string; description: string; dependencies: Record<string, string> },
  deletedAt: number | null,
): SetRow {
  return {
    id,
    project_id: s.projectId,
    name: s.name,
    description: s.description,
    dependencies: JSON.stringify(s.dependencies),
    deleted_at: deletedAt,
  };
}

/** A prompt's row and its parameter rows; `id` is the key of the prompt in the set document. */
export function promptRows(setId: string, id: string, p: Prompt): { row: PromptRow; params: ParameterRow[] } {
  const params = parameterRows(setId, id, p.parameters);
  const body = promptSources(p).join(BODY_SEPARATOR);
  const model = p.model === null || p.model === undefined ? null : json(p.model);
  const metadata = json(p.metadata ?? {});
  const kind = p.kind === 'chat' ? 'chat' : 'text';
  return {
    row: {
      id,
      set_id: setId,
      name: p.name,
      kind,
      description: p.description,
      body,
      model,
      metadata,
      content_hash: digest([p.name, kind, p.description, body, model, metadata]),
      params_hash: digest(params.map((r) => [r.name, r.type, r.required, r.default_value, r.description])),
    },
    params,
  };
}

/** Parameters in declared order; entries without a usable name or repeating one are left out (the PK). */
function parameterRows(setId: string, promptId: string, parameters: Prompt['parameters']): ParameterRow[] {
  const out: ParameterRow[] = [];
  const seen = new Set<string>();
  for (const p of parameters ?? []) {
    if (typeof p?.name !== 'string' || seen.has(p.name)) continue;
    seen.add(p.name);
    out.push({
      set_id: setId,
      prompt_id: promptId,
      name: p.name,
      position: out.length,
      type: json(p.type ?? null),
      required: p.required === true ? 1 : 0,
      default_value: p.default === undefined ? null : json(p.default),
      description: typeof p.description === 'string' ? p.description : '',
    });
  }
  return out;
}

/**
 * Canonical JSON (sorted keys) of a value that came out of a Y.Map, `undefined` read as null. Sorted because
 * a Y.Map's iteration order is not part of its state: the same metadata can list its keys in another order
 * after a merge or a reload, and that must not read as a change (or a disagreement).
 */
function json(value: unknown): string {
  return canonicalJson(value) ?? 'null';
}

/** SHA-1 is plenty to notice a change (not a security boundary) and hashes ~1 GB/s in Node. */
function digest(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('base64');
}
