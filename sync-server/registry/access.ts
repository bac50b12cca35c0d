import type { Role } from '../../shared/domain';
import { AnvilError } from '../../shared/domain';
import type { AccountStore } from '../accounts';
import type { ApiCaller } from '../api/backend';

/**
 * Who may do what in the registry, from the accounts store's roles: any role reads, admins and context
 * engineers write (publish, tag, deprecate, comment), project admins set edit modes and decide reviews. A server
 * admin counts as admin everywhere (`accessFor` says so). Projects are private: no role, no access.
 */
export interface RegistryAccess {
  /** The caller's role; throws `unknown_project` (404) or `forbidden` (no role, 403). */
  read(caller: ApiCaller, projectId: string): Role;
  /** Also refuses viewers (`read_only`). */
  write(caller: ApiCaller, projectId: string, what: string): Role;
  /** Project admins only (`forbidden`). */
  admin(caller: ApiCaller, projectId: string, what: string): Role;
  canSee(caller: ApiCaller, projectId: string): boolean;
  /** Ids of the projects the caller can read; null for a server admin (every project). */
  visibleProjects(caller: ApiCaller): Set<string> | null;
}

export function createRegistryAccess(accounts: AccountStore): RegistryAccess {
  const label = (projectId: string) => {
    const name = accounts.getProject(projectId)?.name;
    return name && name !== projectId ? `"${name}" (${projectId})` : `"${projectId}"`;
  };

  const read = (caller: ApiCaller, projectId: string): Role => {
    if (typeof projectId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(projectId) || !accounts.projectExists(projectId))
      throw new AnvilError({
        code: 'unknown_project',
        message: `There is no project "${String(projectId).slice(0, 80)}" on this server.`,
      });
    const role = accounts.accessFor(caller.accountId, projectId);
    if (role === null)
      throw new AnvilError({
        code: 'forbidden',
        message: `You have no role on project ${label(projectId)}; a project admin can give you one.`,
      });
    return role;
  };

  return {
    read,

    write(caller, projectId, what) {
      const role = read(caller, projectId);
      if (role === 'viewer')
        throw new AnvilError({
          code: 'read_only',
          message: `Viewers of project ${label(projectId)} cannot ${what}; ask a project admin for the context engineer role.`,
        });
      return role;
    },

    admin(caller, projectId, what) {
      const role = read(caller, projectId);
      if (role !== 'admin')
        throw new AnvilError({
          code: 'forbidden',
          message: `Only admins of project ${label(projectId)} can ${what}; you are ${role === 'viewer' ? 'a viewer' : 'a context engineer'}.`,
        });
      return role;
    },

    canSee(caller, projectId) {
      return accounts.accessFor(caller.accountId, projectId) !== null;
    },

    visibleProjects(caller) {
      if (accounts.getUser(caller.accountId)?.serverAdmin) return null;
      return new Set(accounts.projectsFor(caller.accountId).map((p) => p.id));
    },
  };
}
