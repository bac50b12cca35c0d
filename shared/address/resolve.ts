import semver from 'semver';
import type { Selector } from './types';

/** Tag name → exact version, as the registry publishes them (`{ latest: '2.1.0', beta: '3.0.0-beta.2' }`). */
export type TagMap = Readonly<Record<string, string>>;

/**
 * Whether `version` is one a selector accepts. Ranges follow node-semver exactly (its default options): a
 * prerelease such as `1.3.0-beta.1` satisfies a range only if a comparator of the range has a prerelease on
 * the same major.minor.patch. `none` accepts every version: which one is used is `pickVersion`'s business.
 */
export function versionSatisfies(version: string, selector: Selector, tags: TagMap = {}): boolean {
  if (semver.valid(version) !== version) return false;
  switch (selector.kind) {
    case 'none':
      return true;
    case 'exact':
      return semver.eq(version, selector.version);
    case 'range':
      return semver.satisfies(version, selector.range);
    case 'tag': {
      const tagged = tags[selector.tag];
      return tagged !== undefined && semver.valid(tagged) === tagged && semver.eq(version, tagged);
    }
  }
}

export interface PickOptions {
  /** Tags of the set, for `tag` selectors and for `latest`. */
  tags?: TagMap;
  /** The version the lock file pins for this set, used when the address has no selector. */
  locked?: string | null;
}

/**
 * The best available version for a selector, or null when none fits.
 * - exact: that version, if it is available;
 * - range: the highest satisfying version (`semver.maxSatisfying`, so prereleases as node-semver treats them);
 * - tag: the tagged version, if it is available;
 * - none: the locked version if it is available, else the `latest` tag, else the highest stable version
 *   (prereleases are never picked implicitly, as npm does not pick them for `*`).
 */
export function pickVersion(
  available: readonly string[],
  selector: Selector,
  options: PickOptions = {},
): string | null {
  const versions = available.filter((v) => semver.valid(v) === v);
  const has = (v: string | null | undefined): v is string => v != null && versions.some((x) => semver.eq(x, v));
  switch (selector.kind) {
    case 'exact':
      return has(selector.version) ? selector.version : null;
    case 'range':
      return semver.maxSatisfying(versions, selector.range);
    case 'tag': {
      const tagged = options.tags?.[selector.tag];
      return has(tagged) ? tagged : null;
    }
    case 'none': {
      if (has(options.locked)) return options.locked;
      const latest = options.tags?.['latest'];
      if (has(latest)) return latest;
      return semver.maxSatisfying(versions, '*');
    }
  }
}
