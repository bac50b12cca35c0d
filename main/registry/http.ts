import { AnvilError } from '../../shared/domain';
import type {
  DecisionResult,
  EditModeBody,
  ExperimentDefinition,
  ExperimentRecord,
  NewComment,
  PackageSummary,
  PublishRefusedDetails,
  PublishRequest,
  PublishResult,
  ReviewDecision,
  ReviewDetail,
  ReviewSummary,
} from '../../shared/registry/api';
import { REGISTRY_PATHS } from '../../shared/registry/api';
import type {
  EditMode,
  PackageMetadata,
  PublishedVersion,
  ReviewComment,
  ReviewRequest,
  ReviewState,
} from '../../shared/registry/types';
import type { JsonRequestOptions } from '../sync/json-request';
import { createJsonRequest, featureRefusal } from '../sync/json-request';
import type { ServerUrls } from '../sync/server-url';

/**
 * The studio's client of the registry's HTTP API (`shared/registry/api.ts`) on the sync server. Errors are
 * `AnvilError`s named like the sync client's for the connection (`sync_unreachable`, `sync_unauthorized`), and
 * with the server's own code otherwise (`publish_refused` with `details.problems`, `project_locked`,
 * `version_published`, `forbidden`, `unknown_review`…), so the UI can tell them apart; a server without the
 * registry answers `registry_unavailable`.
 */
export interface RegistryHttp {
  publish(request: PublishRequest): Promise<PublishResult>;
  /** Null when nothing is published under that name. */
  metadata(name: string): Promise<PackageMetadata | null>;
  published(projectId: string, setId?: string): Promise<PackageSummary[]>;
  setDistTag(name: string, tag: string, version: string): Promise<Record<string, string>>;
  removeDistTag(name: string, tag: string): Promise<Record<string, string>>;
  deprecate(name: string, version: string, message: string | null): Promise<PublishedVersion>;
  editMode(projectId: string): Promise<EditMode>;
  setEditMode(projectId: string, editMode: EditMode): Promise<EditMode>;
  reviews(query: { projectId?: string; state?: ReviewState; mine?: boolean }): Promise<ReviewSummary[]>;
  review(id: string): Promise<ReviewDetail>;
  comment(id: string, comment: NewComment): Promise<ReviewComment>;
  decide(id: string, decision: ReviewDecision): Promise<{ review: ReviewRequest; published: PublishResult | null }>;
  /** Every experiment of the package (current and superseded). */
  experiments(name: string): Promise<ExperimentRecord[]>;
  /** Creates an experiment or writes its next definition (the server numbers it). */
  putExperiment(name: string, id: string, definition: ExperimentDefinition): Promise<ExperimentRecord>;
  stopExperiment(name: string, id: string, winner: string): Promise<ExperimentRecord>;
}

export interface RegistryHttpOptions {
  urls: ServerUrls;
  token: string;
  /** Per request (default 15 s: an approval re-runs the publish checks). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function createRegistryHttp(options: RegistryHttpOptions): RegistryHttp {
  const base = options.urls.http;
  const request = createJsonRequest({
    base,
    token: options.token,
    timeoutMs: options.timeoutMs ?? 15_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    notJsonCode: 'registry_server_error',
    refusal: refusalOf(base),
  });

  return {
    publish: (r) => request<PublishResult>('POST', REGISTRY_PATHS.publish, r),
    async metadata(name) {
      try {
        return await request<PackageMetadata>('GET', REGISTRY_PATHS.metadata(name));
      } catch (err) {
        if (err instanceof AnvilError && err.code === 'unknown_package') return null;
        throw err;
      }
    },
    async published(projectId, setId) {
      const q = setId ? `?setId=${encodeURIComponent(setId)}` : '';
      return (await request<{ packages: PackageSummary[] }>('GET', `${REGISTRY_PATHS.published(projectId)}${q}`))
        .packages;
    },
    async setDistTag(name, tag, version) {
      return (
        await request<{ distTags: Record<string, string> }>('PUT', REGISTRY_PATHS.distTag(name, tag), { version })
      ).distTags;
    },
    async removeDistTag(name, tag) {
      return (await request<{ distTags: Record<string, string> }>('DELETE', REGISTRY_PATHS.distTag(name, tag)))
        .distTags;
    },
    deprecate: (name, version, message) =>
      request<PublishedVersion>('POST', REGISTRY_PATHS.deprecate(name), { version, message }),
    async editMode(projectId) {
      return (await request<EditModeBody>('GET', REGISTRY_PATHS.editMode(projectId))).editMode;
    },
    async setEditMode(projectId, editMode) {
      return (
        await request<EditModeBody>('PUT', REGISTRY_PATHS.editMode(projectId), { editMode } satisfies EditModeBody)
      ).editMode;
    },
    async reviews(query) {
      const q = new URLSearchParams();
      if (query.projectId) q.set('projectId', query.projectId);
      if (query.state) q.set('state', query.state);
      if (query.mine) q.set('mine', '1');
      const s = q.toString();
      return (await request<{ reviews: ReviewSummary[] }>('GET', `${REGISTRY_PATHS.reviews}${s ? `?${s}` : ''}`))
        .reviews;
    },
    review: (id) => request<ReviewDetail>('GET', REGISTRY_PATHS.review(id)),
    comment: (id, c) => request<ReviewComment>('POST', REGISTRY_PATHS.comments(id), c),
    async decide(id, decision) {
      const { published, ...review } = await request<DecisionResult>('POST', REGISTRY_PATHS.decision(id), decision);
      return { review, published: published ?? null };
    },
    async experiments(name) {
      return (await request<{ experiments: ExperimentRecord[] }>('GET', REGISTRY_PATHS.experiments(name))).experiments;
    },
    putExperiment: (name, id, definition) =>
      request<ExperimentRecord>('PUT', REGISTRY_PATHS.experiment(name, id), definition),
    stopExperiment: (name, id, winner) =>
      request<ExperimentRecord>('POST', REGISTRY_PATHS.stopExperiment(name, id), { winner }),
  };
}

/** Every problem of a refused publish kept in `details.problems`; other refusals as every team-server feature reads them. */
function refusalOf(base: string): JsonRequestOptions['refusal'] {
  const common = featureRefusal({
    base,
    unavailableCode: 'registry_unavailable',
    missing: 'this sync server has no team registry (update it).',
    fallbackCode: 'registry_server_error',
  });
  return (status, error, method, path) => {
    if (error?.code !== 'publish_refused') return common(status, error, method, path);
    const problems = (error.details as Partial<PublishRefusedDetails> | undefined)?.problems ?? [];
    return new AnvilError({
      code: 'publish_refused',
      message: error.message ?? `Publishing was refused (${problems.length} problems).`,
      details: { problems },
    });
  };
}
