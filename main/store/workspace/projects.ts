import { ORIGIN, createProjectDoc, meta, readProject } from '../../../shared/doc';
import type { ProjectRecord } from '../../../shared/doc';
import type { EditMode } from '../../../shared/domain';
import { newId } from '../../../shared/domain';
import { auditedChange } from '../context';
import { hashOf } from '../hash';
import type { Args } from '../../../shared/contract/operations';
import { parseArgs } from '../../../shared/contract/operations';
import type { WorkspaceContext } from './context';
import { requireDoc } from './context';
import { checkName, nameTaken } from './errors';
import type { ProjectInfo } from '../../../shared/contract/results';
export type { ProjectInfo };

/** A project's audited hash: its attributes without the trash state (delete/restore say that themselves). */
const projectHash = (p: ProjectRecord): string =>
  hashOf({ id: p.id, name: p.name, description: p.description, editMode: p.editMode });

function info(p: ProjectRecord): ProjectInfo {
  return { ...p, trashed: p.deletedAt !== null };
}

/** Another live (not trashed) project with this name, from the projection (current: every write awaited its commit). */
function clash(ctx: WorkspaceContext, name: string, exceptId: string | null): boolean {
  const row = ctx.db
    .prepare<[string, string], { id: string }>(
      'SELECT id FROM projects WHERE name = ? AND deleted_at IS NULL AND id <> ?',
    )
    .get(name, exceptId ?? '');
  return row !== undefined;
}

export function projectOps(ctx: WorkspaceContext) {
  const change = (
    projectId: string,
    action: 'project.rename' | 'project.update' | 'project.delete' | 'project.restore',
    fn: (m: ReturnType<typeof meta>) => void,
    details: Record<string, unknown> = {},
  ) =>
    auditedChange(ctx, projectId, ORIGIN.local, (doc) => {
      const before = readProject(doc);
      fn(meta(doc));
      const after = readProject(doc);
      if (JSON.stringify(before) === JSON.stringify(after)) return null;
      return {
        action,
        entityKind: 'project',
        entityId: projectId,
        beforeHash: projectHash(before),
        afterHash: projectHash(after),
        details,
      };
    });

  const get = async (projectId: string): Promise<ProjectInfo> =>
    info(readProject(requireDoc(ctx, projectId, 'project')));

  return {
    async create(args: Args<'projects:create'>): Promise<ProjectInfo> {
      const a = parseArgs('projects:create', args);
      checkName('project', a.name);
      return ctx.names.run(async () => {
        if (clash(ctx, a.name, null)) throw nameTaken('project', a.name, 'in this workspace');
        const project = { id: newId(), name: a.name, description: a.description ?? '', editMode: a.editMode ?? 'open' };
        const doc = createProjectDoc(project);
        const entry = ctx.audit.enqueue(project.id, {
          action: 'project.create',
          entityKind: 'project',
          entityId: project.id,
          beforeHash: null,
          afterHash: projectHash(readProject(doc)),
          details: { name: a.name },
        });
        await ctx.docs.create(project.id, 'project', doc);
        ctx.audit.settle(ctx.db, project.id, entry);
        return info(readProject(doc));
      });
    },

    async rename(args: Args<'projects:rename'>): Promise<ProjectInfo> {
      const a = parseArgs('projects:rename', args);
      checkName('project', a.name);
      return ctx.names.run(async () => {
        const old = readProject(requireDoc(ctx, a.projectId, 'project'));
        if (clash(ctx, a.name, a.projectId)) throw nameTaken('project', a.name, 'in this workspace');
        await change(a.projectId, 'project.rename', (m) => m.set('name', a.name), { from: old.name, to: a.name });
        return get(a.projectId);
      });
    },

    async update(args: Args<'projects:update'>): Promise<ProjectInfo> {
      const a = parseArgs('projects:update', args);
      requireDoc(ctx, a.projectId, 'project');
      await change(
        a.projectId,
        'project.update',
        (m) => {
          if (a.description !== undefined && m.get('description') !== a.description)
            m.set('description', a.description);
          if (a.editMode !== undefined && m.get('editMode') !== a.editMode) m.set('editMode', a.editMode);
        },
        {
          ...(a.description !== undefined ? { description: true } : {}),
          ...(a.editMode !== undefined ? { editMode: a.editMode } : {}),
        },
      );
      return get(a.projectId);
    },

    async delete(args: Args<'projects:delete'>): Promise<ProjectInfo> {
      const a = parseArgs('projects:delete', args);
      const p = readProject(requireDoc(ctx, a.projectId, 'project'));
      if (p.deletedAt === null)
        await change(a.projectId, 'project.delete', (m) => m.set('deletedAt', ctx.audit.now()), { name: p.name });
      return get(a.projectId);
    },

    async restore(args: Args<'projects:restore'>): Promise<ProjectInfo> {
      const a = parseArgs('projects:restore', args);
      return ctx.names.run(async () => {
        const p = readProject(requireDoc(ctx, a.projectId, 'project'));
        if (p.deletedAt === null) return info(p);
        if (clash(ctx, p.name, a.projectId))
          throw nameTaken('project', p.name, 'in this workspace; rename the other one first');
        await change(a.projectId, 'project.restore', (m) => m.set('deletedAt', null), { name: p.name });
        return get(a.projectId);
      });
    },

    async get(args: Args<'projects:get'>): Promise<ProjectInfo> {
      return get(parseArgs('projects:get', args).projectId);
    },

    /** Every project, by name; trashed ones only when asked (with `trashed: true`). */
    async list(args: Args<'projects:list'> = {}): Promise<ProjectInfo[]> {
      const a = parseArgs('projects:list', args);
      const rows = ctx.db
        .prepare<[], { id: string; name: string; description: string; edit_mode: EditMode; deleted_at: number | null }>(
          'SELECT * FROM projects ORDER BY name, id',
        )
        .all();
      return rows
        .filter((r) => a.includeTrashed || r.deleted_at === null)
        .map((r) => ({
          id: r.id,
          name: r.name,
          description: r.description,
          editMode: r.edit_mode,
          deletedAt: r.deleted_at,
          trashed: r.deleted_at !== null,
        }));
    },
  };
}

export type ProjectOps = ReturnType<typeof projectOps>;
