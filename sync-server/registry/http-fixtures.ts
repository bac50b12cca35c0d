// A real sync server with a real registry on 127.0.0.1, for the registry's HTTP tests and its bench.
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { PromptSetContent } from '../../shared/domain';
import { canonicalJson, contentHash } from '../../shared/domain/hash';
import type { PublishResult } from '../../shared/registry/api';
import { REGISTRY_PATHS } from '../../shared/registry/api';
import type { FeedEvent } from '../../shared/registry/types';
import type { ProposedVersion, TeamVersion } from '../../shared/sync/api';
import type { AccountStore } from '../accounts';
import { ACCOUNTS_FILE, createTokenAuthenticator, openAccountStore } from '../accounts';
import { createAccountsApiBackend } from '../api';
import type { SyncServer } from '../server/create';
import { createSyncServer } from '../server/create';
import { projectOfDocument } from '../server/document-names';
import type { RateLimit } from '../server/rate-limit';
import type { SqliteStorage } from '../storage/sqlite';
import { openSqliteStorage } from '../storage/sqlite';
import type { TeamVersionStore } from '../versions';
import { VERSIONS_FILE, openTeamVersionStore } from '../versions';
import type { FeedOptions } from './feed';
import { createRegistry } from './service';
import type { Registry } from './types';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  text: string;
  json: T;
}

export interface RegistryWorld {
  dir: string;
  server: SyncServer;
  accounts: AccountStore;
  versions: TeamVersionStore;
  registry: Registry;
  storage: SqliteStorage;
  /** ed registered p1 (`acme`) and is its admin; cy writes, vi views, out has no role; admin is server admin. */
  tokens: { admin: string; ed: string; cy: string; vi: string; out: string };
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer<T>>;
  /** A team version of `setId` in `projectId` (as version sync leaves it), proposed by ed. */
  teamVersion(content: PromptSetContent, version: string, over?: Partial<ProposedVersion>): Promise<TeamVersion>;
  /** Proposes and publishes (as ed); throws unless 201. */
  publish(content: PromptSetContent, version: string): Promise<Extract<PublishResult, { status: 'published' }>>;
  close(): Promise<void>;
}

export interface WorldOptions {
  feed?: FeedOptions;
  limits?: { perToken?: RateLimit; perAddress?: RateLimit };
}

export const PROJECT = { id: 'p1', name: 'acme' };

/** A set of two text prompts in project p1; `over` replaces fields. */
export function setContent(over: Partial<PromptSetContent> = {}): PromptSetContent {
  return {
    id: 'set-a',
    projectId: PROJECT.id,
    name: 'support',
    description: 'Support prompts',
    dependencies: {},
    prompts: [
      {
        id: 'p-greet',
        name: 'greet',
        description: 'Greets a customer',
        kind: 'text',
        template: 'Hello {{ customer }}!',
        parameters: [{ name: 'customer', type: { type: 'string' }, required: true, description: '' }],
        model: null,
        metadata: {},
      },
      {
        id: 'p-bye',
        name: 'bye',
        description: '',
        kind: 'text',
        template: 'Goodbye.',
        parameters: [],
        model: null,
        metadata: {},
      },
    ],
    ...over,
  };
}

export async function openRegistryWorld(dir: string, options: WorldOptions = {}): Promise<RegistryWorld> {
  const accounts = openAccountStore(join(dir, ACCOUNTS_FILE));
  const versions = openTeamVersionStore(join(dir, VERSIONS_FILE));
  const storage = openSqliteStorage(dir);
  const registry = createRegistry({ dataDir: dir, accounts, versions });
  const admin = accounts.bootstrap()?.token as string;
  for (const name of ['ed', 'cy', 'vi', 'out']) accounts.addUser(name);
  const tokens = {
    admin,
    ed: accounts.createToken('ed').token,
    cy: accounts.createToken('cy').token,
    vi: accounts.createToken('vi').token,
    out: accounts.createToken('out').token,
  };
  const edId = accounts.getUser('ed')?.id as string;
  accounts.registerProject(edId, PROJECT.id, PROJECT.name);
  accounts.setRole('cy', PROJECT.id, 'context_engineer');
  accounts.setRole('vi', PROJECT.id, 'viewer');
  const server = await createSyncServer({
    storage,
    authenticate: createTokenAuthenticator(accounts, { projectOf: projectOfDocument }),
    api: createAccountsApiBackend({ accounts, versions, documentExists: (name) => storage.has(name) }),
    registry,
    ...(options.feed ? { feed: options.feed } : {}),
    apiLimits: options.limits ?? {
      perToken: { perSecond: 100_000, burst: 100_000 },
      perAddress: { perSecond: 100_000, burst: 100_000 },
    },
  });
  const call = async <T>(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> => {
    const res = await fetch(`${server.httpUrl}${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, text, json: json as T };
  };
  let n = 0;
  const teamVersion = async (content: PromptSetContent, version: string, over: Partial<ProposedVersion> = {}) => {
    const text = canonicalJson(content);
    return versions.propose(content.projectId, edId, {
      id: `tv-${content.id}-${version.replace(/[^A-Za-z0-9_-]/g, '_')}-${++n}`,
      setId: content.id,
      version,
      changelog: `version ${version}`,
      author: 'ed',
      createdAt: '2026-11-25T10:00:00.000Z',
      contentHash: await contentHash(content),
      changeClass: 'minor',
      override: null,
      content: text,
      ...over,
    }).version;
  };
  const world: RegistryWorld = {
    dir,
    server,
    accounts,
    versions,
    registry,
    storage,
    tokens,
    call,
    teamVersion,
    async publish(content, version) {
      await teamVersion(content, version);
      const r = await call<PublishResult>('POST', REGISTRY_PATHS.publish, tokens.ed, {
        projectId: content.projectId,
        setId: content.id,
        version,
      });
      if (r.status !== 201 || r.json.status !== 'published')
        throw new Error(`publishing ${version}: ${r.status} ${r.text}`);
      return r.json;
    },
    async close() {
      await server.close();
      registry.close();
      await storage.close();
      versions.close();
      accounts.close();
    },
  };
  return world;
}

export interface SseEvent {
  id: number;
  event: string;
  data: FeedEvent;
}

export interface SseClient {
  events: SseEvent[];
  /** Resolves once `n` events arrived (fails after `ms`). */
  waitFor(n: number, ms?: number): Promise<SseEvent[]>;
  /** The raw text received, comments included. */
  raw(): string;
  /** Resolves when the server ended the stream. */
  ended: Promise<void>;
  status: number;
  close(): void;
}

/** Reads a registry feed with fetch, as a non-browser client would (no EventSource in Node 20). */
export async function openFeed(url: string, token: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  const events: SseEvent[] = [];
  let raw = '';
  let buffer = '';
  const waiters = new Set<() => void>();
  const ended = (async () => {
    if (!res.body) return;
    const decoder = new StringDecoder('utf8');
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.write(Buffer.from(chunk));
        raw += text;
        buffer += text;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const fields = new Map<string, string>();
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
          }
          if (fields.has('data'))
            events.push({
              id: Number(fields.get('id')),
              event: fields.get('event') ?? 'message',
              data: JSON.parse(fields.get('data') as string) as FeedEvent,
            });
        }
        for (const w of [...waiters]) w();
      }
    } catch {
      // Aborted by close(), or the connection dropped.
    }
  })();
  return {
    events,
    status: res.status,
    raw: () => raw,
    ended,
    close: () => abort.abort(),
    waitFor(n, ms = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (events.length < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(events.slice(0, n));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`got ${events.length} feed events, waited for ${n}: ${raw.slice(-500)}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
  };
}
