import semver from 'semver';
import { tryParseAddress } from '../../shared/address/parse';
import { pickVersion } from '../../shared/address/resolve';
import { selectorText } from '../../shared/address/selector';
import type { Selector } from '../../shared/address/types';
import type { Lockfile } from '../../shared/registry/lockfile';
import type { PackageMetadata } from '../../shared/registry/types';
import { AnvilSdkError } from './errors';

/** An address as the SDK uses it: the set, the prompt, the selector, and the key of its selection. */
export interface Request {
  address: string;
  /** `@project/set` */
  name: string;
  prompt: string;
  selector: Selector;
  /** The selection's cache key: the set, the selector's kind and its text. See `selectionKey`. */
  key: string;
}

/** What a selection resolved to. */
export interface Pick {
  version: string;
  integrity: string;
}

/**
 * The key a resolved selection is cached under. The selector's kind is part of it, so `@a/s@1.2.0` (a
 * version), `@a/s@1.2` (a range) and `@a/s@beta` (a tag) are three entries, and a tag named like a version
 * cannot collide with one: a known failure of prompt SDKs that key their cache by name and "version" text.
 */
export function selectionKey(name: string, selector: Selector): string {
  return `${name}\u0000${selector.kind}\u0000${selectorText(selector)}`;
}

/** Parses an address (`@project/set[@selector]/prompt`); throws `invalid_address` saying what is wrong. */
export function parseRequest(address: string): Request {
  const parsed = tryParseAddress(address);
  if (!parsed.ok) throw new AnvilSdkError({ ...parsed.error, address });
  const a = parsed.value;
  const name = `@${a.project}/${a.set}`;
  if (a.prompt === undefined)
    throw new AnvilSdkError({
      code: 'invalid_address',
      message: `"${address}" names the set ${name} but no prompt; write ${address}/<prompt>`,
      address,
    });
  return { address, name, prompt: a.prompt, selector: a.selector, key: selectionKey(name, a.selector) };
}

/**
 * Locked mode: only what the lock file pins. No selector, the pinned version itself, a range it satisfies, or
 * a tag the cached metadata maps to it resolve to the pin; anything else is an error saying what is locked.
 */
export function resolveLocked(req: Request, lock: Lockfile, tags: Readonly<Record<string, string>> | null): Pick {
  const entry = Object.prototype.hasOwnProperty.call(lock.sets, req.name) ? lock.sets[req.name] : undefined;
  if (!entry)
    throw new AnvilSdkError({
      code: 'not_in_lock',
      message: `${req.address}: ${req.name} is not in the lock file; add it to anvil.json and run \`anvil pull\``,
      address: req.address,
    });
  const pick = { version: entry.version, integrity: entry.integrity };
  const s = req.selector;
  const fits =
    s.kind === 'none' ||
    (s.kind === 'exact' && semver.eq(s.version, entry.version)) ||
    (s.kind === 'range' && semver.satisfies(entry.version, s.range)) ||
    (s.kind === 'tag' && tags !== null && tags[s.tag] === entry.version);
  if (fits) return pick;
  const asked =
    s.kind === 'tag' ? `the tag ${s.tag}${tags?.[s.tag] ? ` (now ${tags[s.tag]})` : ''}` : `${selectorText(s)}`;
  throw new AnvilSdkError({
    code: 'not_locked',
    message: `${req.address}: the lock file pins ${req.name}@${entry.version}, which is not ${asked}; in locked mode only locked versions are served (run \`anvil pull\` after changing anvil.json, or use live mode)`,
    address: req.address,
  });
}

/**
 * Live mode: the selector against the package's metadata. No selector means the range anvil.json declares for
 * the set (else the `latest` tag). Ranges and prereleases as node-semver reads them.
 */
export function resolveLive(req: Request, metadata: PackageMetadata, declared: string | undefined): Pick {
  const versions = Object.keys(metadata.versions);
  const selector: Selector =
    req.selector.kind === 'none' && declared !== undefined ? { kind: 'range', range: declared } : req.selector;
  const version = pickVersion(versions, selector, { tags: metadata.distTags });
  if (version === null) {
    const published = semver.sort(versions.filter((v) => semver.valid(v) === v)).join(', ') || 'none';
    const code =
      selector.kind === 'tag' ? 'unknown_tag' : selector.kind === 'exact' ? 'unknown_version' : 'no_matching_version';
    const what =
      selector.kind === 'tag'
        ? `has no tag "${selector.tag}" (tags: ${Object.keys(metadata.distTags).join(', ') || 'none'})`
        : selector.kind === 'exact'
          ? `has no version ${selector.version} (published: ${published})`
          : `has no version in ${selectorText(selector) || '*'} (published: ${published})`;
    throw new AnvilSdkError({ code, message: `${req.address}: ${req.name} ${what}`, address: req.address });
  }
  const record = metadata.versions[version];
  if (!record)
    throw new AnvilSdkError({
      code: 'unknown_version',
      message: `${req.name} has no version ${version}`,
      address: req.address,
    });
  return { version, integrity: record.integrity };
}

/** The highest published version of `name` in `range` (a bundle's dependency), from its metadata. */
export function pickDependency(metadata: PackageMetadata, range: string, from: string): Pick {
  const version = semver.maxSatisfying(Object.keys(metadata.versions), range);
  const record = version === null ? undefined : metadata.versions[version];
  if (!record)
    throw new AnvilSdkError({
      code: 'no_matching_version',
      message: `${from} depends on ${metadata.name} ${range}, and no published version satisfies it`,
    });
  return { version: record.version, integrity: record.integrity };
}
