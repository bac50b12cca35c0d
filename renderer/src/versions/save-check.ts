import semver from 'semver';
import type { PromptSetContent } from '../../../shared/domain';
import type { ChangeClassification, VersionCheck } from '../../../shared/semver';
import { FIRST_VERSION, checkProposedVersion, classifyChange, suggestNextVersion } from '../../../shared/semver';

/**
 * The save dialog's reasoning, kept out of React so it is tested on its own. It mirrors the store's
 * `saveVersion` exactly: the change is classified against the release just below the proposed number (the
 * empty set before the first version), and the number is checked by `checkProposedVersion`; so what the
 * dialog says in place is what the store will answer.
 */

const isRelease = (v: string): boolean => semver.valid(v) === v && semver.prerelease(v) === null;

/** The highest version saved so far (by semver, not by date: a hotfix 1.4.1 after 2.0.0 is not the latest). */
export function highestVersion(existing: readonly string[]): string | null {
  const valid = existing.filter((v) => semver.valid(v) === v);
  return valid.length > 0 ? (semver.rsort([...valid])[0] ?? null) : null;
}

/**
 * The version the store classifies a save of `proposed` against: the highest release below it. When
 * `proposed` is not a valid number yet (the user is typing), the highest release: the suggestion's base.
 */
export function baseVersionFor(proposed: string, existing: readonly string[]): string | null {
  const releases = existing.filter(isRelease);
  const below = semver.valid(proposed) === proposed ? releases.filter((v) => semver.lt(v, proposed)) : releases;
  return below.length > 0 ? (semver.rsort([...below])[0] ?? null) : null;
}

/** What the store compares a first version with: the same set, empty. */
export function emptyBase(draft: PromptSetContent): PromptSetContent {
  return { ...draft, description: '', dependencies: {}, prompts: [] };
}

/** The number to propose when the dialog opens, and why. */
export function suggestVersion(
  existing: readonly string[],
  change: ChangeClassification,
): { version: string; why: string } {
  const last = highestVersion(existing);
  if (last === null) return { version: FIRST_VERSION, why: 'the first version of this set' };
  const next = suggestNextVersion(last, change.changeClass);
  if (next === null) return { version: '', why: `nothing changed since ${last}` };
  return { version: next, why: `a ${change.changeClass} change since ${last}` };
}

export interface Proposal {
  proposed: string;
  existing: readonly string[];
  /** The content of `baseVersionFor(proposed, existing)`, or null when there is none (a first version). */
  baseContent: PromptSetContent | null;
  draft: PromptSetContent;
  /** The override reason when the user ticked the override box, else null. */
  override: string | null;
}

export interface ProposalState {
  change: ChangeClassification;
  check: VersionCheck;
  /** The number refused only because the change is breaking: the override box is what can accept it. */
  overridable: boolean;
}

export function evaluateProposal(p: Proposal): ProposalState {
  const change = classifyChange(p.baseContent ?? emptyBase(p.draft), p.draft);
  const args = { proposed: p.proposed, existing: p.existing, changeClass: change.changeClass };
  const check = checkProposedVersion(p.override === null ? args : { ...args, override: p.override });
  const bare = p.override === null ? check : checkProposedVersion(args);
  const overridable = !bare.ok && bare.error.code === 'breaking_change_needs_major';
  return { change, check, overridable };
}

/**
 * The number to offer after a clash: the part the author bumped (patch, minor or major, read from the
 * clashing number) bumped again above the highest number known here, the team's included.
 */
export function suggestRenumber(clashing: string, known: readonly string[]): string {
  const v = semver.parse(clashing);
  const part = !v || v.patch > 0 ? 'patch' : v.minor > 0 ? 'minor' : 'major';
  const highest = highestVersion([...known, clashing]) ?? clashing;
  return semver.inc(highest, part) ?? clashing;
}
