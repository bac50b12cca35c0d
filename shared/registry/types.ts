import type { ChangeClass } from '../domain/version';
import type { ChatItem } from '../domain/prompt';
import type { ModelSettings } from '../domain/model-settings';
import type { Parameter } from '../domain/parameter';
import type { Experiment, ExperimentStatus } from '../experiments/types';

/**
 * The registry's words, shared by the server (`sync-server/registry/`), the studio (`main/registry/`) and the
 * SDK (`client/`). A **package** is a published prompt set, named `@project/set` by the names the project and
 * the set had when its first version was published; a **bundle** is one published version of it, one canonical
 * JSON document whose exact bytes carry an `sha512-` integrity string (SRI form).
 */

/** The bundle format's identifier; a reader refuses any other. */
export const BUNDLE_FORMAT = 'anvil-bundle@1';

/** Limits on what a bundle may hold, checked at publish (answered 413/422) and again at pull. */
export const BUNDLE_LIMITS = {
  /** Bytes of the whole bundle document. */
  maxBundleBytes: 8 * 1024 * 1024,
  /** Bytes of the manifest alone (serialised). */
  maxManifestBytes: 4 * 1024 * 1024,
  maxPrompts: 1000,
  maxDependencies: 100,
} as const;

/** One prompt as the manifest describes it; its templates are in `entries[entry]`. */
export interface BundlePrompt {
  id: string;
  name: string;
  kind: 'text' | 'chat';
  description: string;
  /** The parameters as the author declared them (types are a JSON Schema subset). */
  parameters: Parameter[];
  /** The same parameters as one JSON Schema object (`{ type: 'object', properties, required }`), for other languages. */
  schema: Record<string, unknown>;
  model: ModelSettings | null;
  metadata: Record<string, string>;
  /** Key of this prompt's templates in `BundleDocument.entries` (validated: see `entryNameProblem`). */
  entry: string;
}

export interface BundleManifest {
  /** `@project/set` */
  name: string;
  version: string;
  project: { id: string; name: string };
  set: { id: string; name: string; description: string };
  /** `@project/set` → semver range, as npm writes them. */
  dependencies: Record<string, string>;
  /** Who saved the version, and when (ISO): part of the content, so the same version gives the same bytes. */
  author: string;
  createdAt: string;
  changelog: string;
  changeClass: ChangeClass;
  /** The author's reason for a breaking change under a minor/patch number, recorded at save; shown to reviewers. */
  override: string | null;
  /** `sha256-…` of the frozen set content the studio saved (links the bundle to its version). */
  contentHash: string;
  prompts: BundlePrompt[];
}

export type BundleEntry = { kind: 'text'; template: string } | { kind: 'chat'; messages: ChatItem[] };

/** The whole bundle: serialised with `canonicalJson` (sorted keys, no whitespace), UTF-8. */
export interface BundleDocument {
  format: typeof BUNDLE_FORMAT;
  manifest: BundleManifest;
  entries: Record<string, BundleEntry>;
}

/** A bundle as bytes, with what was read from them. */
export interface Bundle {
  bytes: Uint8Array;
  /** `sha512-<base64>` over `bytes` (Subresource Integrity form, as npm's `dist.integrity`). */
  integrity: string;
  document: BundleDocument;
}

/** What publishing found wrong; each names the problem and where (prompt, line, column when in a template). */
export interface PublishProblem {
  code:
    | 'invalid_version'
    | 'version_exists'
    | 'wrong_bump'
    | 'template_error'
    | 'missing_dependency'
    | 'undeclared_dependency'
    | 'unsatisfiable_dependency'
    | 'invalid_entry_name'
    | 'too_large'
    | 'invalid_bundle';
  message: string;
  prompt?: string;
  line?: number;
  column?: number;
  details?: unknown;
}

/** One version in a package's metadata. */
export interface PublishedVersion {
  version: string;
  integrity: string;
  /** Bytes of the bundle. */
  size: number;
  publishedAt: string;
  /** Account name of whoever published it (or approved its review). */
  publishedBy: string;
  author: string;
  changelog: string;
  changeClass: ChangeClass;
  override: string | null;
  dependencies: Record<string, string>;
  /** Prompt names, for search and listings without the bundle. */
  prompts: string[];
  /** Set when deprecated: the message consumers are shown. */
  deprecated: string | null;
}

/**
 * A package's metadata document (npm's "packument"): served with a strong ETag and cached bytes, so
 * concurrent requests never re-serialise it.
 */
export interface PackageMetadata {
  name: string;
  projectId: string;
  setId: string;
  description: string;
  /** `latest` always (once anything is published), others as set. */
  distTags: Record<string, string>;
  /** version → its record, in semver order. */
  versions: Record<string, PublishedVersion>;
  /** version → publish time (ISO), plus `created` and `modified`, as npm's `time`. */
  time: Record<string, string>;
  /**
   * The package's A/B tests as the SDK applies them: the current experiment of each prompt (the running one, else
   * the one stopped last, whose winner is still served), each at its current definition version, ordered by id.
   * Absent when the package has none (so metadata without experiments is byte-identical to before they existed).
   * A list that passes `checkExperimentList` (unique ids, one experiment per prompt).
   */
  experiments?: Experiment[];
}

/** Project edit modes: open (publish directly), review (publishing opens a review request), locked. */
export type EditMode = 'open' | 'review' | 'locked';
export const EDIT_MODES: readonly EditMode[] = ['open', 'review', 'locked'];

export type ReviewState = 'open' | 'changes_requested' | 'approved' | 'rejected' | 'withdrawn';

export interface ReviewComment {
  id: string;
  reviewId: string;
  authorId: string;
  authorName: string;
  body: string;
  createdAt: string;
  /** Set for a comment on a line of a prompt's diff: the prompt, the side and its 1-based line. */
  anchor: { prompt: string; side: 'before' | 'after'; line: number } | null;
}

export interface ReviewRequest {
  id: string;
  projectId: string;
  setId: string;
  /** `@project/set` it would publish as. */
  name: string;
  version: string;
  /** The team version (server-side id) it would publish. */
  versionId: string;
  authorId: string;
  authorName: string;
  state: ReviewState;
  createdAt: string;
  updatedAt: string;
  /** The published version it is compared with (the previous one on its line), or null for a first publish. */
  baseVersion: string | null;
  /** What the publish checks found (wrong bump overridden, etc.) when it was requested: shown to reviewers. */
  notes: PublishProblem[];
  override: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  /** The reviewer's word with a decision. */
  decisionNote: string | null;
  comments: ReviewComment[];
}

/** Events of the update feed, in `id` order; `id` is the resume cursor (SSE `Last-Event-ID`). */
export type FeedEvent =
  | (FeedBase & { type: 'publish'; version: string; integrity: string; latest: boolean })
  | (FeedBase & { type: 'dist-tag'; tag: string; version: string | null })
  | (FeedBase & { type: 'deprecate'; version: string; message: string | null })
  /** An experiment of the package was created, changed or stopped: its metadata's `experiments` changed. */
  | (FeedBase & { type: 'experiment'; experimentId: string; status: ExperimentStatus; definitionVersion: number });

interface FeedBase {
  id: number;
  /** `@project/set` */
  name: string;
  projectId: string;
  setId: string;
  at: string;
}
