import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  DecisionResult,
  NewComment,
  PublishContentRequest,
  PublishResult,
  ReviewDecision,
} from '../../shared/registry/api';
import type { EditMode, ReviewState } from '../../shared/registry/types';
import { EDIT_MODES } from '../../shared/registry/types';
import type { ApiCaller } from '../api/backend';
import { ApiError } from '../api/backend';
import {
  decodeSegment,
  etagMatches,
  methodNotAllowed,
  objectBody,
  queryOf,
  readJson,
  send,
  wholeNumber,
} from '../api/wire';
import type { Feed, FeedOptions } from './feed';
import { createFeed } from './feed';
import type { Registry } from './types';

export interface RegistryHttpOptions {
  registry: Registry;
  /** Largest JSON body accepted (the API's cap). */
  maxBodyBytes: number;
  feed?: FeedOptions;
  /**
   * How long a bundle answer is reused for the same account, ms (default 0: none). Bundles never change, so this
   * only delays, by at most this long, noticing a lost role or a file altered on disk (the bytes served are the
   * verified ones either way); `createApiHandler` sets it with its read token cache.
   */
  readCacheMs?: number;
}

/** The registry's routes, answered after the API checked the address's rate, the token and the token's rate. */
export interface RegistryHttp {
  /** Answers `path` if it is a registry route (true); false leaves it to the caller (404). Throws refusals. */
  handle(request: IncomingMessage, response: ServerResponse, path: string, caller: ApiCaller): Promise<boolean>;
  feed: Feed;
  /** Ends the feed's streams (server closing). */
  close(): void;
}

/** Every route this module answers, as the OpenAPI document names them (`openapi.ts` and its test use it). */
export const REGISTRY_ROUTES: readonly { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string }[] = [
  { method: 'POST', path: '/api/registry/publish' },
  { method: 'GET', path: '/api/registry/packages/@{project}/{set}' },
  { method: 'GET', path: '/api/registry/packages/@{project}/{set}/-/{version}' },
  { method: 'PUT', path: '/api/registry/packages/@{project}/{set}/dist-tags/{tag}' },
  { method: 'DELETE', path: '/api/registry/packages/@{project}/{set}/dist-tags/{tag}' },
  { method: 'POST', path: '/api/registry/packages/@{project}/{set}/deprecate' },
  { method: 'GET', path: '/api/registry/packages/@{project}/{set}/experiments' },
  { method: 'PUT', path: '/api/registry/packages/@{project}/{set}/experiments/{id}' },
  { method: 'POST', path: '/api/registry/packages/@{project}/{set}/experiments/{id}/stop' },
  { method: 'GET', path: '/api/registry/search' },
  { method: 'GET', path: '/api/registry/projects/{projectName}/packages' },
  { method: 'GET', path: '/api/registry/feed' },
  { method: 'GET', path: '/api/registry/events' },
  { method: 'GET', path: '/api/projects/{projectId}/edit-mode' },
  { method: 'PUT', path: '/api/projects/{projectId}/edit-mode' },
  { method: 'GET', path: '/api/projects/{projectId}/published' },
  { method: 'GET', path: '/api/reviews' },
  { method: 'GET', path: '/api/reviews/{id}' },
  { method: 'POST', path: '/api/reviews/{id}/comments' },
  { method: 'POST', path: '/api/reviews/{id}/decision' },
];

const PACKAGES = '/api/registry/packages/';
const PROJECT_PACKAGES = /^\/api\/registry\/projects\/([^/]+)\/packages$/;
const PROJECT_ROUTE = /^\/api\/projects\/([^/]+)\/(edit-mode|published)$/;
const REVIEW_ROUTE = /^\/api\/reviews\/([^/]+)(?:\/(comments|decision))?$/;
const REVIEW_STATES: readonly ReviewState[] = ['open', 'changes_requested', 'approved', 'rejected', 'withdrawn'];
const DECISIONS: readonly ReviewDecision['decision'][] = ['approve', 'reject', 'request_changes'];
// A version never changes: caches may keep it for good. `private`, not `public`: the bundle needs a token, and a
// shared cache holding a `public` answer could hand a private project's bundle to anyone.
const IMMUTABLE = 'private, max-age=31536000, immutable';
const READ_CACHE_ENTRIES = 1_000;

interface BundleAnswer {
  bytes: Uint8Array;
  integrity: string;
  etag: string;
  until: number;
}

