import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AnvilError, PromptSetContent, tagProblem } from '../../shared/domain';
import { canonicalJson, contentHash } from '../../shared/domain/hash';
import type {
  PackageSummary,
  PublishContentRequest,
  PublishRequest,
  PublishResult,
  SearchResult,
} from '../../shared/registry/api';
import type { EditMode, PackageMetadata } from '../../shared/registry/types';
import { EDIT_MODES } from '../../shared/registry/types';
import type { AccountStore } from '../accounts';
import type { ApiCaller } from '../api/backend';
import type { ProposedVersion, TeamVersion } from '../../shared/sync/api';
import type { TeamVersionStore } from '../versions';
import { versionTaken } from '../versions';
import { createRegistryAccess } from './access';
import { createExperiments, currentExperiments } from './experiments';
import { openBundleFiles } from './bundle-files';
import { createNotifier } from './notify';
import { openRegistryDb } from './open';
import { createPublisher, refused } from './publisher';
import { createReviews } from './reviews';
import type { PackageRow, VersionRow } from './rows';
import { experimentOfRow, promptsOfRow, toFeedEvent, toPublishedVersion } from './rows';
import { REGISTRY_FILE } from './schema';
import { createTables } from './tables';
import type { Registry } from './types';
import { instrumentDecision, instrumentPublish } from '../telemetry';

export interface RegistryOptions {
  /** The server's data folder: `registry.db` and `bundles/` live in it. */
  dataDir: string;
  accounts: AccountStore;
  versions: TeamVersionStore;
  /** ms since epoch; tests pass a fake one. */
  clock?: () => number;
  log?: (line: string) => void;
  /** Bytes of verified bundles kept in memory (default 64 MiB). */
  bundleCacheBytes?: number;
  /** How often the feed looks for events another server process wrote, while anyone listens (default 250 ms). */
  pollMs?: number;
}

const MAX_NAME = 300;
const MAX_QUERY = 200;
const MAX_DEPRECATION = 1000;
const MAX_CACHED_METADATA = 2000;

interface CachedMetadata {
  revision: number;
  bytes: Uint8Array;
  etag: string;
}

/**
 * The team registry of `anvil serve` (see `Registry` in types.ts for the contract). One instance per process;
 * several processes may share a data folder: every write is an IMMEDIATE transaction on registry.db, cached
 * metadata is keyed by the package's revision in the database, and the feed reads its events from the table.
 */
