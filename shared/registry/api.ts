import type { PromptSetContent } from '../domain/prompt-set';
import type { Experiment, ExperimentInput } from '../experiments/types';
import type {
  EditMode,
  FeedEvent,
  PackageMetadata,
  PublishProblem,
  PublishedVersion,
  ReviewComment,
  ReviewRequest,
  ReviewState,
} from './types';

/**
 * The registry's HTTP API on the sync server, beside `shared/sync/api.ts` (same bearer tokens, same error shape
 * `{ error: { code, message, details? } }`, same rate limits per token). Paths are relative to the server's base.
 * A package name `@project/set` is written in paths as is (`/api/registry/packages/@acme/support`); private
 * projects (all, for now) need a token with at least the viewer role on the project.
 *
 *   GET  /api/openapi.json                                   → the OpenAPI 3.1 document of this API
 *   POST /api/registry/publish  PublishRequest | PublishContentRequest → 201 PublishResult (published)
 *                                                             | 202 PublishResult (review opened)
 *                                                             | 409 version_published / version_taken
 *                                                             | 422 publish_refused (details.problems)
 *                                                             | 403 (viewer, locked project)
 *   GET  /api/registry/packages/@p/s                         → PackageMetadata  (ETag; If-None-Match → 304)
 *   GET  /api/registry/packages/@p/s/-/<version>             → the bundle's exact bytes (application/json;
 *                                                               headers `x-anvil-integrity`, ETag = integrity)
 *   PUT  /api/registry/packages/@p/s/dist-tags/<tag>  { version } → { distTags }
 *   DELETE /api/registry/packages/@p/s/dist-tags/<tag>            → { distTags }   (`latest` cannot be removed)
 *   POST /api/registry/packages/@p/s/deprecate  { version, message | null } → PublishedVersion
 *   GET  /api/registry/packages/@p/s/experiments             → { experiments: ExperimentRecord[] } (all, by id)
 *   PUT  /api/registry/packages/@p/s/experiments/<id>  ExperimentDefinition → 201 ExperimentRecord (created)
 *                                                             | 200 ExperimentRecord (changed, or unchanged)
 *                                                             | 400 invalid_experiment (details.issues, by field)
 *                                                             | 409 experiment_conflict (another running on
 *                                                               the prompt, or a stale `version`)
 *   POST /api/registry/packages/@p/s/experiments/<id>/stop  { winner } → ExperimentRecord
 *   GET  /api/registry/search?q=<text>&project=<name>&limit=<n> → { results: SearchResult[] }
 *   GET  /api/registry/projects/<projectName>/packages       → { packages: PackageSummary[] }
 *   GET  /api/registry/feed?project=<name>&name=@p/s&after=<id>  → text/event-stream of FeedEvent
 *                                                               (`id:` lines; `Last-Event-ID` resumes)
 *   GET  /api/registry/events?after=<id>&project=&name=&limit= → { events: FeedEvent[], next } (the same, polled)
 *   GET  /api/projects/:projectId/edit-mode                  → { editMode }
 *   PUT  /api/projects/:projectId/edit-mode    { editMode }  → { editMode }   (project admins)
 *   GET  /api/projects/:projectId/published?setId=           → { packages: PackageSummary[] } (by set id)
 *   GET  /api/reviews?projectId=&state=&mine=1               → { reviews: ReviewSummary[] }
 *   GET  /api/reviews/:id                                    → ReviewDetail
 *   POST /api/reviews/:id/comments            NewComment     → ReviewComment
 *   POST /api/reviews/:id/decision            ReviewDecision → DecisionResult (the review; what an approval published)
 */
