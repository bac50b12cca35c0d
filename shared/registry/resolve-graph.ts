import pLimit from 'p-limit';
import semver from 'semver';
import { AnvilError } from '../domain/result';
import type { Lockfile } from './lockfile';
import { LOCKFILE_VERSION, lockedExperiments } from './lockfile';
import type { Experiment } from '../experiments/types';
import type { ConsumerManifest } from './manifest';
import { byCodeUnit } from './manifest';
import type { PackageMetadata } from './types';

/** Where the resolver reads packages from: the registry, a cache of its answers, or a test's table. */
export interface GraphSource {
  /** The package's metadata, or null when the registry has no package of that name. */
  metadata(name: string): Promise<PackageMetadata | null>;
}

export interface ResolveOptions {
  /** Versions to keep while they still satisfy every range (the current lock's), as npm keeps a lock's pins. */
  preferred?: Readonly<Record<string, string>>;
}

export interface ResolvedSet {
  name: string;
  version: string;
  integrity: string;
  /** Every range this version was chosen to satisfy, sorted. */
  ranges: string[];
  dependencies: Record<string, string>;
  /** The registry's deprecation message for this version, if any: callers report it. */
  deprecated: string | null;
  /** The package's experiments (its metadata's), kept in the lock. */
  experiments?: Experiment[];
  /** version → integrity of the versions those experiments target (other than `version`). */
  variantVersions?: Record<string, string>;
}

export interface ResolvedGraph {
  sets: Record<string, ResolvedSet>;
}

interface Request {
  range: string;
  /** `anvil.json`, then each `@p/s@version` the request came through. */
  path: string[];
}

const ROOT = 'anvil.json';
const MAX_ROUNDS = 64;
/** Metadata requests in flight at once while prefetching (well under the registry's per-token burst). */
const PREFETCH_CONCURRENCY = 8;

const showPath = (name: string, r: Request): string => [...r.path, `${name}@${r.range}`].join(' → ');

function resolveError(code: string, message: string, details: unknown): AnvilError {
  return new AnvilError({ code, message, details });
}

/**
 * Resolves a manifest's dependencies and theirs into one version per set. Ranges follow node-semver exactly
 * (its default options, so a prerelease is taken only by a range naming a prerelease of the same
 * major.minor.patch); among the versions satisfying every range a set is asked for, the highest wins, unless
 * `preferred` names one of them. Picking a version changes which dependencies it brings, so the walk repeats
 * until the picks settle.
 *
 * Errors (AnvilError) show the dependency path: `unknown_package`, `unsatisfiable_range` (no published version
 * satisfies one range), `dependency_conflict` (two ranges of one set share no version: both paths shown).
 */
export async function resolveGraph(
  manifest: ConsumerManifest,
  source: GraphSource,
  options: ResolveOptions = {},
): Promise<ResolvedGraph> {
  const metas = new Map<string, PackageMetadata | null>();
  const loading = new Map<string, Promise<PackageMetadata | null>>();
  const load = (name: string): Promise<PackageMetadata | null> => {
    let pending = loading.get(name);
    if (!pending) {
      pending = source.metadata(name).then((meta) => {
        metas.set(name, meta);
        return meta;
      });
      loading.set(name, pending);
    }
    return pending;
  };
  const versionsOf = (meta: PackageMetadata): string[] =>
    Object.keys(meta.versions).filter((v) => semver.valid(v) === v);
  const choose = (name: string, meta: PackageMetadata, ranges: readonly string[]): string | null => {
    const candidates = versionsOf(meta).filter((v) => ranges.every((r) => semver.satisfies(v, r)));
    const preferred = options.preferred?.[name];
    if (preferred !== undefined && candidates.includes(preferred)) return preferred;
    return semver.rsort(candidates)[0] ?? null;
  };

  // The walk below asks for one package at a time; the manifest's own dependencies are known at once, so their
  // metadata is fetched together first (a cold pull of 200 sets made 200 round trips one after another).
  const limit = pLimit(PREFETCH_CONCURRENCY);
  await Promise.all(Object.keys(manifest.dependencies).map((name) => limit(() => load(name))));

  let picks = new Map<string, string>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const requests = new Map<string, Request[]>();
    const visited: string[] = [];
    const queue: { name: string; request: Request }[] = Object.keys(manifest.dependencies)
      .sort(byCodeUnit)
      .map((name) => ({ name, request: { range: manifest.dependencies[name] as string, path: [ROOT] } }));
    for (let item = queue.shift(); item; item = queue.shift()) {
      const { name, request } = item;
      const list = requests.get(name) ?? [];
      list.push(request);
      requests.set(name, list);
      if (list.length > 1) continue;
      visited.push(name);
      const meta = await load(name);
      if (!meta)
        throw resolveError(
          'unknown_package',
          `${showPath(name, request)}: the registry has no package ${name} (or this token cannot read it)`,
          { name, path: request.path },
        );
      const version = picks.get(name) ?? choose(name, meta, [request.range]);
      if (version === null) continue; // reported when the picks settle
      picks.set(name, version);
      const deps = meta.versions[version]?.dependencies ?? {};
      for (const dep of Object.keys(deps).sort(byCodeUnit))
        queue.push({
          name: dep,
          request: { range: deps[dep] as string, path: [...request.path, `${name}@${version}`] },
        });
    }

    const next = new Map<string, string>();
    let changed = false;
    for (const name of visited) {
      const meta = metas.get(name) as PackageMetadata;
      const asked = requests.get(name) as Request[];
      const version = choose(
        name,
        meta,
        asked.map((r) => r.range),
      );
      if (version === null) throw unresolvable(name, meta, asked, versionsOf(meta));
      next.set(name, version);
      if (picks.get(name) !== version) changed = true;
    }
    if (!changed && next.size === picks.size) return graphOf(next, requests, metas);
    picks = next;
  }
  throw resolveError(
    'dependency_conflict',
    `the dependencies did not settle on one version per set after ${MAX_ROUNDS} rounds (sets whose versions pull each other up and down)`,
    { picks: Object.fromEntries(picks) },
  );
}