export function createRegistry(options: RegistryOptions): Registry {
  const { accounts, versions } = options;
  const clock = options.clock ?? Date.now;
  const log = options.log ?? (() => undefined);
  const now = () => new Date(clock()).toISOString();
  const db = openRegistryDb(join(options.dataDir, REGISTRY_FILE));
  const t = createTables(db);
  const files = openBundleFiles(join(options.dataDir, 'bundles'), {
    log,
    ...(options.bundleCacheBytes === undefined ? {} : { cacheBytes: options.bundleCacheBytes }),
  });
  const access = createRegistryAccess(accounts);
  const notifier = createNotifier(t, log, options.pollMs ?? 250);
  const publisher = createPublisher({ t, files, accounts, versions, notifier, now });
  const metadataCache = new Map<string, CachedMetadata>();

  /** Audit rows live in accounts.db, written after the change committed: a failure there is logged, not thrown. */
  const audit = (
    caller: ApiCaller,
    action: string,
    entityKind: string,
    entityId: string,
    details: Record<string, unknown>,
  ) => {
    try {
      accounts.audit.append({
        actor: caller.name,
        action,
        entityKind,
        entityId: entityId.slice(0, 256),
        details: { accountId: caller.accountId, ...details },
      });
    } catch (err) {
      log(`registry: could not audit ${action} on ${entityId}: ${(err as Error).message}`);
    }
  };
  const refuse = (caller: ApiCaller, entity: string, err: unknown, details: Record<string, unknown>): never => {
    if (err instanceof AnvilError) {
      const problems = (err.details as { problems?: { code: string; message: string }[] } | undefined)?.problems;
      audit(caller, 'registry.refuse', 'set', entity, {
        ...details,
        reason: err.code,
        message: err.message.slice(0, 500),
        ...(problems
          ? { problems: problems.slice(0, 20).map((p) => ({ code: p.code, message: p.message.slice(0, 300) })) }
          : {}),
      });
    }
    throw err;
  };
  const reviews = createReviews({ t, access, accounts, versions, publisher, now, audit, refuse });

  /** Writers publish; nothing is published from a locked project. */
  const mayPublish = (caller: ApiCaller, projectId: string): void => {
    access.write(caller, projectId, 'publish');
    if (t.modeOf(projectId) === 'locked')
      throw new AnvilError({
        code: 'project_locked',
        message: `Project ${projectId} is locked: nothing is published until an admin sets it to open or review.`,
      });
  };

  /** A team version published (open mode) or put up for review (review mode); the caller may publish. */
  const publishTeam = async (caller: ApiCaller, team: TeamVersion): Promise<PublishResult> => {
    if (t.modeOf(team.projectId) === 'review') {
      const prepared = await publisher.prepare(team);
      return { status: 'review', review: reviews.open(caller, prepared) };
    }
    const result = await publisher.publish(team, caller.name);
    const integrity = (result.prepared.bundle as NonNullable<typeof result.prepared.bundle>).integrity;
    audit(caller, 'registry.publish', 'package', result.prepared.name, {
      projectId: team.projectId,
      setId: team.setId,
      version: team.version,
      versionId: team.id,
      integrity,
      changeClass: result.prepared.check.changeClass,
      override: team.override,
      latest: result.latest,
      eventId: result.eventId,
      before: null,
      after: team.version,
    });
    return {
      status: 'published',
      name: result.prepared.name,
      version: team.version,
      integrity,
      latest: result.latest,
      eventId: result.eventId,
    };
  };

  /**
   * `anvil push DIR`: the content becomes a team version of its set (checked first, stored only when it would
   * publish or go to review), then it is published as any team version is.
   */
  const publishContent = async (caller: ApiCaller, request: PublishContentRequest): Promise<PublishResult> => {
    const { projectId, version } = request;
    const changelog = request.changelog ?? '';
    const override = request.override ?? null;
    const text = (v: unknown, max: number) => typeof v === 'string' && v.length > 0 && v.length <= max;
    if (!text(projectId, 256) || !text(version, 256))
      throw new AnvilError({
        code: 'invalid_request',
        message: 'A publish request needs projectId and version (text).',
      });
    if (typeof changelog !== 'string' || changelog.length > 20_000)
      throw new AnvilError({ code: 'invalid_request', message: 'changelog is text of at most 20000 characters.' });
    if (override !== null && !(typeof override === 'string' && override.length <= 2000))
      throw new AnvilError({
        code: 'invalid_request',
        message: 'override is text of at most 2000 characters, or null.',
      });
    const rawSetId = (request.content as { id?: unknown } | null)?.id;
    const entity = `${projectId}/${typeof rawSetId === 'string' ? rawSetId.slice(0, 64) : '?'}`;
    const details = { projectId, setId: rawSetId ?? null, version, inline: true };
    try {
      mayPublish(caller, projectId);
      const parsed = PromptSetContent.safeParse(request.content);
      if (!parsed.success) {
        const problems = parsed.error.issues.slice(0, 20).map((i) => ({
          code: 'invalid_bundle' as const,
          message: `${i.path.join('.') || 'content'}: ${i.message}`,
        }));
        throw refused(`version ${version}`, problems);
      }
      const content = parsed.data;
      if (content.projectId !== projectId)
        throw new AnvilError({
          code: 'invalid_request',
          message: `The content belongs to project ${content.projectId}, not ${projectId}.`,
        });
      const json = canonicalJson(content);
      const hash = await contentHash(content);
      const existing = versions.find(projectId, content.id, version);
      if (existing) {
        if (existing.contentHash !== hash) throw versionTaken(existing);
        // A retry, or the same content a studio saved under this number: publish the stored version.
        return await publishTeam(caller, existing);
      }
      const proposal: ProposedVersion = {
        id: `push-${randomUUID()}`,
        setId: content.id,
        version,
        changelog,
        author: caller.name.slice(0, 128),
        createdAt: now(),
        contentHash: hash,
        changeClass: 'none',
        override,
        content: json,
      };
      // Every check before anything is stored: a refused push must not take the version number.
      const draft: TeamVersion = {
        ...proposal,
        seq: 0,
        projectId,
        acceptedFrom: caller.accountId,
        acceptedAt: proposal.createdAt,
      };
      const checked = await publisher.prepare(draft);
      const { version: team, created } = versions.propose(projectId, caller.accountId, {
        ...proposal,
        changeClass: checked.check.changeClass,
      });
      if (created)
        audit(caller, 'version.accept', 'set', `${projectId}/${content.id}`, {
          id: team.id,
          version,
          seq: team.seq,
          contentHash: hash,
          via: 'registry.publish',
        });
      return await publishTeam(caller, team);
    } catch (err) {
      return refuse(caller, entity, err, details);
    }
  };

  const packageOf = (caller: ApiCaller, name: unknown): PackageRow => {
    const row = typeof name === 'string' && name.length <= MAX_NAME ? t.packageByName(name) : undefined;
    if (!row)
      throw new AnvilError({
        code: 'unknown_package',
        message: `There is no package ${String(name).slice(0, 100)} in this registry.`,
      });
    access.read(caller, row.project_id);
    return row;
  };
  const versionOf = (pkg: PackageRow, version: unknown): VersionRow => {
    const row = typeof version === 'string' && version.length <= 256 ? t.versionOf(pkg.name, version) : undefined;
    if (!row)
      throw new AnvilError({
        code: 'unknown_version',
        message: `${pkg.name} has no published version ${String(version).slice(0, 80)}.`,
      });
    return row;
  };
  const experiments = createExperiments({ t, access, notifier, now, packageOf, audit });

  /** Tags and deprecations: writers; in a locked project, its admins only. */
  const mayChange = (caller: ApiCaller, pkg: PackageRow, what: string) => {
    const role = access.write(caller, pkg.project_id, what);
    if (role !== 'admin' && t.modeOf(pkg.project_id) === 'locked')
      throw new AnvilError({
        code: 'project_locked',
        message: `Project ${pkg.project_id} is locked: only its admins can ${what}.`,
      });
  };

  const summaryOf = (pkg: PackageRow): PackageSummary => {
    const rows = t.versionsOf(pkg.name);
    const distTags = t.tagsOf(pkg.name);
    const latest = rows.find((v) => v.version === distTags['latest']) ?? rows.at(-1);
    return {
      name: pkg.name,
      projectId: pkg.project_id,
      setId: pkg.set_id,
      description: latest?.description ?? '',
      distTags,
      latest: latest ? toPublishedVersion(latest) : null,
      versions: rows.map((v) => v.version),
    };
  };

  const buildMetadata = (pkg: PackageRow): CachedMetadata => {
    // One read transaction: the revision and what it describes agree even while another process writes.
    return db.transaction((): CachedMetadata => {
      const fresh = t.packageByName(pkg.name) as PackageRow;
      const rows = t.versionsOf(pkg.name);
      const distTags = t.tagsOf(pkg.name);
      const latest = rows.find((v) => v.version === distTags['latest']) ?? rows.at(-1);
      const doc: PackageMetadata = {
        name: fresh.name,
        projectId: fresh.project_id,
        setId: fresh.set_id,
        description: latest?.description ?? '',
        distTags,
        versions: Object.fromEntries(rows.map((v) => [v.version, toPublishedVersion(v)])),
        time: {
          created: fresh.created_at,
          modified: fresh.modified_at,
          ...Object.fromEntries(rows.map((v) => [v.version, v.published_at])),
        },
      };
      const running = currentExperiments(t.experimentsOf(pkg.name));
      if (running.length > 0) doc.experiments = running.map(experimentOfRow);
      const bytes = new TextEncoder().encode(JSON.stringify(doc));
      const etag = `"sha256-${createHash('sha256').update(bytes).digest('base64url')}"`;
      return { revision: fresh.revision, bytes, etag };
    })();
  };

  /** Project ids the caller may read, narrowed to those named `projectName` when given; null = all. */
  const scope = (caller: ApiCaller, projectName: string | undefined): Set<string> | null => {
    const visible = access.visibleProjects(caller);
    if (projectName === undefined) return visible;
    if (typeof projectName !== 'string')
      throw new AnvilError({ code: 'invalid_request', message: 'project must be a project name.' });
    const named = accounts.listProjects().filter((p) => p.name === projectName || p.id === projectName);
    return new Set(named.map((p) => p.id).filter((id) => visible === null || visible.has(id)));
  };
  const inScope = (column: string, ids: Set<string> | null, args: unknown[]): string => {
    if (ids === null) return '1';
    args.push(...ids);
    return ids.size === 0 ? '0' : `${column} IN (${[...ids].map(() => '?').join(', ')})`;
  };

  return {
    publish: instrumentPublish(async (caller: ApiCaller, request: PublishRequest | PublishContentRequest) => {
      if (request && typeof request === 'object' && 'content' in request) return publishContent(caller, request);
      const { projectId, setId, version } = (request ?? {}) as Partial<PublishRequest>;
      for (const [field, value] of [
        ['projectId', projectId],
        ['setId', setId],
        ['version', version],
      ] as const)
        if (typeof value !== 'string' || value.length === 0 || value.length > 256)
          throw new AnvilError({ code: 'invalid_request', message: `A publish request needs ${field} (text).` });
      const entity = `${projectId as string}/${setId as string}`;
      const details = { projectId, setId, version };
      try {
        mayPublish(caller, projectId as string);
        const team = versions.find(projectId as string, setId as string, version as string);
        if (!team)
          throw new AnvilError({
            code: 'unknown_team_version',
            message: `Set ${setId as string} of project ${projectId as string} has no version ${version as string} on the server: save it in the studio and let it sync before publishing.`,
          });
        return await publishTeam(caller, team);
      } catch (err) {
        return refuse(caller, entity, err, details);
      }
    }),

    metadata(caller, name) {
      const pkg = packageOf(caller, name);
      const cached = metadataCache.get(pkg.name);
      if (cached && cached.revision === pkg.revision) return { bytes: cached.bytes, etag: cached.etag };
      const built = buildMetadata(pkg);
      metadataCache.delete(pkg.name);
      metadataCache.set(pkg.name, built);
      // Bounded: the oldest built entry goes first (a Map iterates in insertion order).
      if (metadataCache.size > MAX_CACHED_METADATA) metadataCache.delete(metadataCache.keys().next().value as string);
      return { bytes: built.bytes, etag: built.etag };
    },

    bundle(caller, name, version) {
      const row = versionOf(packageOf(caller, name), version);
      return { bytes: files.read(row.integrity, row.size), integrity: row.integrity };
    },

    setDistTag(caller, name, tag, version) {
      const pkg = packageOf(caller, name);
      mayChange(caller, pkg, 'change dist-tags');
      const problem = typeof tag === 'string' ? tagProblem(tag) : 'a tag is text';
      if (problem) throw new AnvilError({ code: 'invalid_request', message: `Invalid dist-tag: ${problem}.` });
      if (version === null && tag === 'latest')
        throw new AnvilError({
          code: 'invalid_request',
          message: `The latest tag of ${pkg.name} cannot be removed; point it at another version instead.`,
        });
      if (version !== null) versionOf(pkg, version);
      const result = db
        .transaction(() => {
          const before = t.tagsOf(pkg.name)[tag] ?? null;
          if (before === version) return { before, eventId: null };
          const at = now();
          if (version === null) t.deleteTag(pkg.name, tag);
          else t.setTag(pkg.name, tag, version, at);
          t.touchPackage(pkg.name, at);
          return { before, eventId: t.insertEvent('dist-tag', pkg, { tag, version }, at) };
        })
        .immediate();
      if (result.eventId !== null) {
        notifier.pump();
        audit(caller, 'registry.dist_tag', 'package', pkg.name, {
          tag,
          before: result.before,
          after: version,
          eventId: result.eventId,
        });
      }
      return t.tagsOf(pkg.name);
    },

    deprecate(caller, name, version, message) {
      const pkg = packageOf(caller, name);
      mayChange(caller, pkg, 'deprecate versions');
      const row = versionOf(pkg, version);
      if (
        message !== null &&
        (typeof message !== 'string' || message.trim().length === 0 || message.length > MAX_DEPRECATION)
      )
        throw new AnvilError({
          code: 'invalid_request',
          message: `A deprecation message is 1 to ${MAX_DEPRECATION} characters (null un-deprecates).`,
        });
      const result = db
        .transaction(() => {
          const current = t.versionOf(pkg.name, row.version) as VersionRow;
          if (current.deprecated === message) return { before: current.deprecated, eventId: null };
          const at = now();
          t.setDeprecated(pkg.name, row.version, message);
          t.touchPackage(pkg.name, at);
          return {
            before: current.deprecated,
            eventId: t.insertEvent('deprecate', pkg, { version: row.version, message }, at),
          };
        })
        .immediate();
      if (result.eventId !== null) {
        notifier.pump();
        audit(caller, 'registry.deprecate', 'package', pkg.name, {
          version: row.version,
          before: result.before,
          after: message,
          eventId: result.eventId,
        });
      }
      return toPublishedVersion(t.versionOf(pkg.name, row.version) as VersionRow);
    },

    experiments: experiments.list,
    putExperiment: experiments.put,
    stopExperiment: experiments.stop,

    search(caller, query) {
      const q = typeof query?.q === 'string' ? query.q.trim().toLowerCase() : '';
      if (q.length > MAX_QUERY)
        throw new AnvilError({ code: 'invalid_request', message: `A search is at most ${MAX_QUERY} characters.` });
      const limit = query.limit ?? 20;
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 100)
        throw new AnvilError({ code: 'invalid_request', message: `limit must be a whole number from 1 to 100.` });
      const args: unknown[] = [];
      const projects = inScope('p.project_id', scope(caller, query.project), args);
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows = db
        .prepare<unknown[], VersionRow>(
          `SELECT v.* FROM packages p
           JOIN dist_tags t ON t.name = p.name AND t.tag = 'latest'
           JOIN versions v ON v.name = p.name AND v.version = t.version
           WHERE ${projects} AND v.search_text LIKE ? ESCAPE '\\'
           ORDER BY (lower(p.name) LIKE ? ESCAPE '\\') DESC, p.name LIMIT ?`,
        )
        .all(...args, like, like, limit);
      return rows.map((v): SearchResult => {
        const prompts = promptsOfRow(v);
        const nameMatched = q.length === 0 || v.name.toLowerCase().includes(q);
        return {
          name: v.name,
          version: v.version,
          description: v.description,
          prompts: prompts
            .filter((p) => nameMatched || p.name.toLowerCase().includes(q) || p.description.toLowerCase().includes(q))
            .map((p) => p.name),
          deprecated: v.deprecated,
        };
      });
    },

    projectPackages(caller, projectName) {
      const named = accounts.listProjects().filter((p) => p.name === projectName);
      if (named.length === 0)
        throw new AnvilError({
          code: 'unknown_project',
          message: `There is no project named "${String(projectName).slice(0, 80)}" on this server.`,
        });
      const visible = named.filter((p) => access.canSee(caller, p.id));
      // No role on any of them: the refusal names the first, as reading it directly would.
      if (visible.length === 0) access.read(caller, (named[0] as { id: string }).id);
      return visible.flatMap((p) => t.packagesOf(p.id)).map(summaryOf);
    },

    published(caller, projectId, setId) {
      access.read(caller, projectId);
      return t.packagesOf(projectId, setId).map(summaryOf);
    },

    events(caller, query) {
      const after = query.after ?? 0;
      const limit = query.limit ?? 100;
      if (!Number.isSafeInteger(after) || after < 0)
        throw new AnvilError({ code: 'invalid_request', message: `after must be a whole number ≥ 0 (got ${after}).` });
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000)
        throw new AnvilError({ code: 'invalid_request', message: `limit must be a whole number from 1 to 1000.` });
      const args: unknown[] = [after];
      const where = [`id > ?`, inScope('project_id', scope(caller, query.project), args)];
      if (query.name !== undefined) {
        where.push('name = ?');
        args.push(query.name);
      }
      return db.transaction(() => {
        const rows = db
          .prepare<unknown[], Parameters<typeof toFeedEvent>[0]>(
            `SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`,
          )
          .all(...args, limit);
        // Fewer than asked: every event up to the newest was looked at, so a poller need not look again.
        const next = rows.length < limit ? Math.max(after, t.lastEventId()) : (rows.at(-1)?.id ?? after);
        return { events: rows.map(toFeedEvent), next };
      })();
    },

    subscribe: (listener) => notifier.subscribe(listener),

    canSee: (caller, projectId) => access.canSee(caller, projectId),

    editMode(caller, projectId) {
      access.read(caller, projectId);
      return t.modeOf(projectId);
    },

    setEditMode(caller, projectId, mode: EditMode) {
      access.admin(caller, projectId, 'change the edit mode');
      if (!EDIT_MODES.includes(mode))
        throw new AnvilError({
          code: 'invalid_request',
          message: `"${String(mode).slice(0, 40)}" is not an edit mode (${EDIT_MODES.join(', ')}).`,
        });
      const before = db
        .transaction(() => {
          const current = t.modeOf(projectId);
          if (current !== mode) t.setMode(projectId, mode, now(), caller.name);
          return current;
        })
        .immediate();
      if (before !== mode) audit(caller, 'project.edit_mode', 'project', projectId, { before, after: mode });
      return mode;
    },

    reviews: reviews.reviews,
    review: reviews.review,
    comment: reviews.comment,
    decide: instrumentDecision(reviews.decide),

    close() {
      notifier.close();
      if (db.open) db.close();
    },
  };
}
