import semver from 'semver';
import { z } from 'zod';
import { Dependencies, SetRef, SemverRange } from '../domain/prompt-set';
import { AnvilError } from '../domain/result';
import { checkExperimentList } from '../experiments/types';
import type { Experiment } from '../experiments/types';
import { INTEGRITY_PATTERN } from './integrity';
import { byCodeUnit, describeIssue } from './manifest';
import type { ConsumerManifest } from './manifest';

/**
 * The lock file, `anvil-lock.json`: what `anvil pull` resolved, so every machine renders the same bytes.
 * One entry per resolved set (one version per set in the whole graph): the version, the integrity of its
 * bundle, the ranges it was chosen to satisfy (the manifest's and other sets'), and its own dependencies.
 * `dependencies` repeats the manifest's, so a lock that no longer matches its manifest is seen without network.
 *
 * Serialised canonically (`serializeLockfile`): fixed key order, sets and ranges sorted by code unit, two-space
 * indent, one trailing newline; the same resolution gives the same bytes on every machine.
 */
export interface LockedSet {
  version: string;
  integrity: string;
  /** Ranges this version satisfies, sorted, each once. */
  ranges: string[];
  /** The bundle's own dependencies (`@p/s` → range), as published. */
  dependencies: Record<string, string>;
  /**
   * The package's experiments as they were when pulled (its metadata's `experiments`, by id, each canonical):
   * a locked application assigns variants from these, never from the registry's current ones. Absent when none.
   */
  experiments?: Experiment[];
  /**
   * version → integrity of the other versions of this set that `experiments` target (`{ version }` variants),
   * which `anvil pull` also fetched: locked mode renders those variants from them. Absent when none.
   */
  variantVersions?: Record<string, string>;
}

export interface Lockfile {
  lockfileVersion: 1;
  /** The manifest's dependencies the lock was resolved for. */
  dependencies: Record<string, string>;
  /** `@p/s` → what it resolved to. */
  sets: Record<string, LockedSet>;
}

export const LOCKFILE_NAME = 'anvil-lock.json';
export const LOCKFILE_VERSION = 1;

const LockedSetSchema = z
  .object({
    version: z.string().refine((v) => semver.valid(v) === v, { message: 'not a semver version such as 1.2.0' }),
    integrity: z
      .string()
      .regex(INTEGRITY_PATTERN, 'not an sha512 integrity string ("sha512-" and 88 base64 characters)'),
    ranges: z.array(SemverRange),
    dependencies: Dependencies,
    experiments: z.array(z.unknown()).optional(),
    variantVersions: z
      .record(
        z.string().refine((v) => semver.valid(v) === v, { message: 'not a semver version such as 1.2.0' }),
        z.string().regex(INTEGRITY_PATTERN, 'not an sha512 integrity string'),
      )
      .optional(),
  })
  .strict();

const LockfileSchema = z
  .object({
    lockfileVersion: z.literal(LOCKFILE_VERSION),
    dependencies: Dependencies,
    sets: z.record(SetRef, LockedSetSchema),
  })
  .strict();

function invalid(file: string, message: string, path?: string, details?: unknown): AnvilError {
  return new AnvilError({
    code: 'invalid_lockfile',
    message: `${file}: ${message} (delete it and run \`anvil pull\` to write a new one)`,
    ...(path !== undefined ? { path } : {}),
    ...(details !== undefined ? { details } : {}),
  });
}

/** Every set the lock needs is in it, and each version satisfies the ranges written beside it. */
function consistencyProblem(lock: Lockfile): { path: string; message: string } | null {
  const need = (name: string, range: string, from: string): { path: string; message: string } | null => {
    const entry = lock.sets[name];
    if (!entry) return { path: from, message: `${from} needs ${name} (${range}), which the lock does not have` };
    if (!semver.satisfies(entry.version, range))
      return { path: from, message: `${from} needs ${name} ${range}, but the lock has ${entry.version}` };
    return null;
  };
  for (const [name, range] of Object.entries(lock.dependencies)) {
    const p = need(name, range, 'dependencies');
    if (p) return p;
  }
  for (const [name, entry] of Object.entries(lock.sets)) {
    for (const range of entry.ranges)
      if (!semver.satisfies(entry.version, range))
        return { path: `sets["${name}"].ranges`, message: `${name}@${entry.version} does not satisfy ${range}` };
    for (const [dep, range] of Object.entries(entry.dependencies)) {
      const p = need(dep, range, `${name}@${entry.version}`);
      if (p) return { ...p, path: `sets["${name}"].dependencies` };
    }
  }
  return null;
}

