import { ORIGIN, readSetContent, writeSetContent } from '../../../shared/doc';
import type { PromptSetContent } from '../../../shared/domain';
import type { StoreContext } from '../context';
import { auditedChange } from '../context';
import { hashOf } from '../hash';
import { notFound } from '../workspace/errors';
import { getVersion } from './rows';
import { getSnapshot, snapshotDraft } from './snapshots';
import type { RestoreResult } from '../../../shared/contract/results';
export type { RestoreResult };

/**
 * Make a saved version the draft again. The current draft is first kept as a snapshot (durable before the
 * draft is touched), then the version's content is written into the draft document with origin `restore`,
 * which rewrites only what differs, so collaborators' cursors survive. The set keeps its current name and
 * project: a version freezes content, while naming is an attribute of the set (it may have been renamed
 * since, and the old name may now be taken).
 */
export async function restoreVersion(ctx: StoreContext, setId: string, version: string): Promise<RestoreResult> {
  const v = getVersion(ctx.db, setId, version);
  if (!v) throw notFound('version', `${setId}@${version}`);
  return restoreContent(ctx, setId, v.content, `restore of version ${version}`, { version });
}

/** Undo a restore (or any overwrite): put a snapshot back as the draft, snapshotting the current draft first. */
export async function restoreSnapshot(ctx: StoreContext, snapshotId: string): Promise<RestoreResult> {
  const s = getSnapshot(ctx.db, snapshotId);
  if (!s) throw notFound('snapshot', snapshotId);
  return restoreContent(ctx, s.setId, s.content, `restore of snapshot ${snapshotId}`, { snapshotId });
}

async function restoreContent(
  ctx: StoreContext,
  setId: string,
  target: PromptSetContent,
  reason: string,
  details: Record<string, unknown>,
): Promise<RestoreResult> {
  await ctx.docs.flush();
  const doc = ctx.docs.get(setId);
  if (!doc) throw notFound('set', setId);
  const draft = readSetContent(doc);
  const content: PromptSetContent = { ...target, id: setId, projectId: draft.projectId, name: draft.name };
  const changed = hashOf(draft) !== hashOf(content);
  const snapshot = changed ? snapshotDraft(ctx.db, ctx.audit.actor, ctx.audit.now(), draft, reason) : null;
  let contentHash = '';
  await auditedChange(ctx, setId, ORIGIN.restore, (d) => {
    const before = hashOf(readSetContent(d));
    writeSetContent(d, content, ORIGIN.restore);
    contentHash = hashOf(readSetContent(d));
    return {
      action: 'version.restore',
      entityKind: 'set',
      entityId: setId,
      beforeHash: before,
      afterHash: contentHash,
      details: { ...details, snapshotId: snapshot?.id ?? null },
    };
  });
  return { snapshot, contentHash };
}
