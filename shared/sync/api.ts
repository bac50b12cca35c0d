import type { Role } from '../domain';

/**
 * The sync server's small HTTP API beside the Yjs WebSocket: who a token is, which projects it reaches, and the
 * team's versions. Every request carries `Authorization: Bearer <token>` and answers JSON; failures answer
 * `{ "error": { "code", "message" } }` with 400 (bad input), 401 (no/bad token), 403 (no access or read-only),
 * 404, 409 (conflict), 413 (too large), 429 (rate limit). Paths are relative to the server's base (the root, or
 * the mount path such as `/anvil`).
 *
 *   GET  /healthz                              → { ok: true, protocol }
 *   GET  /api/whoami                           → WhoAmI
 *   GET  /api/projects                         → { projects: RemoteProject[] }
 *   POST /api/projects            RegisterProject → RemoteProject   (201 created, 200 already yours)
 *   GET  /api/projects/:projectId/versions?after=<seq>&limit=<n>
 *                                              → { versions: TeamVersion[], next: number }  (seq ascending)
 *   POST /api/projects/:projectId/versions  ProposedVersion
 *                                              → 201 TeamVersion (accepted) | 200 TeamVersion (same id again)
 *                                                | 409 { error: { code: 'version_taken', …, details: { taken: TeamVersion } } }
 */
export const API_PATHS = {
  whoami: '/api/whoami',
  projects: '/api/projects',
  versions: (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/versions`,
} as const;

export interface WhoAmI {
  accountId: string;
  name: string;
  serverAdmin: boolean;
  /** The server's sync protocol version (`SYNC_PROTOCOL_VERSION`). */
  protocol: number;
}

export interface RemoteProject {
  id: string;
  name: string;
  /** The caller's role on it (a server admin is admin of every project). */
  role: Role;
}

/**
 * A studio pushing a local project for the first time: the server registers it with the caller as its admin
 * (projects are private by default). An id already registered is refused (403) unless the caller has a role
 * on it, and then answered with that role (200), so registering is idempotent.
 */
export interface RegisterProject {
  id: string;
  name: string;
}

/** A version a studio saved and asks the server to accept. `id` is the studio's id for it (a retry is safe). */
export interface ProposedVersion {
  id: string;
  setId: string;
  /** Semver number; unique per set on the server: the first to arrive keeps it. */
  version: string;
  changelog: string;
  author: string;
  /** ISO time the author saved it. */
  createdAt: string;
  contentHash: string;
  changeClass: 'major' | 'minor' | 'patch' | 'none';
  override: string | null;
  /** Canonical JSON of the frozen set content (as the studio stores it). At most 4 MiB. */
  content: string;
}

/** A version the server accepted: immutable from then on. */
export interface TeamVersion extends ProposedVersion {
  /** Server order of acceptance (per server, ascending): the cursor for `after`. */
  seq: number;
  projectId: string;
  /** Account that proposed it. */
  acceptedFrom: string;
  /** ISO time the server accepted it. */
  acceptedAt: string;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}
