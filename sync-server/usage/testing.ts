// Helpers for usage's tests: a data folder with real accounts and a registry with published packages, and
// event builders.
import type { OutcomeEvent, RenderEvent } from '../../shared/usage/types';
import { createTokenAuthenticator } from '../accounts';
import { createAccountsApiBackend } from '../api';
import type { RegistryWorld } from '../registry/testing';
import type { SyncServer, SyncServerOptions } from '../server/create';
import { createSyncServer } from '../server/create';
import { projectOfDocument } from '../server/document-names';
import { openSqliteStorage } from '../storage/sqlite';
import { commonSet, registryWorld } from '../registry/testing';
import { createUsageAccess } from './access';
import type { UsageOptions, UsageService } from './service';
import { createUsage } from './service';

/** 2026-11-25 10:00 UTC: the tests' "now" starts here. */
export const T0 = Date.UTC(2026, 10, 25, 10);
export const HOUR = 3_600_000;

export interface UsageWorld extends RegistryWorld {
  usage: UsageService;
  /** The fake clock's time; tests move it. */
  now: { ms: number };
  /** Another service on the same folder (as after a restart), with other options. */
  reopen(options?: Partial<UsageOptions>): UsageService;
}

/**
 * `@acme/common` (project p1 "acme": ed admin, cy writer, vi viewer) and `@beta/tools` (project p2 "beta",
 * whose admin is `out`, who has no role on p1) are published.
 */
export async function usageWorld(dirs: string[], options: Partial<UsageOptions> = {}): Promise<UsageWorld> {
  const w = registryWorld(dirs);
  w.save(commonSet(), '1.0.0');
  await w.registry.publish(w.as.ed, { projectId: 'p1', setId: 'set-common', version: '1.0.0' });
  w.accounts.registerProject(w.as.out.accountId, 'p2', 'beta');
  await w.registry.publish(w.as.out, {
    projectId: 'p2',
    content: { ...commonSet(), id: 'set-tools', projectId: 'p2', name: 'tools' },
    version: '1.0.0',
  });
  const now = { ms: T0 };
  const opened: UsageService[] = [];
  const open = (more: Partial<UsageOptions> = {}) => {
    const u = createUsage({
      dataDir: w.dir,
      access: createUsageAccess(w.registry, w.accounts),
      clock: () => now.ms,
      pruneEveryMs: 0,
      ...options,
      ...more,
    });
    opened.push(u);
    return u;
  };
  const usage = open();
  return {
    ...w,
    usage,
    now,
    reopen: open,
    close() {
      for (const u of opened) u.close();
      w.close();
    },
  };
}

let n = 0;

export function render(over: Partial<RenderEvent> = {}): RenderEvent {
  return {
    type: 'render',
    id: `r-${++n}`,
    at: T0,
    name: '@acme/common',
    prompt: 'signature',
    version: '1.0.0',
    variant: null,
    experiment: null,
    latencyMs: 1,
    inputTokens: 10,
    model: 'openai/gpt-4o',
    costUsd: 0.25,
    error: null,
    fallback: false,
    ...over,
  };
}

export function outcome(of: RenderEvent, over: Partial<OutcomeEvent> = {}): OutcomeEvent {
  return {
    type: 'outcome',
    id: `o-${++n}`,
    at: of.at + 1000,
    renderId: of.id,
    name: of.name,
    prompt: of.prompt,
    version: of.version,
    variant: of.variant,
    experiment: of.experiment,
    outputTokens: 100,
    modelLatencyMs: 800,
    costUsd: 0.5,
    metrics: {},
    ...over,
  };
}

export interface UsageServer {
  server: SyncServer;
  /** Bearer tokens of the world's accounts (`root` is the server admin). */
  tokens: Record<'root' | 'ed' | 'cy' | 'vi' | 'out', string>;
  /** A fetch of `path` with `token` (null: none) and a JSON body; the answer's status, headers and JSON. */
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
  ): Promise<{ status: number; headers: Headers; json: T }>;
  close(): Promise<void>;
}

/** A real sync server on 127.0.0.1 serving the world's accounts, registry and usage. */
export async function startUsageServer(
  w: UsageWorld,
  apiLimits: SyncServerOptions['apiLimits'] = {},
): Promise<UsageServer> {
  const storage = openSqliteStorage(w.dir);
  const server = await createSyncServer({
    storage,
    authenticate: createTokenAuthenticator(w.accounts, { projectOf: projectOfDocument }),
    api: createAccountsApiBackend({
      accounts: w.accounts,
      versions: w.versions,
      documentExists: (n) => storage.has(n),
    }),
    registry: w.registry,
    usage: w.usage,
    apiLimits: {
      perToken: { perSecond: 100_000, burst: 100_000 },
      perAddress: { perSecond: 100_000, burst: 100_000 },
      ...apiLimits,
    },
  });
  const token = (name: string) => w.accounts.createToken(name).token;
  return {
    server,
    tokens: { root: token('admin'), ed: token('ed'), cy: token('cy'), vi: token('vi'), out: token('out') },
    async call<T>(method: string, path: string, token: string | null, body?: unknown) {
      const res = await fetch(`${server.httpUrl}${path}`, {
        method,
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
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
      return { status: res.status, headers: res.headers, json: json as T };
    },
    async close() {
      await server.close();
      await storage.close();
    },
  };
}
