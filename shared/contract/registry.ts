import { z } from 'zod';
import { EditMode, Id, SemverNumber } from '../domain';
import type { Role } from '../domain';
import type { PublishResult, ReviewDetail, ReviewSummary } from '../registry/api';
import type { PackageMetadata, PublishProblem, ReviewRequest, ReviewState } from '../registry/types';

/**
 * Operations of the team registry (issue 6), served by the main process's registry client (`main/registry/`)
 * against the sync server configured in the sync settings (same URL, same token). Every call needs sync set up;
 * without it they fail with `registry_unavailable`, except `registry:published`, which answers what it can
 * (`available: false` and why) because the history screen asks it whenever it is shown.
 */
const PackageName = z
  .string()
  .max(300)
  .regex(/^@[^/\s]+\/[^/\s]+$/, 'a package name is written @project/set');
const Tag = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z][A-Za-z0-9._-]*$/, 'a tag starts with a letter and holds letters, digits, ".", "_" and "-"');
const ReviewId = z.string().min(1).max(200);
const ReviewStates = z.enum(['open', 'changes_requested', 'approved', 'rejected', 'withdrawn']);

export const REGISTRY_ARGS = {
  /** Publish a saved version the server has accepted (open: published; review: a review request; locked: refused). */
  'registry:publish': z.object({ setId: Id, version: SemverNumber }).strict(),
  /** What of this set is published (versions, dist-tags, deprecations) and the project's edit mode. */
  'registry:published': z.object({ setId: Id }).strict(),
  /** Point a dist-tag at a version, or remove it (`version: null`; `latest` cannot be removed). */
  'registry:setDistTag': z.object({ name: PackageName, tag: Tag, version: SemverNumber.nullable() }).strict(),
  /** Deprecate a published version with a message consumers see (`null` takes the deprecation back). */
  'registry:deprecate': z
    .object({ name: PackageName, version: SemverNumber, message: z.string().trim().max(1000).nullable() })
    .strict(),
  /** The project's edit mode on the server and what this account may do about it. */
  'registry:editMode': z.object({ projectId: Id }).strict(),
  /** Project admins: change the edit mode (mirrored into the local project). */
  'registry:setEditMode': z.object({ projectId: Id, editMode: EditMode }).strict(),
  /** Review requests this account can see; `mine`: only its own. */
  'registry:reviews': z
    .object({ projectId: Id.optional(), state: ReviewStates.optional(), mine: z.boolean().optional() })
    .strict(),
  'registry:review': z.object({ id: ReviewId }).strict(),
  /** A comment on the request, or on a line of a prompt's diff (`anchor`). */
  'registry:comment': z
    .object({
      id: ReviewId,
      body: z.string().trim().min(1, 'write something').max(10_000),
      anchor: z
        .object({
          prompt: z.string().min(1).max(200),
          side: z.enum(['before', 'after']),
          line: z.number().int().min(1).max(1_000_000),
        })
        .strict()
        .optional(),
    })
    .strict(),
  /** Approve (publishes), reject, or request changes; project admins, not the author. */
  'registry:decide': z
    .object({
      id: ReviewId,
      decision: z.enum(['approve', 'reject', 'request_changes']),
      note: z.string().trim().max(10_000).optional(),
    })
    .strict(),
} as const;

export type RegistryOperationName = keyof typeof REGISTRY_ARGS;

/** What publishing came to: published, a review opened, or refused by the checks with every problem. */
export type PublishOutcome = PublishResult | { status: 'refused'; message: string; problems: PublishProblem[] };

/** A set's state in the registry, for the history screen. */
export type SetPublishedState =
  | { available: false; reason: string }
  | {
      available: true;
      projectId: string;
      editMode: EditMode;
      /** This account's role on the project, null when it has none. */
      role: Role | null;
      /** Null until the set's first version is published (its name is bound then). */
      package: PackageMetadata | null;
    };

export interface EditModeState {
  projectId: string;
  editMode: EditMode;
  role: Role | null;
  /** Project admins (and server admins) may change it. */
  canChange: boolean;
}

export interface DecisionResult {
  review: ReviewRequest;
  /** Set when an approval published the version. */
  published: PublishResult | null;
}

/**
 * One change to a review request this account opened, told once (remembered across restarts): a decision
 * (approved and published, rejected, changes requested) or new comments by someone else.
 */
export type RegistryNotice =
  | {
      kind: 'review-decided';
      reviewId: string;
      name: string;
      version: string;
      state: ReviewState;
      decidedBy: string | null;
      note: string | null;
    }
  | {
      kind: 'review-comment';
      reviewId: string;
      name: string;
      version: string;
      /** New comments by others since the last look. */
      count: number;
      by: string[];
    };

export type { ReviewDetail, ReviewSummary };
