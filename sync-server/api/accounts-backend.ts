import type { Role } from '../../shared/domain';
import { AnvilError } from '../../shared/domain';
import type { TeamVersion } from '../../shared/sync/api';
import type { AccountStore } from '../accounts';
import type { TeamVersionStore } from '../versions';
import type { ApiCaller, SyncApiBackend } from './backend';
import { ApiError } from './backend';

export interface AccountsBackendOptions {
  accounts: AccountStore;
  versions: TeamVersionStore;
  /** Whether the sync store holds the document (a set must have been pushed before its versions). */
  documentExists(name: string): Promise<boolean>;
  /** The document of a set (default `<projectId>/<setId>`, the server's naming scheme). */
  documentOf?: (projectId: string, setId: string) => string;
}

/**
 * The API backend of `anvil serve`: tokens, roles and the projects registry from the accounts store, versions
 * from the team versions store. Versions need a writing role (admin or context_engineer) and a set whose
 * document the project holds; accepted and refused proposals are audited (`version.accept`, `version.refuse`
 * with the reason), retries of an accepted one are not.
 */
export function createAccountsApiBackend(options: AccountsBackendOptions): SyncApiBackend {
  const { accounts, versions } = options;
  const documentOf = options.documentOf ?? ((projectId: string, setId: string) => `${projectId}/${setId}`);

  /** The caller's access to a registered project: 404 when it is not registered, 403 without a role. */
  const accessTo = (caller: ApiCaller, projectId: string): Role => {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(projectId) || !accounts.projectExists(projectId))
      throw new ApiError(404, 'unknown_project', `There is no project "${projectId.slice(0, 80)}" on this server.`);
    const role = accounts.accessFor(caller.accountId, projectId);
    if (role === null)
      throw new ApiError(
        403,
        'forbidden',
        `You have no role on project "${projectId}"; a project admin can give you one.`,
      );
    return role;
  };

  return {
    authenticate(token) {
      const who = accounts.verifyToken(token);
      return who ? { accountId: who.accountId, name: who.name, serverAdmin: who.serverAdmin } : null;
    },

    listProjects(caller) {
      return accounts.projectsFor(caller.accountId);
    },

    registerProject(caller, project) {
      const { project: info, created, role } = accounts.registerProject(caller.accountId, project.id, project.name);
      if (role === null)
        throw new ApiError(
          403,
          'forbidden',
          `The project id "${project.id}" is registered on this server and you have no role on it.`,
        );
      return { project: { id: info.id, name: info.name, role }, created };
    },

    listVersions(caller, projectId, after, limit) {
      accessTo(caller, projectId);
      return versions.list(projectId, { after, limit });
    },

    async proposeVersion(caller, projectId, version) {
      const set = `${projectId}/${version.setId}`;
      const refuse = (err: ApiError | AnvilError): never => {
        accounts.audit.append({
          actor: caller.name,
          action: 'version.refuse',
          entityKind: 'set',
          entityId: set.slice(0, 256),
          details: { accountId: caller.accountId, id: version.id, version: version.version, reason: err.code },
        });
        throw err;
      };
      let role: Role;
      try {
        role = accessTo(caller, projectId);
      } catch (err) {
        return refuse(err as ApiError);
      }
      if (role === 'viewer')
        return refuse(new ApiError(403, 'read_only', `Viewers of project "${projectId}" cannot propose versions.`));
      if (!(await options.documentExists(documentOf(projectId, version.setId))))
        return refuse(
          new ApiError(
            404,
            'unknown_set',
            `Project "${projectId}" has no set "${version.setId}" on this server: sync the set before its versions.`,
          ),
        );
      let result: { version: TeamVersion; created: boolean };
      try {
        result = versions.propose(projectId, caller.accountId, version);
      } catch (err) {
        if (err instanceof AnvilError) return refuse(err);
        throw err;
      }
      if (result.created)
        accounts.audit.append({
          actor: caller.name,
          action: 'version.accept',
          entityKind: 'set',
          entityId: set.slice(0, 256),
          details: {
            accountId: caller.accountId,
            id: version.id,
            version: version.version,
            seq: result.version.seq,
            contentHash: version.contentHash,
          },
        });
      return result;
    },
  };
}
