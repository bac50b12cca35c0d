import type { Database } from 'better-sqlite3';
import semver from 'semver';
import { AnvilError, PromptSetContent, SemverNumber, canonicalJson, newId } from '../../../shared/domain';
import type { VersionInfo } from '../../../shared/domain';
import { readSetContent } from '../../../shared/doc';
import { writeAudit } from '../audit';
import type { StoreContext } from '../context';
import { hashJson } from '../hash';
import { notFound } from '../workspace/errors';
import type { VersionRow } from './rows';
import { getVersion, insertVersion, knownVersions, toInfo } from './rows';
import { checkProposedVersion, classifyChange } from '../../../shared/semver';

export interface SaveVersionInput {
  version: string;
  changelog: string;
  /** Why a breaking change is published under a minor/patch number; required for exactly that case. */
  override?: string | null | undefined;
}

/**
 * Freeze the set's draft as an immutable version. The draft is flushed first, so the version never holds
 * anything that is not also durable as draft. The change is classified against the previous version, the
 * highest release below the proposed number (the first version against an empty set), which is also the
 * base `checkProposedVersion` measures the step from; then the number is checked by the semver rules
 * (`shared/semver`), and the row and its audit entry
 * written in one transaction; the UNIQUE (set_id, version) constraint backs the duplicate check, so two
 * concurrent saves of one number cannot both land.
 */
export async function saveVersion(ctx: StoreContext, setId: string, input: SaveVersionInput): Promise<VersionInfo> {
  if (!SemverNumber.safeParse(input.version).success)
    throw new AnvilError({
      code: 'invalid_version',
      message: `"${input.version}" is not a semantic version such as 1.0.0.`,
      path: input.version,
    });
  await ctx.docs.flush();
  const doc = ctx.docs.get(setId);
  if (!doc) throw notFound('set', setId);
  const parsed = PromptSetContent.safeParse(readSetContent(doc));
  if (!parsed.success)
    throw new AnvilError({
      code: 'invalid_content',
      message: `This draft cannot be saved as a version: ${parsed.error.issues.map((i) => i.message).join('; ')}.`,
      details: parsed.error.issues,
    });
  const content = parsed.data;
  const json = canonicalJson(content);
  const hash = hashJson(json);
  const override = input.override?.trim() ? input.override.trim() : null;
  const { db, audit } = ctx;
  const at = audit.now();

  return db
    .transaction((): VersionInfo => {
      // The team's versions (pulled from the sync server) hold their numbers too.
      const known = knownVersions(db, setId);
      const existing = known.map((v) => v.version);
      const prev = previousVersion(known, input.version);
      const base: PromptSetContent = prev
        ? (JSON.parse(prev.content) as PromptSetContent)
        : { ...content, description: '', dependencies: {}, prompts: [] };
      const { changeClass, reasons } = classifyChange(base, content);
      const check = checkProposedVersion({
        proposed: input.version,
        existing,
        changeClass,
        ...(override ? { override } : {}),
      });
      if (!check.ok) throw new AnvilError(check.error);
      const row: VersionRow = {
        id: newId(),
        set_id: setId,
        version: input.version,
        changelog: input.changelog,
        author: audit.actor,
        created_at: at,
        content_hash: hash,
        change_class: changeClass,
        override,
        content: json,
      };
      try {
        insertVersion(db, row);
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw versionExists(input.version);
        throw err;
      }
      writeAudit(db, audit.actor, at, {
        action: 'version.save',
        entityKind: 'set',
        entityId: setId,
        beforeHash: prev?.content_hash ?? null,
        afterHash: hash,
        details: {
          version: input.version,
          previous: prev?.version ?? null,
          changeClass,
          override,
          reasons: reasons.map((r) => r.code),
        },
      });
      return infoOf(db, row);
    })
    .immediate();
}

export function versionExists(version: string): AnvilError {
  return new AnvilError({
    code: 'version_exists',
    message: `Version ${version} already exists; versions never change, pick another number.`,
    path: version,
  });
}

/** The release just below `proposed` (prereleases aside, as the semver rules measure steps), if any. */
export function previousVersion(known: VersionRow[], proposed: string): VersionRow | undefined {
  const below = known.filter((v) => semver.prerelease(v.version) === null && semver.lt(v.version, proposed));
  const base = semver.rsort(below.map((v) => v.version))[0];
  return below.find((v) => v.version === base);
}

/** The saved row as the API shows it, with its sync state. */
export function infoOf(db: Database, row: VersionRow): VersionInfo {
  const { content: _content, ...info } = getVersion(db, row.set_id, row.version, row.id) ?? {
    ...toInfo(row),
    content: null,
  };
  return info;
}
