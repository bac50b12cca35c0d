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

/**
 * Where a version stands with the sync server: `local` (its project is not synced), `pending` (saved here, not
 * accepted by the server yet), `accepted`, `clash` (someone else's version took this number on the server
 * first: choose another, `clashWith` says whose), `replaced` (after such a clash, saved again under the number
 * `replacedBy`; the row stays, immutable), `team` (saved by someone else, pulled from the server).
 */
export const VersionSyncState = z.enum(['local', 'pending', 'accepted', 'clash', 'replaced', 'team']);
export type VersionSyncState = z.infer<typeof VersionSyncState>;

export const VersionSync = z
  .object({
    state: VersionSyncState,
    clashWith: z.object({ author: z.string(), createdAt: z.string() }).strict().optional(),
    replacedBy: z.string().optional(),
    /** Why the server has not accepted a pending version yet (it stays pending and is proposed again). */
    lastError: z.string().optional(),
  })
  .strict();
export type VersionSync = z.infer<typeof VersionSync>;

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
    /** Set by the store where sync applies (absent on versions that never met a server, as before sync). */
    sync: VersionSync.optional(),
  })
  .strict();
export type VersionInfo = z.infer<typeof VersionInfo>;
