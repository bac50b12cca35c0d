import { AnvilError } from '../../shared/domain';
import type { AccountStore } from '../accounts';
import type { ApiCaller } from '../api/backend';
import type { Registry } from '../registry/types';

/**
 * What usage asks of the rest of the server: which project a package belongs to (and whether the caller may
 * report usage of it), and which projects the caller may see figures of. Any role will do for both: a viewer's
 * token is what a deployed application typically holds.
 */
export interface UsageAccess {
  /**
   * The project id of package `name`; throws `unknown_package` (not in the registry) or `forbidden` (no role on
   * its project) as `AnvilError`s.
   */
  packageProject(caller: ApiCaller, name: string): string;
  /** Ids of the projects the caller can read; null for a server admin (every project). */
  visibleProjects(caller: ApiCaller): Set<string> | null;
  /** Ids of the projects named `project` (by name or id). */
  projectsNamed(project: string): string[];
}

/**
 * Usage's access over the team registry and the accounts: a package exists when the registry has published it,
 * and the registry's own read check (`metadata`) decides who may use it. A package's project never changes, so
 * it is remembered once read from the metadata.
 */
export function createUsageAccess(registry: Registry, accounts: AccountStore): UsageAccess {
  const projectOf = new Map<string, string>();
  return {
    packageProject(caller, name) {
      // Throws unknown_package / forbidden / unknown_project: the registry's answers, unchanged.
      const { bytes } = registry.metadata(caller, name);
      let id = projectOf.get(name);
      if (id === undefined) {
        id = (JSON.parse(Buffer.from(bytes).toString('utf8')) as { projectId: string }).projectId;
        if (projectOf.size >= 10_000) projectOf.clear();
        projectOf.set(name, id);
      }
      return id;
    },
    visibleProjects(caller) {
      if (accounts.getUser(caller.accountId)?.serverAdmin) return null;
      return new Set(accounts.projectsFor(caller.accountId).map((p) => p.id));
    },
    projectsNamed(project) {
      return accounts
        .listProjects()
        .filter((p) => p.name === project || p.id === project)
        .map((p) => p.id);
    },
  };
}

export function unknownProject(project: string): AnvilError {
  return new AnvilError({
    code: 'unknown_project',
    message: `There is no project "${project.slice(0, 80)}" you can read on this server.`,
  });
}