/**
 * The registry's HTTP routes (`shared/registry/api.ts`) over a `Registry`. Shapes the input (400 for bad
 * bodies and queries), calls the registry, which owns every check of who may do what, and answers its result;
 * refusals propagate as `ApiError`s / `AnvilError`s for the API's one error shape. Metadata and bundles are
 * answered from the registry's cached bytes, never re-serialised, with strong ETags and 304s.
 */
export function createRegistryHttp(options: RegistryHttpOptions): RegistryHttp {
  const { registry, maxBodyBytes } = options;
  const feed = createFeed(registry, options.feed);
  const readCacheMs = options.readCacheMs ?? 0;
  const bundles = new Map<string, BundleAnswer>();
  /** The registry's verified bytes for this account, reused for `readCacheMs`. */
  const bundleFor = (caller: ApiCaller, name: string, rawVersion: string): BundleAnswer => {
    const key = `${caller.accountId}\n${name}\n${rawVersion}`;
    const now = Date.now();
    const hit = readCacheMs > 0 ? bundles.get(key) : undefined;
    if (hit && hit.until > now) return hit;
    const { bytes, integrity } = registry.bundle(caller, name, decodeSegment(rawVersion, 'version'));
    const answer = { bytes, integrity, etag: `"${integrity}"`, until: now + readCacheMs };
    if (readCacheMs > 0) {
      bundles.delete(key);
      if (bundles.size >= READ_CACHE_ENTRIES) bundles.delete(bundles.keys().next().value as string);
      bundles.set(key, answer);
    }
    return answer;
  };
  const body = (request: IncomingMessage, expected: string) =>
    readJson(request, maxBodyBytes).then((b) => objectBody(b, expected));

  /** `/api/registry/packages/…`: metadata, bundles, dist-tags, deprecation, experiments. */
  const packageRoute = async (
    request: IncomingMessage,
    response: ServerResponse,
    method: string,
    path: string,
    caller: ApiCaller,
  ): Promise<boolean> => {
    const target = packageTarget(path.slice(PACKAGES.length));
    if (!target) return false;
    const { name, tail } = target;
    if (tail.length === 2 && tail[0] === '-') {
      if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, path, 'GET');
      const { bytes, integrity, etag } = bundleFor(caller, name, tail[1] as string);
      if (etagMatches(request.headers['if-none-match'], etag)) {
        response.writeHead(304, { etag, 'cache-control': IMMUTABLE });
        response.end();
        return true;
      }
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': bytes.byteLength,
        'x-anvil-integrity': integrity,
        etag,
        'cache-control': IMMUTABLE,
      });
      response.end(bytes);
      return true;
    }
    if (tail.length === 0) {
      if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, path, 'GET');
      const { bytes, etag: raw } = registry.metadata(caller, name);
      const etag = raw.startsWith('"') || raw.startsWith('W/') ? raw : `"${raw}"`;
      // Revalidated on every use: a publish or a tag changes it.
      const cache = 'private, no-cache';
      if (etagMatches(request.headers['if-none-match'], etag)) {
        response.writeHead(304, { etag, 'cache-control': cache });
        response.end();
        return true;
      }
      response.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': bytes.byteLength,
        etag,
        'cache-control': cache,
      });
      response.end(bytes);
      return true;
    }
    if (tail.length === 2 && tail[0] === 'dist-tags') {
      const tag = decodeSegment(tail[1] as string, 'dist-tag');
      if (method === 'PUT') {
        const b = await body(request, '{ "version": string }');
        if (typeof b.version !== 'string')
          throw new ApiError(400, 'invalid_body', 'Set a dist-tag with { "version": string }.');
        send(response, 200, { distTags: registry.setDistTag(caller, name, tag, b.version) });
        return true;
      }
      if (method === 'DELETE') {
        send(response, 200, { distTags: registry.setDistTag(caller, name, tag, null) });
        return true;
      }
      throw methodNotAllowed(method, path, 'PUT, DELETE');
    }
    if (tail.length === 1 && tail[0] === 'deprecate') {
      if (method !== 'POST') throw methodNotAllowed(method, path, 'POST');
      const b = await body(request, '{ "version": string, "message": string | null }');
      if (typeof b.version !== 'string' || !(typeof b.message === 'string' || b.message === null))
        throw new ApiError(
          400,
          'invalid_body',
          'Deprecate with { "version": string, "message": string } (message null un-deprecates).',
        );
      send(response, 200, registry.deprecate(caller, name, b.version, b.message));
      return true;
    }
    if (tail[0] === 'experiments' && tail.length <= 3) {
      if (tail.length === 1) {
        if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, path, 'GET');
        send(response, 200, { experiments: registry.experiments(caller, name) });
        return true;
      }
      const id = decodeSegment(tail[1] as string, 'experiment id');
      if (tail.length === 2) {
        if (method !== 'PUT') throw methodNotAllowed(method, path, 'PUT');
        const definition = await body(request, 'an experiment definition');
        const { record, created } = registry.putExperiment(caller, name, id, definition);
        send(response, created ? 201 : 200, record);
        return true;
      }
      if (tail[2] !== 'stop') return false;
      if (method !== 'POST') throw methodNotAllowed(method, path, 'POST');
      const b = await body(request, '{ "winner": string }');
      if (typeof b.winner !== 'string')
        throw new ApiError(400, 'invalid_body', 'Stop an experiment with { "winner": the winning variant\'s key }.');
      send(response, 200, registry.stopExperiment(caller, name, id, b.winner));
      return true;
    }
    return false;
  };

  const handle = async (
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    caller: ApiCaller,
  ): Promise<boolean> => {
    const method = request.method ?? 'GET';
    // Bundles and metadata first: the hot path.
    if (path.startsWith(PACKAGES)) return packageRoute(request, response, method, path, caller);
    if (path.startsWith('/api/registry/')) {
      const only = (allowed: string) => {
        if (method !== allowed && !(allowed === 'GET' && method === 'HEAD'))
          throw methodNotAllowed(method, path, allowed);
      };
      switch (path) {
        case '/api/registry/publish': {
          only('POST');
          const b = await body(request, '{ "projectId", "setId", "version" } or { "projectId", "content", "version" }');
          let result: PublishResult;
          if (b.content !== undefined) {
            if (
              typeof b.projectId !== 'string' ||
              typeof b.version !== 'string' ||
              b.content === null ||
              typeof b.content !== 'object' ||
              Array.isArray(b.content) ||
              !(b.changelog === undefined || typeof b.changelog === 'string') ||
              !(b.override === undefined || b.override === null || typeof b.override === 'string')
            )
              throw new ApiError(
                400,
                'invalid_body',
                'Publish content with { "projectId": string, "content": a prompt set, "version": string, "changelog"?: string, "override"?: string | null }.',
              );
            result = await registry.publish(caller, {
              projectId: b.projectId,
              content: b.content as PublishContentRequest['content'],
              version: b.version,
              ...(b.changelog === undefined ? {} : { changelog: b.changelog as string }),
              ...(b.override === undefined ? {} : { override: b.override as string | null }),
            });
          } else {
            if (typeof b.projectId !== 'string' || typeof b.setId !== 'string' || typeof b.version !== 'string')
              throw new ApiError(
                400,
                'invalid_body',
                'Publish with { "projectId": string, "setId": string, "version": string } (a team version), or { "projectId", "content", "version" }.',
              );
            result = await registry.publish(caller, { projectId: b.projectId, setId: b.setId, version: b.version });
          }
          send(response, result.status === 'published' ? 201 : 202, result);
          return true;
        }
        case '/api/registry/search': {
          only('GET');
          const q = queryOf(request);
          const project = q.get('project');
          const results = registry.search(caller, {
            q: (q.get('q') ?? '').slice(0, 200),
            ...(project ? { project } : {}),
            limit: wholeNumber(q.get('limit'), 'limit', 1, 100, 20),
          });
          send(response, 200, { results });
          return true;
        }
        case '/api/registry/feed':
          only('GET');
          feed.stream(request, response, caller);
          return true;
        case '/api/registry/events':
          only('GET');
          send(response, 200, feed.poll(request, caller));
          return true;
      }
      const m = PROJECT_PACKAGES.exec(path);
      if (!m) return false;
      only('GET');
      send(response, 200, {
        packages: registry.projectPackages(caller, decodeSegment(m[1] as string, 'project name')),
      });
      return true;
    }
    const project = PROJECT_ROUTE.exec(path);
    if (project) {
      const projectId = decodeSegment(project[1] as string);
      if (project[2] === 'published') {
        if (method !== 'GET') throw methodNotAllowed(method, path, 'GET');
        const setId = queryOf(request).get('setId');
        send(response, 200, { packages: registry.published(caller, projectId, setId || undefined) });
        return true;
      }
      if (method === 'GET') {
        send(response, 200, { editMode: registry.editMode(caller, projectId) });
        return true;
      }
      if (method !== 'PUT') throw methodNotAllowed(method, path, 'GET, PUT');
      const b = await body(request, '{ "editMode": "open" | "review" | "locked" }');
      if (!EDIT_MODES.includes(b.editMode as EditMode))
        throw new ApiError(400, 'invalid_body', `editMode must be one of ${EDIT_MODES.join(', ')}.`);
      send(response, 200, { editMode: registry.setEditMode(caller, projectId, b.editMode as EditMode) });
      return true;
    }
    if (path === '/api/reviews') {
      if (method !== 'GET') throw methodNotAllowed(method, path, 'GET');
      const q = queryOf(request);
      const state = q.get('state');
      if (state && !REVIEW_STATES.includes(state as ReviewState))
        throw new ApiError(400, 'invalid_query', `state must be one of ${REVIEW_STATES.join(', ')}.`);
      const projectId = q.get('projectId');
      const mine = q.get('mine');
      const reviews = registry.reviews(caller, {
        ...(projectId ? { projectId } : {}),
        ...(state ? { state: state as ReviewState } : {}),
        ...(mine === '1' || mine === 'true' ? { mine: true } : {}),
      });
      send(response, 200, { reviews });
      return true;
    }
    const review = REVIEW_ROUTE.exec(path);
    if (review) {
      const id = decodeSegment(review[1] as string, 'review id');
      if (review[2] === undefined) {
        if (method !== 'GET') throw methodNotAllowed(method, path, 'GET');
        send(response, 200, registry.review(caller, id));
        return true;
      }
      if (method !== 'POST') throw methodNotAllowed(method, path, 'POST');
      if (review[2] === 'comments') {
        const b = await body(request, '{ "body": string, "anchor"?: { prompt, side, line } }');
        send(response, 201, registry.comment(caller, id, commentOf(b)));
        return true;
      }
      const b = await body(request, '{ "decision": "approve" | "reject" | "request_changes", "note"?: string }');
      if (
        !DECISIONS.includes(b.decision as ReviewDecision['decision']) ||
        !(b.note === undefined || typeof b.note === 'string')
      )
        throw new ApiError(
          400,
          'invalid_body',
          `Decide with { "decision": ${DECISIONS.map((d) => `"${d}"`).join(' | ')}, "note"?: string }.`,
        );
      const decision: ReviewDecision = {
        decision: b.decision as ReviewDecision['decision'],
        ...(typeof b.note === 'string' ? { note: b.note } : {}),
      };
      const { review: decided, published } = await registry.decide(caller, id, decision);
      // The review as the route promises, with what an approval published beside it.
      send(response, 200, { ...decided, published } satisfies DecisionResult);
      return true;
    }
    return false;
  };

  return { handle, feed, close: () => feed.close() };
}

