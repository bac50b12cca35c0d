import type { AnvilApi } from '../../../shared/contract';
import { pickVersion } from '../../../shared/address';
import type { PromptSetContent } from '../../../shared/domain';
import { AnvilError } from '../../../shared/domain';

export interface ResolvedDependencies {
  /** Content of each dependency, keyed `@project/set` as in the set's `dependencies`. */
  sets: Record<string, PromptSetContent>;
  /** Why a dependency could not be resolved, by key. */
  problems: Record<string, string>;
}

/**
 * The saved versions the preview renders a set's dependencies with: for each `@project/set` → range, the set
 * found by name in this workspace, its highest saved version the range accepts, and that version's content.
 * Every failure is a sentence naming the dependency, never a thrown error (the preview shows it).
 */
export async function resolveDependencies(
  api: Pick<AnvilApi, 'invoke'>,
  dependencies: Readonly<Record<string, string>>,
): Promise<ResolvedDependencies> {
  const out: ResolvedDependencies = { sets: {}, problems: {} };
  const keys = Object.keys(dependencies);
  if (keys.length === 0) return out;
  const catalog = await api.invoke('app:catalog', {});
  await Promise.all(
    keys.map(async (key) => {
      const range = dependencies[key] ?? '*';
      const m = /^@([^/]+)\/(.+)$/.exec(key);
      const set = m ? catalog.find((e) => e.kind === 'set' && e.projectName === m[1] && e.name === m[2]) : undefined;
      if (!set) {
        out.problems[key] = `The dependency ${key} is not a prompt set of this workspace.`;
        return;
      }
      try {
        const versions = await api.invoke('versions:list', { setId: set.id });
        const picked = pickVersion(
          versions.map((v) => v.version),
          { kind: 'range', range },
        );
        if (!picked) {
          out.problems[key] = versions.length
            ? `No saved version of ${key} satisfies ${range} (saved: ${versions.map((v) => v.version).join(', ')}).`
            : `${key} has no saved version yet; save one to use it as a dependency.`;
          return;
        }
        out.sets[key] = (await api.invoke('versions:get', { setId: set.id, version: picked })).content;
      } catch (err) {
        out.problems[key] =
          `The dependency ${key} could not be loaded: ${err instanceof AnvilError || err instanceof Error ? err.message : String(err)}`;
      }
    }),
  );
  return out;
}
