import { AnvilError, PromptSetContent } from '../../shared/domain';
import { movesLatest } from '../../shared/registry/index';
import type { PublishProblem } from '../../shared/registry/types';
import type { TeamVersion } from '../../shared/sync/api';
import type { AccountStore } from '../accounts';
import type { TeamVersionStore } from '../versions';
import type { BundleFiles } from './bundle-files';
import type { Notifier } from './notify';
export type { PreparedPublish } from './prepare';
import type { PreparedPublish } from './prepare';
import { preparePublish, snapshotOf } from './prepare';
import { promptsOfRow } from './rows';
import type { Tables } from './tables';

/**
 * The two halves of a publish: `prepare` checks and builds a team version's bundle (async: hashing), `commit`
 * stores the bundle file, then in one IMMEDIATE transaction the version row, `latest`, the package's revision and
 * the feed event. A second publisher of the same (name, version), in this process or another, finds the row in
 * its own transaction (or hits the UNIQUE constraint) and gets `version_published`; one whose package gained a
 * version between its check and its commit is checked again (`publish`).
 */
export interface Publisher {
  /** Checked and built; throws `name_taken`, `version_published`, `publish_refused` or `too_large`. */
  prepare(team: TeamVersion): Promise<PreparedPublish>;
  /** Prepares and commits, checking again when another version landed in between; `inTransaction` commits with it. */
  publish(
    team: TeamVersion,
    publishedBy: string,
    inTransaction?: (at: string, prepared: PreparedPublish) => void,
  ): Promise<{ prepared: PreparedPublish; eventId: number; latest: boolean }>;
}

export interface PublisherDeps {
  t: Tables;
  files: BundleFiles;
  accounts: AccountStore;
  versions: TeamVersionStore;
  notifier: Notifier;
  now: () => string;
}

const MAX_ATTEMPTS = 5;

class Stale extends Error {}