function unresolvable(name: string, meta: PackageMetadata, asked: Request[], versions: string[]): AnvilError {
  const published = versions.length > 0 ? semver.sort([...versions]).join(', ') : 'none';
  for (const r of asked)
    if (!versions.some((v) => semver.satisfies(v, r.range)))
      return resolveError(
        'unsatisfiable_range',
        `${showPath(name, r)}: no published version of ${name} satisfies ${r.range} (published: ${published})`,
        { name, range: r.range, path: r.path, published: versions },
      );
  for (let i = 0; i < asked.length; i++)
    for (let j = i + 1; j < asked.length; j++) {
      const a = asked[i] as Request;
      const b = asked[j] as Request;
      if (!versions.some((v) => semver.satisfies(v, a.range) && semver.satisfies(v, b.range)))
        return resolveError(
          'dependency_conflict',
          `${name} is needed as ${a.range} by ${showPath(name, a)} and as ${b.range} by ${showPath(name, b)}; no version satisfies both (published: ${published})`,
          { name, requests: [a, b], published: versions },
        );
    }
  return resolveError(
    'dependency_conflict',
    `no version of ${name} satisfies all of ${asked.map((r) => `${r.range} (${showPath(name, r)})`).join(', ')}`,
    { name, requests: asked, published: versions },
  );
}

function graphOf(
  picks: Map<string, string>,
  requests: Map<string, Request[]>,
  metas: Map<string, PackageMetadata | null>,
): ResolvedGraph {
  const sets: Record<string, ResolvedSet> = {};
  for (const name of [...picks.keys()].sort(byCodeUnit)) {
    const version = picks.get(name) as string;
    const meta = metas.get(name) as PackageMetadata;
    const record = meta.versions[version];
    if (!record) throw resolveError('invalid_metadata', `the registry's metadata of ${name} lacks ${version}`, {});
    const experiments = lockedExperiments(meta.experiments);
    const variantVersions = experimentVersions(meta, version);
    sets[name] = {
      name,
      version,
      integrity: record.integrity,
      ranges: [...new Set((requests.get(name) ?? []).map((r) => r.range))].sort(byCodeUnit),
      dependencies: { ...record.dependencies },
      deprecated: record.deprecated,
      ...(experiments ? { experiments } : {}),
      ...(variantVersions ? { variantVersions } : {}),
    };
  }
  return { sets };
}

/**
 * The versions a package's experiments target (`{ version }` variants) other than `locked`, with their
 * integrity from the metadata, or undefined when there are none. A version the metadata lacks is an error.
 */
export function experimentVersions(meta: PackageMetadata, locked: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const e of meta.experiments ?? [])
    for (const v of e.variants) {
      if (!('version' in v.target) || v.target.version === locked) continue;
      const record = meta.versions[v.target.version];
      if (!record)
        throw resolveError(
          'invalid_metadata',
          `${meta.name}: the experiment "${e.id}" targets version ${v.target.version}, which the registry's metadata lacks`,
          { name: meta.name, experiment: e.id, version: v.target.version },
        );
      out[v.target.version] = record.integrity;
    }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The lock file of a resolution. */
export function graphToLockfile(manifest: ConsumerManifest, graph: ResolvedGraph): Lockfile {
  const sets: Lockfile['sets'] = {};
  for (const [name, s] of Object.entries(graph.sets))
    sets[name] = {
      version: s.version,
      integrity: s.integrity,
      ranges: s.ranges,
      dependencies: s.dependencies,
      ...(s.experiments ? { experiments: s.experiments } : {}),
      ...(s.variantVersions ? { variantVersions: s.variantVersions } : {}),
    };
  return { lockfileVersion: LOCKFILE_VERSION, dependencies: { ...manifest.dependencies }, sets };
}
