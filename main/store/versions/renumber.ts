import { AnvilError, PromptSetContent, SemverNumber, newId } from '../../../shared/domain';
import type { VersionInfo } from '../../../shared/domain';
import { checkProposedVersion, classifyChange } from '../../../shared/semver';
import { writeAudit } from '../audit';
import type { StoreContext } from '../context';
import { notFound } from '../workspace/errors';
import type { VersionRow } from './rows';
import { insertVersion, knownVersions, versionRow } from './rows';
import { infoOf, previousVersion, versionExists } from './save';

export interface RenumberInput {
  version: string;
  newVersion: string;
  /** Why a breaking change goes under a minor/patch number; defaults to the original version's override. */
  override?: string | null | undefined;
}

/**
 * After a clash (someone else's version took this number on the server first), save the same content under
 * another number. Version rows never change, so the clashing row stays as it is, marked `replaced` (pointing
 * at its copy), and the copy is a new pending version the server is asked to accept in turn. The new number
 * follows the same semver rules as a save, against every number known here, the team's included.
 */
export function renumberVersion(ctx: StoreContext, setId: string, input: RenumberInput): VersionInfo {
  if (!SemverNumber.safeParse(input.newVersion).success)
    throw new AnvilError({
      code: 'invalid_version',
      message: `"${input.newVersion}" is not a semantic version such as 1.0.1.`,
      path: input.newVersion,
    });
  const { db, audit } = ctx;
  const at = audit.now();
  return db
    .transaction((): VersionInfo => {
      const old = versionRow(db, setId, input.version);
      if (!old) throw notFound('version', `${setId}@${input.version}`);
      const sync = db
        .prepare<[string], { state: string; project_id: string }>(
          'SELECT state, project_id FROM version_sync WHERE version_id = ?',
        )
        .get(old.id);
      if (sync?.state !== 'clash')
        throw new AnvilError({
          code: 'version_not_in_clash',
          message: `Version ${input.version} does not clash with a version on the server${sync?.state === 'replaced' ? ' any more: it was already saved under another number' : ''}; only a clashing version is renumbered.`,
          path: input.version,
        });
      const known = knownVersions(db, setId);
      const existing = known.map((v) => v.version);
      if (existing.includes(input.newVersion)) throw versionExists(input.newVersion);
      const content = PromptSetContent.parse(JSON.parse(old.content));
      const prev = previousVersion(known, input.newVersion);
      const base: PromptSetContent = prev
        ? (JSON.parse(prev.content) as PromptSetContent)
        : { ...content, description: '', dependencies: {}, prompts: [] };
      const { changeClass } = classifyChange(base, content);
      const override = input.override === undefined ? old.override : input.override?.trim() || null;
      const check = checkProposedVersion({
        proposed: input.newVersion,
        existing,
        changeClass,
        ...(override ? { override } : {}),
      });
      if (!check.ok) throw new AnvilError(check.error);
      const row: VersionRow = {
        ...old,
        id: newId(),
        version: input.newVersion,
        created_at: at,
        change_class: changeClass,
        override,
      };
      insertVersion(db, row);
      db.prepare(
        `UPDATE version_sync SET state = 'replaced', replaced_by = ?, updated_at = ? WHERE version_id = ?`,
      ).run(row.id, at, old.id);
      db.prepare(
        `INSERT INTO version_sync (version_id, project_id, state, queued_at, updated_at) VALUES (?, ?, 'pending', ?, ?)`,
      ).run(row.id, sync.project_id, at, at);
      writeAudit(db, audit.actor, at, {
        action: 'version.renumber',
        entityKind: 'set',
        entityId: setId,
        beforeHash: old.content_hash,
        afterHash: row.content_hash,
        details: { from: input.version, to: input.newVersion, versionId: row.id, replaced: old.id, changeClass },
      });
      return infoOf(db, row);
    })
    .immediate();
}
