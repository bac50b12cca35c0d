import { AnvilError } from '../../shared/domain';
import type { ProposedVersion, RegisterProject, RemoteProject, TeamVersion, WhoAmI } from '../../shared/sync/api';
import { API_PATHS } from '../../shared/sync/api';
import { SYNC_PROTOCOL_VERSION } from '../../shared/sync/protocol';
import { createJsonRequest } from './json-request';
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
  const request = createJsonRequest({
    base: options.urls.http,
    token: options.token,
    timeoutMs: options.timeoutMs ?? 10_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    notJsonCode: 'sync_server_error',
    refusal(status, error, method, path) {
      const code =
        status === 401
          ? 'sync_unauthorized'
          : status === 403
            ? 'sync_forbidden'
            : status === 409 && error?.code
              ? error.code
              : status === 404 && !error
                ? 'sync_not_a_server'
                : 'sync_server_error';
      const message =
        code === 'sync_not_a_server'
          ? `${options.urls.http} has no ${path}: is it an Anvil sync server (and is the path right)?`
          : (error?.message ?? `The sync server answered ${status} to ${method} ${path}.`);
      return new AnvilError({ code, message, ...(error?.details !== undefined ? { details: error.details } : {}) });
    },
  });

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
