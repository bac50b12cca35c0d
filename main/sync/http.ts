import { AnvilError } from '../../shared/domain';
import type {
  ApiErrorBody,
  ProposedVersion,
  RegisterProject,
  RemoteProject,
  TeamVersion,
  WhoAmI,
} from '../../shared/sync/api';
import { API_PATHS } from '../../shared/sync/api';
import { SYNC_PROTOCOL_VERSION } from '../../shared/sync/protocol';
import type { ServerUrls } from './server-url';

/** The studio's client of the sync server's HTTP API (`shared/sync/api.ts`). Errors are `AnvilError`s:
 * `sync_unreachable` (no answer, timeout), `sync_unauthorized` (401), `sync_forbidden` (403),
 * `sync_protocol_mismatch`, `version_taken` (409, details.taken), `sync_server_error` (anything else). */
export interface SyncHttp {
  whoami(): Promise<WhoAmI>;
  projects(): Promise<RemoteProject[]>;
  registerProject(project: RegisterProject): Promise<RemoteProject>;
  versions(projectId: string, after: number, limit?: number): Promise<{ versions: TeamVersion[]; next: number }>;
  /** Accepted (or already accepted with this id): the server's record. Taken by another: `version_taken`. */
  proposeVersion(projectId: string, version: ProposedVersion): Promise<TeamVersion>;
}

export interface SyncHttpOptions {
  urls: ServerUrls;
  token: string;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function createSyncHttp(options: SyncHttpOptions): SyncHttp {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const request = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const url = `${options.urls.http}${path}`;
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers: {
          authorization: `Bearer ${options.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const why =
        err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : causeOf(err);
      throw new AnvilError({
        code: 'sync_unreachable',
        message: `The sync server at ${options.urls.http} cannot be reached (${why}).`,
      });
    }
    const text = await response.text().catch(() => '');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (response.ok) {
      if (json === null)
        throw new AnvilError({
          code: 'sync_server_error',
          message: `${options.urls.http} answered ${method} ${path} with something that is not JSON: is it an Anvil sync server?`,
        });
      return json as T;
    }
    const error = (json as Partial<ApiErrorBody> | null)?.error;
    const code =
      response.status === 401
        ? 'sync_unauthorized'
        : response.status === 403
          ? 'sync_forbidden'
          : response.status === 409 && error?.code
            ? error.code
            : response.status === 404 && !error
              ? 'sync_not_a_server'
              : 'sync_server_error';
    const message =
      code === 'sync_not_a_server'
        ? `${options.urls.http} has no ${path}: is it an Anvil sync server (and is the path right)?`
        : (error?.message ?? `The sync server answered ${response.status} to ${method} ${path}.`);
    throw new AnvilError({ code, message, ...(error?.details !== undefined ? { details: error.details } : {}) });
  };

  return {
    async whoami() {
      const who = await request<WhoAmI>('GET', API_PATHS.whoami);
      if (who.protocol !== SYNC_PROTOCOL_VERSION)
        throw new AnvilError({
          code: 'sync_protocol_mismatch',
          message: `The server speaks sync protocol ${who.protocol}, this studio speaks protocol ${SYNC_PROTOCOL_VERSION}: update the older one.`,
        });
      return who;
    },
    async projects() {
      return (await request<{ projects: RemoteProject[] }>('GET', API_PATHS.projects)).projects;
    },
    registerProject(project) {
      return request<RemoteProject>('POST', API_PATHS.projects, project);
    },
    versions(projectId, after, limit) {
      const query = `?after=${after}${limit === undefined ? '' : `&limit=${limit}`}`;
      return request('GET', `${API_PATHS.versions(projectId)}${query}`);
    },
    proposeVersion(projectId, version) {
      return request<TeamVersion>('POST', API_PATHS.versions(projectId), version);
    },
  };
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } } | null)?.cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
