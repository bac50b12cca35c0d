import type { ProposedVersion, RegisterProject, RemoteProject, TeamVersion } from '../../shared/sync/api';

/** Who a bearer token is, as the API's backend sees it. */
export interface ApiCaller {
  accountId: string;
  name: string;
  serverAdmin: boolean;
}

/**
 * What the HTTP API (`api/http.ts`) asks of its host. The HTTP layer owns the wire: routing, bearer tokens,
 * JSON bodies and their size, rate limits, status codes. The backend owns the meaning: who a token is, which
 * projects exist and who may do what, where versions are kept. `anvil serve` builds one from its accounts and
 * team versions stores (`createAccountsApiBackend`); an embedding host passes its own to `mountSyncServer`.
 *
 * Inputs reach the backend shaped: `RegisterProject` has string fields (the backend judges the id and name),
 * a `ProposedVersion` is fully validated, `after`/`limit` are whole numbers with limit ≤ 1000. Refusals are thrown as `ApiError`s (or
 * `AnvilError`s, which answer 400 unless their code is one `statusOfCode` knows); anything else is a 500 whose
 * message is not shown to the caller.
 */
export interface SyncApiBackend {
  /** The caller a token belongs to; null (or a throw) answers 401. Must not throw for a malformed token. */
  authenticate(token: string): ApiCaller | null | Promise<ApiCaller | null>;
  /** Projects the caller can reach, with its role on each. */
  listProjects(caller: ApiCaller): RemoteProject[] | Promise<RemoteProject[]>;
  /** Registers a new project with the caller as its admin (`created: true`), or answers the caller's role on a known one. */
  registerProject(
    caller: ApiCaller,
    project: RegisterProject,
  ): { project: RemoteProject; created: boolean } | Promise<{ project: RemoteProject; created: boolean }>;
  /** Versions of the project accepted after `after` (seq), ascending, at most `limit`. */
  listVersions(
    caller: ApiCaller,
    projectId: string,
    after: number,
    limit: number,
  ): { versions: TeamVersion[]; next: number } | Promise<{ versions: TeamVersion[]; next: number }>;
  /**
   * Accepts a proposed version (`created: true`), or answers the stored one for the same id (`created: false`).
   * `version` was checked field by field (`parseProposedVersion`: semver, ids, sizes, content hash); whether
   * the caller may write to the project and the set is one of its own is the backend's to check.
   */
  proposeVersion(
    caller: ApiCaller,
    projectId: string,
    version: ProposedVersion,
  ): { version: TeamVersion; created: boolean } | Promise<{ version: TeamVersion; created: boolean }>;
}

/** A refusal with its HTTP status; answered as `{ error: { code, message, details? } }`. */
export class ApiError extends Error {
  /** Extra response headers (Retry-After, Allow). */
  headers: Record<string, string> | undefined;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Status for AnvilError codes the stores throw (anything else coded is bad input: 400). */
export function statusOfCode(code: string): number {
  switch (code) {
    case 'unauthorized':
      return 401;
    case 'forbidden':
    case 'read_only':
    case 'project_locked':
      return 403;
    case 'not_found':
    case 'unknown_project':
    case 'unknown_set':
    case 'unknown_package':
    case 'unknown_version':
    case 'unknown_review':
    case 'unknown_team_version':
    case 'unknown_experiment':
      return 404;
    case 'version_taken':
    case 'version_id_reused':
    case 'version_published':
    case 'name_taken':
    case 'review_closed':
    case 'experiment_conflict':
      return 409;
    case 'too_large':
    case 'content_too_large':
      return 413;
    case 'publish_refused':
      return 422;
    case 'registry_busy':
      return 503;
    case 'integrity_mismatch':
    case 'bundle_write_failed':
      return 500;
    default:
      return 400;
  }
}
