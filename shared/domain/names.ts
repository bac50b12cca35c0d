import { z } from 'zod';
import semver from 'semver';

/** npm-style name of a project, set, prompt or tag: lowercase `a-z0-9._-`, 1..64 chars, no leading `.`/`_`/`-`. */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
export const NAME_MAX = 64;

/** Why a name is invalid, in words a person understands, or null when it is fine. */
export function nameProblem(name: string): string | null {
  if (name.length === 0) return 'a name cannot be empty';
  if (name.length > NAME_MAX)
    return `"${name.slice(0, 20)}…" is ${name.length} characters long; at most ${NAME_MAX} are allowed`;
  if (name !== name.toLowerCase()) return `"${name}" has capital letters; names are lowercase`;
  if (!NAME_PATTERN.test(name)) {
    const bad = [...name].find((c) => !/[a-z0-9._-]/.test(c));
    if (bad !== undefined) return `"${name}" contains "${bad}"; names use only a-z, 0-9, ".", "_" and "-"`;
    return `"${name}" must start with a letter or a digit`;
  }
  return null;
}

// Text a person meant as a version number (`01.0.0`, `1.2.3.4`, `0.`): semver refuses it, but taking it as a
// tag would silently give a misspelt version another meaning, and an address could never reach such a tag.
const VERSION_LIKE = /^v?\d+(\.|$)/;

/** A tag (`latest`, `beta`) is a name that can never be mistaken for a version or a range. */
export function tagProblem(tag: string): string | null {
  const problem = nameProblem(tag);
  if (problem) return problem;
  if (semver.validRange(tag) !== null) return `"${tag}" reads as a version range; a tag must not`;
  if (VERSION_LIKE.test(tag)) return `"${tag}" reads like a version number; a tag must not`;
  return null;
}

export const Name = z.string().superRefine((value, ctx) => {
  const problem = nameProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const Tag = z.string().superRefine((value, ctx) => {
  const problem = tagProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Stable ids: names can change and clash, ids never do. */
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'ids use only letters, digits, "_" and "-"');
export type Id = z.infer<typeof Id>;

export function newId(): string {
  return crypto.randomUUID();
}
