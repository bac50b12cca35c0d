import { canonicalJson, type Prompt, type PromptSetContent } from '../domain';
import type { MetadataChange } from './types';

const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

/** `prefix.key` for each key whose value differs (the union of both objects' keys, sorted). */
function keyChanges(prefix: string, before: object, after: object): MetadataChange[] {
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
  return keys
    .filter((k) => !same(b[k], a[k]))
    .map((k) => ({ field: `${prefix}.${k}`, before: b[k] ?? null, after: a[k] ?? null }));
}

/**
 * A prompt's settings besides its text and parameters: `kind`, `description`, model settings key by key
 * (`model.temperature`, `model.tools`; `model` whole when settings were added or removed) and metadata key by
 * key (`metadata.owner`). Absent values are null. The name is not here: a rename is `previousName`.
 */
export function comparePromptMetadata(before: Prompt | null, after: Prompt | null): MetadataChange[] {
  if (!before || !after) return [];
  const out: MetadataChange[] = [];
  if (before.kind !== after.kind) out.push({ field: 'kind', before: before.kind, after: after.kind });
  if (before.description !== after.description)
    out.push({ field: 'description', before: before.description, after: after.description });
  if (before.model && after.model) out.push(...keyChanges('model', before.model, after.model));
  else if (!same(before.model, after.model)) out.push({ field: 'model', before: before.model, after: after.model });
  out.push(...keyChanges('metadata', before.metadata, after.metadata));
  return out;
}

/** Set-level changes: `name`, `description`, and each dependency (`dependencies.@acme/common`, null when absent). */
export function compareSetMetadata(before: PromptSetContent, after: PromptSetContent): MetadataChange[] {
  const out: MetadataChange[] = [];
  if (before.name !== after.name) out.push({ field: 'name', before: before.name, after: after.name });
  if (before.description !== after.description)
    out.push({ field: 'description', before: before.description, after: after.description });
  out.push(...keyChanges('dependencies', before.dependencies, after.dependencies));
  return out;
}
