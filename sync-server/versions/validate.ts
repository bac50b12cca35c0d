import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AnvilError, VersionInfo } from '../../shared/domain';
import type { ProposedVersion } from '../../shared/sync/api';

/** A version's frozen content: at most 4 MiB of UTF-8 (the request around it may be 5 MiB). */
export const MAX_CONTENT_BYTES = 4 * 1024 * 1024;

// The fields of a saved version (shared/domain's VersionInfo: Id, strict semver, ISO time, sha256 hash, …)
// plus its content. Not strict: a newer studio may send more fields, which are ignored.
const Proposed = z.object({ ...VersionInfo.shape, content: z.string() });

/**
 * Checks a version a studio proposes, field by field, and that its content is JSON whose SHA-256 is the
 * `contentHash` it claims (the studio hashes the canonical JSON it stores), so what the team pulls is what was
 * saved. Throws `invalid_version` (400), `content_too_large` (413) or `content_hash_mismatch` (400).
 */
export function parseProposedVersion(input: unknown): ProposedVersion {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new AnvilError({ code: 'invalid_version', message: 'A proposed version must be a JSON object.' });
  const content = (input as { content?: unknown }).content;
  // Size first: no point validating (or hashing) what will be refused for its size.
  if (typeof content === 'string' && content.length > MAX_CONTENT_BYTES / 4) {
    const bytes = Buffer.byteLength(content, 'utf8');
    if (bytes > MAX_CONTENT_BYTES)
      throw new AnvilError({
        code: 'content_too_large',
        message: `The version's content is ${bytes} bytes; at most ${MAX_CONTENT_BYTES} (4 MiB) are accepted.`,
      });
  }
  const parsed = Proposed.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'version'}: ${i.message}`);
    throw new AnvilError({
      code: 'invalid_version',
      message: `The proposed version is not valid: ${issues.join('; ')}.`,
      details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const v = parsed.data;
  try {
    JSON.parse(v.content);
  } catch {
    throw new AnvilError({ code: 'invalid_version', message: "The version's content is not JSON." });
  }
  const hash = `sha256-${createHash('sha256').update(v.content, 'utf8').digest('hex')}`;
  if (hash !== v.contentHash)
    throw new AnvilError({
      code: 'content_hash_mismatch',
      message: `The version's content hashes to ${hash}, not the ${v.contentHash} it claims: it was changed on the way or saved by a different Anvil.`,
    });
  return {
    id: v.id,
    setId: v.setId,
    version: v.version,
    changelog: v.changelog,
    author: v.author,
    createdAt: v.createdAt,
    contentHash: v.contentHash,
    changeClass: v.changeClass,
    override: v.override,
    content: v.content,
  };
}
