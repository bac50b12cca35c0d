import { z } from 'zod';
import { Dependencies } from '../domain/prompt-set';
import { AnvilError } from '../domain/result';
import { jsonPath } from './schema';

/**
 * The consumer manifest, `anvil.json` in an application's folder: which prompt sets it uses and the ranges it
 * accepts, as npm's package.json declares packages. `registry` is the server's base URL (the command line and
 * `createAnvil` take it from here when not given).
 *
 *   { "registry": "https://anvil.example.com", "dependencies": { "@acme/support": "^1.2.0" } }
 */
export interface ConsumerManifest {
  registry?: string;
  dependencies: Record<string, string>;
}

export const MANIFEST_FILE = 'anvil.json';

const RegistryUrl = z.string().superRefine((value, ctx) => {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol))
    ctx.addIssue({ code: 'custom', message: `"${value}" is not an http(s) URL of a registry server` });
});

export const ConsumerManifestSchema = z
  .object({
    registry: RegistryUrl.optional(),
    dependencies: Dependencies,
  })
  .strict();

/** A zod issue as `{ path, message }`; a bad record key says which key and why (zod nests that reason). */
export function describeIssue(issue: z.core.$ZodIssue): { path: string; message: string } {
  const nested = (issue as { issues?: { message: string }[] }).issues?.[0];
  if (issue.code === 'invalid_key' && nested) return { path: jsonPath(issue.path), message: nested.message };
  return { path: jsonPath(issue.path), message: issue.message };
}

function invalid(file: string, message: string, path?: string, details?: unknown): AnvilError {
  return new AnvilError({
    code: 'invalid_manifest',
    message: `${file}: ${message}`,
    ...(path !== undefined ? { path } : {}),
    ...(details !== undefined ? { details } : {}),
  });
}

/** Validates a manifest already parsed from JSON; throws `invalid_manifest` naming the field and why. */
export function validateManifest(raw: unknown, file = MANIFEST_FILE): ConsumerManifest {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw invalid(
      file,
      'the manifest is not a JSON object (it reads { "dependencies": { "@project/set": "^1.0.0" } })',
    );
  const parsed = ConsumerManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(describeIssue);
    const first = issues[0] as { path: string; message: string };
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    const message =
      first.path === 'dependencies' && !Object.prototype.hasOwnProperty.call(raw, 'dependencies')
        ? 'it has no "dependencies" (write { "dependencies": {} } for none)'
        : `${first.path}: ${first.message}${more}`;
    throw invalid(file, message, first.path, { issues });
  }
  const out: ConsumerManifest = { dependencies: parsed.data.dependencies };
  if (parsed.data.registry !== undefined) out.registry = parsed.data.registry;
  return out;
}

/** Reads `anvil.json` text: JSON errors and schema errors alike are `invalid_manifest` with the file named. */
export function parseManifest(text: string, file = MANIFEST_FILE): ConsumerManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw invalid(file, `not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return validateManifest(raw, file);
}

/** The manifest as `anvil init` / `anvil add` write it: registry first, dependencies sorted, two-space indent. */
export function serializeManifest(manifest: ConsumerManifest): string {
  const dependencies: Record<string, string> = {};
  for (const name of Object.keys(manifest.dependencies).sort(byCodeUnit))
    dependencies[name] = manifest.dependencies[name] as string;
  const out: Record<string, unknown> = {};
  if (manifest.registry !== undefined) out.registry = manifest.registry;
  out.dependencies = dependencies;
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** Locale-independent order (the same bytes on every machine). */
export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
