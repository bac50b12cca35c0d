import semver from 'semver';
import { AnvilError, type AnvilErrorInfo } from '../domain/result';
import type { ChangeClass } from '../domain/version';

/**
 * The first saved version of a set is 1.0.0: a version exists to be consumed, and npm's own guidance is that
 * software people depend on starts at 1.0.0. Authors who want 0.x can propose 0.1.0 themselves; from then on
 * the 0.x rules apply.
 */
export const FIRST_VERSION = '1.0.0';

/**
 * The bump a change needs from `last`. In 0.x, as npm's caret reads it (`^0.3.1` = `>=0.3.1 <0.4.0`), the minor
 * number is the breaking one: a major change bumps the minor, a minor or patch change bumps the patch.
 * Returns null for `none` after a first version: there is nothing to save.
 */
export function suggestNextVersion(lastVersion: string | null, changeClass: ChangeClass): string | null {
  if (lastVersion === null) return FIRST_VERSION;
  if (semver.valid(lastVersion) !== lastVersion)
    throw new AnvilError({ code: 'invalid_version', message: whyInvalid(lastVersion), details: { lastVersion } });
  if (changeClass === 'none') return null;
  const zero = semver.major(lastVersion) === 0;
  const bump = zero ? (changeClass === 'major' ? 'minor' : 'patch') : changeClass;
  return semver.inc(lastVersion, bump);
}

export interface ProposedVersion {
  proposed: string;
  /** Every version of the set saved so far. */
  existing: readonly string[];
  /** The class of the change from the version the draft started from (`classifyChange`). */
  changeClass: ChangeClass;
  /** Why a breaking change goes out under a minor or patch number; only a non-blank reason counts. */
  override?: string | null;
}

export type VersionCheck = { ok: true; overridden: boolean } | { ok: false; error: AnvilErrorInfo };

const fail = (code: string, message: string, details?: unknown): VersionCheck => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});

/** Why `v` is not a strict semantic version, in words that say how to write it. */
export function whyInvalid(v: string): string {
  if (v.trim() !== v || v.length === 0)
    return `"${v}" is not a semantic version: write major.minor.patch, e.g. 1.4.0, without spaces`;
  if (/(^|[.-])0\d/.test(v))
    return `"${v}" is not a semantic version: numbers have no leading zeros (write 1.0.0, not 01.0.0)`;
  if (/^\d+(\.\d+)?$/.test(v))
    return `"${v}" is not a semantic version: it needs three numbers, major.minor.patch (e.g. ${v}${v.includes('.') ? '.0' : '.0.0'})`;
  if (v.includes('+'))
    return `"${v}" has build metadata ("+…"), which is not part of a version's identity; leave it out`;
  if (/^[vV=]/.test(v)) return `"${v}" is not a semantic version: write it without the leading "${v[0]}"`;
  return `"${v}" is not a semantic version: write major.minor.patch, e.g. 1.4.0`;
}

/** Does the step from `base` to `proposed` carry a breaking change? (0.x: a minor step does, as npm's caret.) */
function isBreakingStep(base: string, proposed: string): boolean {
  if (semver.major(proposed) > semver.major(base)) return true;
  return semver.major(base) === 0 && semver.major(proposed) === 0 && semver.minor(proposed) > semver.minor(base);
}

/**
 * Refuses a proposed version number that is not strict semver, already exists, is not greater than every
 * version on its major line (so 1.4.1 may follow 2.0.0 when it is above every 1.x), or hides a breaking change
 * under a minor or patch step from the release just below it, unless an override reason is given.
 */
export function checkProposedVersion(input: ProposedVersion): VersionCheck {
  const { proposed, changeClass } = input;
  if (semver.valid(proposed) !== proposed) return fail('invalid_version', whyInvalid(proposed), { proposed });
  const existing = input.existing.filter((v) => semver.valid(v) === v);
  if (existing.some((v) => semver.eq(v, proposed)))
    return fail('version_exists', `version ${proposed} already exists; a version, once saved, never changes`, {
      proposed,
    });

  const major = semver.major(proposed);
  const line = existing.filter((v) => semver.major(v) === major);
  const highest = semver.maxSatisfying(line, '*', { includePrerelease: true });
  if (highest !== null && !semver.gt(proposed, highest))
    return fail(
      'version_not_greater',
      `version ${proposed} is not greater than ${highest}, the highest ${major}.x version`,
      { proposed, highest },
    );

  // The step is measured from the highest release below: prereleases of a coming major (2.0.0-rc.1 after
  // 2.0.0-rc.0) may break each other, as the semver spec allows, while still counting as a major step from 1.x.
  const below = existing.filter((v) => semver.prerelease(v) === null && semver.lt(v, proposed));
  const base = below.length > 0 ? semver.rsort(below)[0] : undefined;
  if (changeClass === 'major' && base !== undefined && !isBreakingStep(base, proposed)) {
    if (input.override != null && input.override.trim().length > 0) return { ok: true, overridden: true };
    const needed = suggestNextVersion(base, 'major');
    return fail(
      'breaking_change_needs_major',
      `the change is breaking, but ${proposed} is not a major step from ${base}; use ${needed} or give a reason to override`,
      { proposed, base, suggested: needed },
    );
  }
  return { ok: true, overridden: false };
}
