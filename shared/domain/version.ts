import { z } from 'zod';
import semver from 'semver';
import { Id } from './names';

/** A strict semver number: `1.2` and `01.0.0` are refused, as npm refuses them. */
export const SemverNumber = z.string().superRefine((value, ctx) => {
  if (semver.valid(value) !== value)
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a semantic version (major.minor.patch)` });
});

export const ChangeClass = z.enum(['major', 'minor', 'patch', 'none']);
export type ChangeClass = z.infer<typeof ChangeClass>;

/** The record of a saved version; its content lives beside it, addressed by `contentHash`. */
export const VersionInfo = z
  .object({
    id: Id,
    setId: Id,
    version: SemverNumber,
    changelog: z.string().max(20_000),
    author: z.string().min(1).max(128),
    createdAt: z.string().datetime(),
    contentHash: z.string().regex(/^sha256-[0-9a-f]{64}$/),
    changeClass: ChangeClass,
    /** Set when the author published a breaking change under a minor/patch number on purpose. */
    override: z.string().max(2000).nullable().default(null),
  })
  .strict();
export type VersionInfo = z.infer<typeof VersionInfo>;