/** Checks a lock already parsed from JSON; throws `invalid_lockfile` naming the field and why. */
export function validateLockfile(raw: unknown, file = LOCKFILE_NAME): Lockfile {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalid(file, 'not a JSON object');
  const version = (raw as { lockfileVersion?: unknown }).lockfileVersion;
  if (version !== LOCKFILE_VERSION)
    throw invalid(
      file,
      version === undefined
        ? 'it has no "lockfileVersion"'
        : `lockfileVersion ${JSON.stringify(version)} is not one this version of Anvil reads (${LOCKFILE_VERSION})`,
      'lockfileVersion',
    );
  const parsed = LockfileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(describeIssue);
    const first = issues[0] as { path: string; message: string };
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw invalid(file, `${first.path}: ${first.message}${more}`, first.path, { issues });
  }
  const lock = parsed.data as Lockfile;
  for (const [name, entry] of Object.entries(lock.sets)) {
    if (entry.experiments === undefined) continue;
    const checked = checkExperimentList(entry.experiments);
    if (!checked.ok) {
      const path = `sets["${name}"].experiments${checked.error.path ?? ''}`;
      throw invalid(file, `sets["${name}"].${checked.error.message}`, path, checked.error.details);
    }
    entry.experiments = checked.value;
  }
  const problem = consistencyProblem(lock);
  if (problem) throw invalid(file, problem.message, problem.path);
  return lock;
}

export function parseLockfile(text: string, file = LOCKFILE_NAME): Lockfile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw invalid(file, `not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return validateLockfile(raw, file);
}

const sortedRecord = (r: Record<string, string>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort(byCodeUnit)) out[k] = r[k] as string;
  return out;
};

/** A JSON value with every object's keys sorted by code unit (arrays keep their order). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort(byCodeUnit)) out[k] = canonical((value as Record<string, unknown>)[k]);
  return out;
}

/** A set's experiments as the lock spells them: by id, keys sorted; undefined when there are none. */
export function lockedExperiments(list: readonly Experiment[] | undefined): Experiment[] | undefined {
  if (!list || list.length === 0) return undefined;
  return [...list].sort((a, b) => byCodeUnit(a.id, b.id)).map((e) => canonical(e) as Experiment);
}

/** The one spelling of a lock: fixed key order, everything sorted, two-space indent, a trailing newline. */
export function serializeLockfile(lock: Lockfile): string {
  const sets: Record<string, LockedSet> = {};
  for (const name of Object.keys(lock.sets).sort(byCodeUnit)) {
    const e = lock.sets[name] as LockedSet;
    sets[name] = {
      version: e.version,
      integrity: e.integrity,
      ranges: [...new Set(e.ranges)].sort(byCodeUnit),
      dependencies: sortedRecord(e.dependencies),
    };
    const experiments = lockedExperiments(e.experiments);
    if (experiments) (sets[name] as LockedSet).experiments = experiments;
    if (e.variantVersions && Object.keys(e.variantVersions).length > 0)
      (sets[name] as LockedSet).variantVersions = sortedRecord(e.variantVersions);
  }
  const out: Lockfile = {
    lockfileVersion: LOCKFILE_VERSION,
    dependencies: sortedRecord(lock.dependencies),
    sets,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/**
 * Why a lock does not answer a manifest any more (a dependency added, removed or given another range), or null
 * when it does: then `anvil pull` keeps it as it is and `--frozen` passes, without asking the registry.
 */
export function lockMismatch(lock: Lockfile, manifest: ConsumerManifest): string | null {
  const wanted = manifest.dependencies;
  for (const [name, range] of Object.entries(wanted).sort(([a], [b]) => byCodeUnit(a, b))) {
    const had = lock.dependencies[name];
    if (had === undefined) return `anvil.json depends on ${name} ${range}, which the lock file does not have`;
    if (had !== range) return `anvil.json wants ${name} ${range}, the lock file was written for ${had}`;
  }
  for (const name of Object.keys(lock.dependencies).sort(byCodeUnit))
    if (!Object.prototype.hasOwnProperty.call(wanted, name))
      return `the lock file still has ${name}, which anvil.json no longer depends on`;
  return null;
}