/**
 * The package name and what follows it. Accepts `@p/s`, `%40p/s` and npm's `@p%2Fs`; each part percent-decoded.
 * Null when the path names no package (the caller answers 404).
 */
function packageTarget(rest: string): { name: string; tail: string[] } | null {
  const parts = rest.split('/');
  const first = decodeSegment(parts[0] as string, 'package name');
  let name: string;
  let from: number;
  if (first.includes('/')) {
    name = first;
    from = 1;
  } else {
    if (parts.length < 2) return null;
    name = `${first}/${decodeSegment(parts[1] as string, 'package name')}`;
    from = 2;
  }
  if (!/^@[^/]+\/[^/]+$/.test(name))
    throw new ApiError(400, 'invalid_package_name', `"${name.slice(0, 80)}" is not a package name @project/set.`);
  return { name, tail: parts.slice(from) };
}

function commentOf(b: Record<string, unknown>): NewComment {
  if (typeof b.body !== 'string' || b.body.trim() === '')
    throw new ApiError(400, 'invalid_body', 'A comment needs a non-empty "body" string.');
  if (b.anchor === undefined || b.anchor === null) return { body: b.body };
  const a = b.anchor as Record<string, unknown>;
  if (
    typeof a !== 'object' ||
    typeof a.prompt !== 'string' ||
    (a.side !== 'before' && a.side !== 'after') ||
    !Number.isSafeInteger(a.line) ||
    (a.line as number) < 1
  )
    throw new ApiError(
      400,
      'invalid_body',
      'A comment anchor is { "prompt": string, "side": "before" | "after", "line": a whole number ≥ 1 }.',
    );
  return { body: b.body, anchor: { prompt: a.prompt, side: a.side, line: a.line as number } };
}