export const REGISTRY_PATHS = {
  openapi: '/api/openapi.json',
  publish: '/api/registry/publish',
  metadata: (name: string) => `/api/registry/packages/${packagePath(name)}`,
  bundle: (name: string, version: string) =>
    `/api/registry/packages/${packagePath(name)}/-/${encodeURIComponent(version)}`,
  distTag: (name: string, tag: string) =>
    `/api/registry/packages/${packagePath(name)}/dist-tags/${encodeURIComponent(tag)}`,
  deprecate: (name: string) => `/api/registry/packages/${packagePath(name)}/deprecate`,
  experiments: (name: string) => `/api/registry/packages/${packagePath(name)}/experiments`,
  experiment: (name: string, id: string) =>
    `/api/registry/packages/${packagePath(name)}/experiments/${encodeURIComponent(id)}`,
  stopExperiment: (name: string, id: string) =>
    `/api/registry/packages/${packagePath(name)}/experiments/${encodeURIComponent(id)}/stop`,
  search: '/api/registry/search',
  projectPackages: (projectName: string) => `/api/registry/projects/${encodeURIComponent(projectName)}/packages`,
  feed: '/api/registry/feed',
  events: '/api/registry/events',
  editMode: (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/edit-mode`,
  published: (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/published`,
  reviews: '/api/reviews',
  review: (id: string) => `/api/reviews/${encodeURIComponent(id)}`,
  comments: (id: string) => `/api/reviews/${encodeURIComponent(id)}/comments`,
  decision: (id: string) => `/api/reviews/${encodeURIComponent(id)}/decision`,
} as const;

/** `@acme/support` → `@acme/support` with each part percent-encoded (names are plain already; this is a guard). */
function packagePath(name: string): string {
  const m = /^@([^/]+)\/([^/]+)$/.exec(name);
  if (!m) throw new Error(`"${name}" is not a package name of the form @project/set`);
  return `@${encodeURIComponent(m[1] as string)}/${encodeURIComponent(m[2] as string)}`;
}

/**
 * Publish the team version `version` of set `setId` (it must have been accepted by the server first: the studio's
 * version sync does that). The server builds the bundle itself from that immutable content, so the studio and
 * `anvil push` publish byte-identical bundles.
 */
export interface PublishRequest {
  projectId: string;
  setId: string;
  version: string;
}

/**
 * Publish a set's content sent inline (`anvil push DIR`: a folder of prompt files). The server records it as a
 * team version of set `content.id` (author: the caller), so every studio of the project pulls it into the set's
 * history, then publishes it exactly as a team version: same roles, edit modes (review mode opens a review),
 * checks and bundle. Checked before anything is stored: a refused push leaves no team version behind. The same
 * number with the same content again (a retry, or a version the studio saved already) publishes the stored one;
 * with different content it is `version_taken` (409). Unlike a studio's proposal, the set's document need not
 * exist on the server: the content is complete.
 */
export interface PublishContentRequest {
  projectId: string;
  /** A `PromptSetContent`; its `projectId` must be `projectId`. */
  content: PromptSetContent;
  version: string;
  changelog?: string;
  /** The reason for a breaking change under a minor/patch number (as the studio's override). */
  override?: string | null;
}

export type PublishResult =
  | { status: 'published'; name: string; version: string; integrity: string; latest: boolean; eventId: number }
  | { status: 'review'; review: ReviewRequest };

/** Body of a 422 `publish_refused`: every problem found, not just the first. */
export interface PublishRefusedDetails {
  problems: PublishProblem[];
}

export interface PackageSummary {
  name: string;
  projectId: string;
  setId: string;
  description: string;
  distTags: Record<string, string>;
  latest: PublishedVersion | null;
  versions: string[];
}

export interface SearchResult {
  name: string;
  version: string;
  description: string;
  /** Prompts of the latest version whose name or description matched (all when the package name matched). */
  prompts: string[];
  deprecated: string | null;
}

export interface ReviewSummary {
  id: string;
  projectId: string;
  setId: string;
  name: string;
  version: string;
  baseVersion: string | null;
  authorName: string;
  state: ReviewState;
  createdAt: string;
  updatedAt: string;
  comments: number;
}

/**
 * One review with what a reviewer compares: the frozen content of the requested version and of the published
 * base version (canonical JSON of `PromptSetContent`, as the studio stores versions), so the studio's comparison
 * view shows it unchanged.
 */
export interface ReviewDetail {
  review: ReviewRequest;
  content: string;
  baseContent: string | null;
  /** Whether the caller may decide (a project admin, not the author unless server admin). */
  canDecide: boolean;
  /** The requested version's changelog as saved (optional: the studio falls back to its own copy of the version). */
  changelog?: string;
}

export interface NewComment {
  body: string;
  anchor?: ReviewComment['anchor'];
}

export interface ReviewDecision {
  decision: 'approve' | 'reject' | 'request_changes';
  note?: string;
}

/** The decided review, with what an approval published beside it (null for reject / request changes). */
export type DecisionResult = ReviewRequest & { published: PublishResult | null };

/**
 * The body of `PUT …/experiments/<id>`: an experiment definition (`shared/experiments`), written as
 * `parseExperiment` reads it, except that `id` (the path's) and `version` may be left out. The server numbers
 * definitions: 1 when created, one more at each change. A `version` given must be that next number (else 409
 * `experiment_conflict`: someone changed it since it was read). The same definition again changes nothing.
 */
export type ExperimentDefinition = Omit<ExperimentInput, 'id' | 'version'> & { id?: string; version?: number };

/** Body of `POST …/experiments/<id>/stop`: the winning variant's key. */
export interface StopExperiment {
  winner: string;
}

/** One experiment of a package as the studio lists it: its current definition and who changed it when. */
export interface ExperimentRecord {
  /** `@project/set` */
  name: string;
  experiment: Experiment;
  /** Whether it is the one the package's metadata carries for its prompt (false: superseded by a later one). */
  current: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface EditModeBody {
  editMode: EditMode;
}

export type { FeedEvent, PackageMetadata };
