import type * as Y from 'yjs';
import {
  ORIGIN,
  createSetDoc,
  dependencies,
  meta,
  readProject,
  readSetContent,
  setDeletedAt,
} from '../../../shared/doc';
import type { PromptSetContent } from '../../../shared/domain';
import { newId } from '../../../shared/domain';
import type { AuditAction } from '../audit';
import { auditedChange } from '../context';
import { hashOf } from '../hash';
import type { Args } from '../../../shared/contract/operations';
import { parseArgs } from '../../../shared/contract/operations';
import type { WorkspaceContext } from './context';
import { requireDoc } from './context';
import { checkName, nameTaken, trashed } from './errors';
import { listSets } from './listing';
import type { SetInfo } from '../../../shared/contract/results';
export type { SetInfo };

function info(doc: Y.Doc): SetInfo {
  const c = readSetContent(doc);
  const deletedAt = setDeletedAt(doc);
  return {
    id: c.id,
    projectId: c.projectId,
    name: c.name,
    description: c.description,
    dependencies: c.dependencies,
    promptCount: c.prompts.length,
    deletedAt,
    trashed: deletedAt !== null,
  };
}

/** Another live set with this name in the project (names are unique per project: `@project/set` addresses). */
function clash(ctx: WorkspaceContext, projectId: string, name: string, exceptId: string | null): boolean {
  return (
    ctx.db
      .prepare<[string, string, string], { id: string }>(
        'SELECT id FROM sets WHERE project_id = ? AND name = ? AND deleted_at IS NULL AND id <> ?',
      )
      .get(projectId, name, exceptId ?? '') !== undefined
  );
}

export function setOps(ctx: WorkspaceContext) {
  /** A set's audited hash is the hash of its content: the same value a version of it would carry. */
  const change = (
    setId: string,
    action: AuditAction,
    fn: (doc: Y.Doc) => void,
    details: Record<string, unknown> = {},
  ) =>
    auditedChange(ctx, setId, ORIGIN.local, (doc) => {
      const before = hashOf(readSetContent(doc));
      const deletedBefore = setDeletedAt(doc);
      fn(doc);
      const after = hashOf(readSetContent(doc));
      if (before === after && deletedBefore === setDeletedAt(doc)) return null;
      return { action, entityKind: 'set', entityId: setId, beforeHash: before, afterHash: after, details };
    });
  const get = async (setId: string): Promise<SetInfo> => info(requireDoc(ctx, setId, 'set'));
  const liveProject = (projectId: string) => {
    const p = readProject(requireDoc(ctx, projectId, 'project'));
    if (p.deletedAt !== null) throw trashed('project', p.name);
    return p;
  };

  return {
    async create(args: Args<'sets:create'>): Promise<SetInfo> {
      const a = parseArgs('sets:create', args);
      checkName('set', a.name);
      return ctx.names.run(async () => {
        const project = liveProject(a.projectId);
        if (clash(ctx, a.projectId, a.name, null)) throw nameTaken('set', a.name, `in @${project.name}`);
        const content: PromptSetContent = {
          id: newId(),
          projectId: a.projectId,
          name: a.name,
          description: a.description ?? '',
          dependencies: a.dependencies ?? {},
          prompts: [],
        };
        const doc = createSetDoc(content);
        const entry = ctx.audit.enqueue(content.id, {
          action: 'set.create',
          entityKind: 'set',
          entityId: content.id,
          beforeHash: null,
          afterHash: hashOf(readSetContent(doc)),
          details: { name: a.name, projectId: a.projectId },
        });
        await ctx.docs.create(content.id, 'set', doc);
        ctx.audit.settle(ctx.db, content.id, entry);
        return info(doc);
      });
    },

    async rename(args: Args<'sets:rename'>): Promise<SetInfo> {
      const a = parseArgs('sets:rename', args);
      checkName('set', a.name);
      return ctx.names.run(async () => {
        const c = readSetContent(requireDoc(ctx, a.setId, 'set'));
        if (clash(ctx, c.projectId, a.name, a.setId)) throw nameTaken('set', a.name, 'in this project');
        await change(a.setId, 'set.rename', (doc) => meta(doc).set('name', a.name), { from: c.name, to: a.name });
        return get(a.setId);
      });
    },

    /** Description and/or dependencies (`{"@acme/common": "^1.0.0"}`). */
    async update(args: Args<'sets:update'>): Promise<SetInfo> {
      const a = parseArgs('sets:update', args);
      requireDoc(ctx, a.setId, 'set');
      await change(
        a.setId,
        'set.update',
        (doc) => {
          if (a.description !== undefined && meta(doc).get('description') !== a.description)
            meta(doc).set('description', a.description);
          if (a.dependencies !== undefined) {
            const deps = dependencies(doc);
            for (const key of [...deps.keys()]) if (!(key in a.dependencies)) deps.delete(key);
            for (const [key, range] of Object.entries(a.dependencies))
              if (deps.get(key) !== range) deps.set(key, range);
          }
        },
        {
          ...(a.description !== undefined ? { description: true } : {}),
          ...(a.dependencies !== undefined ? { dependencies: a.dependencies } : {}),
        },
      );
      return get(a.setId);
    },

    async delete(args: Args<'sets:delete'>): Promise<SetInfo> {
      const a = parseArgs('sets:delete', args);
      const doc = requireDoc(ctx, a.setId, 'set');
      if (setDeletedAt(doc) === null)
        await change(a.setId, 'set.delete', (d) => meta(d).set('deletedAt', ctx.audit.now()), {
          name: readSetContent(doc).name,
        });
      return get(a.setId);
    },

    async restore(args: Args<'sets:restore'>): Promise<SetInfo> {
      const a = parseArgs('sets:restore', args);
      return ctx.names.run(async () => {
        const doc = requireDoc(ctx, a.setId, 'set');
        if (setDeletedAt(doc) === null) return info(doc);
        const c = readSetContent(doc);
        if (clash(ctx, c.projectId, c.name, a.setId))
          throw nameTaken('set', c.name, 'in this project; rename the other one first');
        await change(a.setId, 'set.restore', (d) => meta(d).set('deletedAt', null), { name: c.name });
        return get(a.setId);
      });
    },

    /** The sets of a project, by name (from the projection); trashed ones only when asked. */
    async list(args: Args<'sets:list'>): Promise<SetInfo[]> {
      const a = parseArgs('sets:list', args);
      requireDoc(ctx, a.projectId, 'project');
      return listSets(ctx.db, a.projectId, a.includeTrashed ?? false);
    },

    /** The draft's whole content: what a version would freeze now. */
    async content(args: Args<'sets:content'>): Promise<PromptSetContent> {
      return readSetContent(requireDoc(ctx, parseArgs('sets:content', args).setId, 'set'));
    },
  };
}

export type SetOps = ReturnType<typeof setOps>;
