import { z } from 'zod';
import { Id, Name } from '../domain/names';
import { Parameter } from '../domain/parameter';
import { ChatItem, MAX_TEMPLATE_CHARS } from '../domain/prompt';
import { Dependencies } from '../domain/prompt-set';
import { ModelSettings } from '../domain/model-settings';
import { ChangeClass, SemverNumber } from '../domain/version';
import { BUNDLE_FORMAT } from './types';
import type { BundleDocument } from './types';

/**
 * The bundle document as a reader must find it. Bundles arrive as untrusted bytes (a download, a cache file
 * someone edited), so every field is required and strict: a bundle says exactly what it holds, nothing is
 * filled in by default. Entry names and the agreement between manifest and entries are checked beside this
 * schema (`readBundle`), where the messages can name the entry.
 */

// Required here, where the studio's schema defaults it: the bytes must say it.
const BundleParameter = Parameter.extend({ description: z.string().max(2000) });

export const BundlePromptSchema = z
  .object({
    id: Id,
    name: Name,
    kind: z.enum(['text', 'chat']),
    description: z.string().max(4000),
    parameters: z.array(BundleParameter).max(200),
    schema: z.record(z.string(), z.unknown()),
    model: ModelSettings.nullable(),
    metadata: z.record(z.string(), z.string()),
    entry: z.string(),
  })
  .strict();

export const BundleManifestSchema = z
  .object({
    name: z.string(),
    version: SemverNumber,
    project: z.object({ id: Id, name: Name }).strict(),
    set: z.object({ id: Id, name: Name, description: z.string().max(4000) }).strict(),
    dependencies: Dependencies,
    author: z.string().max(256),
    createdAt: z.iso.datetime({ offset: true }),
    changelog: z.string().max(20_000),
    changeClass: ChangeClass,
    override: z.string().max(2000).nullable(),
    contentHash: z.string().regex(/^sha256-[0-9a-f]{64}$/, 'a content hash is "sha256-" and 64 hex digits'),
    prompts: z.array(BundlePromptSchema),
  })
  .strict()
  .superRefine((m, ctx) => {
    const expected = `@${m.project.name}/${m.set.name}`;
    if (m.name !== expected)
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        message: `the package is named "${m.name}", but its project and set make it "${expected}"`,
      });
  });

export const BundleEntrySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), template: z.string().max(MAX_TEMPLATE_CHARS) }).strict(),
  z
    .object({ kind: z.literal('chat'), messages: z.array(ChatItem).max(200) })
    .strict()
    .superRefine((e, ctx) => {
      if (e.messages.filter((m) => m.type === 'history').length > 1)
        ctx.addIssue({
          code: 'custom',
          path: ['messages'],
          message: 'a chat prompt has at most one history placeholder',
        });
    }),
]);

export const BundleDocumentSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    manifest: BundleManifestSchema,
    entries: z.record(z.string(), BundleEntrySchema),
  })
  .strict();

// The schema and the interface in types.ts must describe the same document.
type Parsed = z.infer<typeof BundleDocumentSchema>;
const _sameShape: (d: Parsed) => BundleDocument = (d) => d;
void _sameShape;

/** `manifest.prompts[2].name`: a zod issue path as a reader would write it in JSON. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const k = String(key);
      out += /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? `${out ? '.' : ''}${k}` : `[${JSON.stringify(k)}]`;
    }
  }
  return out || '(the document)';
}
