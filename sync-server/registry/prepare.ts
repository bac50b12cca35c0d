import { AnvilError, PromptSetContent } from '../../shared/domain';
import type { PublishCheck } from '../../shared/registry/index';
import { buildBundle, checkPublish, parsePackageName } from '../../shared/registry/index';
import type { Bundle, PublishProblem } from '../../shared/registry/types';
import type { TeamVersion } from '../../shared/sync/api';

/** What the registry's tables answer while a publish is checked (all synchronous reads of registry.db). */
export interface PrepareLookups {
  /** Published versions of a package with the team version each was built from; null: no such package. */
  versionsOf(name: string): { version: string; teamVersionId: string }[] | null;
  /** Prompt names of one published version of a package, or null. */
  promptsOf(name: string, version: string): string[] | null;
  /** A team version's content, parsed (the published versions' contents, for the change class). */
  contentOf(teamVersionId: string): PromptSetContent;
}

/** A publish checked and built, not yet stored. */
export interface PreparedPublish {
  name: string;
  team: TeamVersion;
  content: PromptSetContent;
  check: PublishCheck;
  /** Built whenever the content allowed it (also when other problems refuse the publish). */
  bundle: Bundle | null;
  /** Every problem; empty = may publish. */
  problems: PublishProblem[];
  /** Shown to reviewers: what passed only by the version's override. */
  notes: PublishProblem[];
  /** The package's published versions when checked: a different list at commit means check again. */
  snapshot: string;
}

/**
 * Checks and builds the bundle of a team version, as `@<projectName>/<set name>`: the content must be a prompt
 * set, the name a package name, the change class must fit the bump (`checkPublish` also parses every template
 * and checks every render against the declared dependencies and the registry), and the bundle must build
 * within its limits. Every problem is collected, none thrown.
 */
export async function preparePublish(
  team: TeamVersion,
  projectName: string,
  lookups: PrepareLookups,
): Promise<{ prepared: PreparedPublish | null; problems: PublishProblem[] }> {
  const content = parseContent(team);
  if ('problem' in content) return { prepared: null, problems: [content.problem] };
  const name = `@${projectName}/${content.set.name}`;
  if (parsePackageName(name) === null)
    return {
      prepared: null,
      problems: [
        {
          code: 'invalid_bundle',
          message: `"${name}" cannot be a package name: the project name "${projectName}" must be lowercase letters, digits, ".", "_" or "-" (it names the package as @project/set); rename the project on the server.`,
        },
      ],
    };

  const published = lookups.versionsOf(name) ?? [];
  const check = checkPublish({
    name,
    version: team.version,
    content: content.set,
    override: team.override,
    published: published.map((p) => {
      let loaded: PromptSetContent | undefined;
      return { version: p.version, content: () => (loaded ??= lookups.contentOf(p.teamVersionId)) };
    }),
    registryVersions: (other) => lookups.versionsOf(other)?.map((v) => v.version) ?? null,
    promptsOf: (other, version) => lookups.promptsOf(other, version),
  });
  const problems = [...check.problems];

  let bundle: Bundle | null = null;
  try {
    bundle = await buildBundle({
      content: content.set,
      projectName,
      version: team.version,
      author: team.author,
      createdAt: team.createdAt,
      changelog: team.changelog,
      changeClass: check.changeClass,
      override: team.override,
      contentHash: team.contentHash,
    });
  } catch (err) {
    if (!(err instanceof AnvilError)) throw err;
    const code = BUNDLE_PROBLEM_CODES.has(err.code) ? (err.code as PublishProblem['code']) : 'invalid_bundle';
    // The checks found the same thing already (entry names, limits, the version): one line per problem.
    if (!problems.some((p) => p.code === code || p.code === err.code))
      problems.push({ code, message: err.message, ...(err.path ? { prompt: err.path } : {}) });
  }

  const notes: PublishProblem[] = [];
  if (check.overridden)
    notes.push({
      code: 'wrong_bump',
      message: `${team.version} is a ${check.changeClass} change from ${check.base ?? 'nothing'} under a smaller bump, published with the author's override: "${team.override ?? ''}".`,
      details: { base: check.base, changeClass: check.changeClass, reasons: check.reasons, override: team.override },
    });

  return {
    prepared: {
      name,
      team,
      content: content.set,
      check,
      bundle,
      problems,
      notes,
      snapshot: snapshotOf(published.map((p) => p.version)),
    },
    problems,
  };
}

export function snapshotOf(versions: readonly string[]): string {
  return [...versions].sort().join('\n');
}

const BUNDLE_PROBLEM_CODES = new Set<string>(['too_large', 'invalid_entry_name', 'invalid_bundle']);

function parseContent(team: TeamVersion): { set: PromptSetContent } | { problem: PublishProblem } {
  let json: unknown;
  try {
    json = JSON.parse(team.content);
  } catch {
    return {
      problem: { code: 'invalid_bundle', message: `The content of version ${team.version} is not JSON.` },
    };
  }
  const parsed = PromptSetContent.safeParse(json);
  if (parsed.success) return { set: parsed.data };
  const issues = parsed.error.issues
    .slice(0, 10)
    .map((i) => `${i.path.join('.') || 'set'}: ${i.message}`)
    .join('; ');
  return {
    problem: {
      code: 'invalid_bundle',
      message: `The content of version ${team.version} is not a prompt set Anvil can publish: ${issues}.`,
    },
  };
}
