import type {
  ExperimentRecord,
  NewComment,
  PackageSummary,
  PublishContentRequest,
  PublishRequest,
  PublishResult,
  ReviewDecision,
  ReviewDetail,
  ReviewSummary,
  SearchResult,
} from '../../shared/registry/api';
import type {
  EditMode,
  FeedEvent,
  PublishedVersion,
  ReviewComment,
  ReviewRequest,
  ReviewState,
} from '../../shared/registry/types';
import type { ApiCaller } from '../api/backend';

/**
 * The team registry on the sync server: publishing (directly or through a review), immutable bundles, dist-tags,
 * deprecations, edit modes, reviews and the update feed. The HTTP layer (`registry/http.ts`) owns the wire; this
 * owns the meaning and every check of who may do what (roles from the accounts store). Refusals are thrown as
 * `AnvilError`s whose codes `statusOfCode` maps to HTTP statuses:
 *
 * - `unknown_project`, `unknown_package`, `unknown_version`, `unknown_review`, `unknown_team_version`,
 *   `unknown_experiment` → 404
 * - `forbidden` (no role / not admin), `read_only` (viewer), `project_locked` → 403
 * - `version_published` (that package and version exist, whatever the bytes), `name_taken`, `version_taken`
 *   (an inline publish whose number another team version holds with other content) → 409
 * - `publish_refused` (details: `PublishRefusedDetails`, every problem) → 422
 * - `too_large` → 413
 * - `integrity_mismatch` (the stored bytes no longer match their integrity: never served) → 500
 * - `invalid_request`, `invalid_experiment` (its message and `details.issues` name the fields) → 400
 * - `experiment_conflict` (another experiment runs on the prompt; a stale definition `version`) → 409
 */
export interface Registry {
  /** A team version the server accepted, or content sent inline (recorded as a team version, then published). */
  publish(caller: ApiCaller, request: PublishRequest | PublishContentRequest): Promise<PublishResult>;

  /** The package's metadata document as cached bytes with a strong ETag (`"sha256-…"` of the bytes). */
  metadata(caller: ApiCaller, name: string): { bytes: Uint8Array; etag: string };
  /** A bundle's exact bytes, verified against its integrity (re-verified whenever the file on disk changed). */
  bundle(caller: ApiCaller, name: string, version: string): { bytes: Uint8Array; integrity: string };
  /** Sets (`version` given) or removes (`null`) a dist-tag; `latest` can be moved but not removed. Writers only. */
  setDistTag(caller: ApiCaller, name: string, tag: string, version: string | null): Record<string, string>;
  /** Deprecates a version with a message (null un-deprecates). Writers only. */
  deprecate(caller: ApiCaller, name: string, version: string, message: string | null): PublishedVersion;
  /** Every experiment of the package (current and superseded), by id. Any role. */
  experiments(caller: ApiCaller, name: string): ExperimentRecord[];
  /**
   * Creates or changes an experiment from its definition (`ExperimentDefinition`: the experiment with `id` and
   * `version` optional); the server numbers definition versions. Writers; not in a locked project. Each change
   * is a new immutable definition version, a feed event `experiment` and new metadata; the same definition again
   * changes nothing (`changed: false`).
   */
  putExperiment(
    caller: ApiCaller,
    name: string,
    id: string,
    definition: unknown,
  ): { record: ExperimentRecord; created: boolean; changed: boolean };
  /** Stops an experiment with its winning variant (a new definition version, as `putExperiment`). */
  stopExperiment(caller: ApiCaller, name: string, id: string, winner: string): ExperimentRecord;
  search(caller: ApiCaller, query: { q: string; project?: string; limit?: number }): SearchResult[];
  /** Packages of the project named `projectName`. */
  projectPackages(caller: ApiCaller, projectName: string): PackageSummary[];
  /** Packages of a project by its id, optionally only the set `setId` (the studio's view). */
  published(caller: ApiCaller, projectId: string, setId?: string): PackageSummary[];

  /** Events after `after`, of projects the caller can read, filtered by project name and/or package name. */
  events(
    caller: ApiCaller,
    query: { after: number; project?: string; name?: string; limit?: number },
  ): { events: FeedEvent[]; next: number };
  /** Every new event, in order, unfiltered: the feed filters per subscriber with `canSee`. */
  subscribe(listener: (event: FeedEvent) => void): () => void;
  /** Whether `caller` may read the project (for the feed's per-event filter; cheap, no audit). */
  canSee(caller: ApiCaller, projectId: string): boolean;

  editMode(caller: ApiCaller, projectId: string): EditMode;
  /** Project admins only; audited. */
  setEditMode(caller: ApiCaller, projectId: string, mode: EditMode): EditMode;

  reviews(caller: ApiCaller, query: { projectId?: string; state?: ReviewState; mine?: boolean }): ReviewSummary[];
  review(caller: ApiCaller, id: string): ReviewDetail;
  comment(caller: ApiCaller, id: string, comment: NewComment): ReviewComment;
  /** Approve (re-checks and publishes), reject, or request changes. Project admins; not the author (unless server admin). */
  decide(
    caller: ApiCaller,
    id: string,
    decision: ReviewDecision,
  ): Promise<{ review: ReviewRequest; published: PublishResult | null }>;

  close(): void;
}