export function createPublisher(deps: PublisherDeps): Publisher {
  const { t, files, accounts, versions, notifier, now } = deps;

  const lookups = {
    versionsOf: (name: string) =>
      t.packageByName(name)
        ? t.versionsOf(name).map((v) => ({ version: v.version, teamVersionId: v.team_version_id }))
        : null,
    promptsOf: (name: string, version: string) => {
      const row = t.versionOf(name, version);
      return row ? promptsOfRow(row).map((p) => p.name) : null;
    },
    contentOf: (teamVersionId: string) => {
      const team = versions.get(teamVersionId);
      if (!team)
        throw new AnvilError({
          code: 'unknown_team_version',
          message: `The team version ${teamVersionId} a published version was built from is missing from versions.db.`,
        });
      return PromptSetContent.parse(JSON.parse(team.content));
    },
  };

  const prepare = async (team: TeamVersion): Promise<PreparedPublish> => {
    const projectName = accounts.getProject(team.projectId)?.name ?? team.projectId;
    const { prepared, problems } = await preparePublish(team, projectName, lookups);
    if (!prepared) throw refused(`${team.setId} ${team.version}`, problems);
    const pkg = t.packageByName(prepared.name);
    if (pkg && (pkg.project_id !== team.projectId || pkg.set_id !== team.setId)) throw nameTaken(prepared.name, pkg);
    const taken = t.versionOf(prepared.name, team.version);
    if (taken) throw versionPublished(prepared.name, team.version, taken.published_at);
    if (prepared.problems.length > 0 || !prepared.bundle) throw refused(`${prepared.name}@${team.version}`, problems);
    return prepared;
  };

  const commit = (
    prepared: PreparedPublish,
    publishedBy: string,
    inTransaction?: (at: string, prepared: PreparedPublish) => void,
  ) => {
    const { name, team, content, check } = prepared;
    const bundle = prepared.bundle as NonNullable<PreparedPublish['bundle']>;
    // The file first: a committed row always names bytes that are on disk.
    files.write(bundle.bytes, bundle.integrity);
    const at = now();
    const run = t.db.transaction(() => {
      const taken = t.versionOf(name, team.version);
      if (taken) throw versionPublished(name, team.version, taken.published_at);
      if (snapshotOf(t.versionsOf(name).map((v) => v.version)) !== prepared.snapshot) throw new Stale();
      const pkg = t.packageByName(name);
      if (!pkg) t.insertPackage(name, team.projectId, team.setId, at);
      else if (pkg.project_id !== team.projectId || pkg.set_id !== team.setId) throw nameTaken(name, pkg);
      const current = t.tagsOf(name)['latest'] ?? null;
      // npm's rule: a package always has a `latest` once anything is published.
      const latest = current === null || movesLatest(current, team.version);
      const prompts = content.prompts.map((p) => ({ name: p.name, description: p.description }));
      t.insertVersion({
        name,
        version: team.version,
        integrity: bundle.integrity,
        size: bundle.bytes.byteLength,
        published_at: at,
        published_by: publishedBy,
        author: team.author,
        changelog: team.changelog,
        change_class: check.changeClass,
        override: team.override,
        description: content.description,
        dependencies: JSON.stringify(content.dependencies),
        prompts: JSON.stringify(prompts),
        search_text: [name, content.description, ...prompts.flatMap((p) => [p.name, p.description])]
          .join('\n')
          .toLowerCase(),
        team_version_id: team.id,
      });
      if (latest) t.setTag(name, 'latest', team.version, at);
      t.touchPackage(name, at);
      const eventId = t.insertEvent(
        'publish',
        { name, project_id: team.projectId, set_id: team.setId },
        { version: team.version, integrity: bundle.integrity, latest },
        at,
      );
      inTransaction?.(at, prepared);
      return { eventId, latest };
    });
    try {
      return run.immediate();
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
        throw versionPublished(name, team.version, null);
      throw err;
    } finally {
      notifier.pump();
    }
  };

  return {
    prepare,
    async publish(team, publishedBy, inTransaction) {
      for (let attempt = 1; ; attempt++) {
        const prepared = await prepare(team);
        try {
          return { prepared, ...commit(prepared, publishedBy, inTransaction) };
        } catch (err) {
          if (!(err instanceof Stale)) throw err;
          if (attempt >= MAX_ATTEMPTS)
            throw new AnvilError({
              code: 'registry_busy',
              message: `Other versions of ${prepared.name} kept being published while ${team.version} was checked; try again.`,
            });
        }
      }
    },
  };
}

/** 422 with every problem, or 413 when the only problem is the bundle's size. */
export function refused(what: string, problems: PublishProblem[]): AnvilError {
  if (problems.length > 0 && problems.every((p) => p.code === 'too_large'))
    return new AnvilError({
      code: 'too_large',
      message: `Publishing ${what} was refused: ${problems.map((p) => p.message).join('; ')}`,
      details: { problems },
    });
  const listed = problems.map((p) => p.message);
  const shown = listed.length > 10 ? [...listed.slice(0, 10), `and ${listed.length - 10} more`] : listed;
  return new AnvilError({
    code: 'publish_refused',
    message: `Publishing ${what} was refused: ${shown.join('; ')}`,
    details: { problems },
  });
}

export function versionPublished(name: string, version: string, at: string | null): AnvilError {
  return new AnvilError({
    code: 'version_published',
    message: `${name}@${version} is already published${at ? ` (${at})` : ''}; a published version never changes, even with the same bytes. Save a new version and publish that.`,
    details: { name, version },
  });
}

function nameTaken(name: string, pkg: { project_id: string; set_id: string }): AnvilError {
  return new AnvilError({
    code: 'name_taken',
    message: `The package name ${name} belongs to another set (${pkg.project_id}/${pkg.set_id}); rename this set to publish it.`,
    details: { name, projectId: pkg.project_id, setId: pkg.set_id },
  });
}
