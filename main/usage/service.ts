import semver from 'semver';
import type { ParsedArgs } from '../../shared/contract/contract';
import type { PromptUsage, UsageScope } from '../../shared/contract/usage';
import { AnvilError } from '../../shared/domain';
import type { UsageBreakdown, UsageFilter, UsageSeries } from '../../shared/usage/types';
import { createRegistryHttp } from '../registry/http';
import type { RegistryHttp } from '../registry/http';
import type { Workspace } from '../store/workspace';
import { createSyncHttp } from '../sync/http';
import type { SyncHttp } from '../sync/http';
import { serverClients } from '../sync/server-access';
import type { SecretStore } from '../sync/types';
import { createUsageHttp } from './http';
import type { UsageHttp } from './http';

/** The usage operations of the contract, as the dispatch table calls them. */
export interface StudioUsage {
  scope(): Promise<UsageScope>;
  series(args: ParsedArgs<'usage:series'>): Promise<UsageSeries>;
  breakdown(args: ParsedArgs<'usage:breakdown'>): Promise<UsageBreakdown>;
  prompt(args: ParsedArgs<'usage:prompt'>): Promise<PromptUsage>;
  /** Forget the editor's cached lines (an experiment changed from this studio: the line must say so at once). */
  invalidate(): void;
}

export interface StudioUsageOptions {
  ws: Workspace;
  secrets: SecretStore;
  /** How long the editor's per-prompt figures are kept (default 60 s): they are asked at every prompt switch. */
  promptCacheMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

interface Connection {
  server: string;
  usage: UsageHttp;
  registry: RegistryHttp;
  sync: SyncHttp;
}

const HOUR = 3600_000;
export const PROMPT_WINDOW_MS = 7 * 24 * HOUR;

/**
 * The studio's side of usage analytics: the contract's `usage:*` operations over the server's query API, with the
 * sync settings' server and token (read at each call, so a change in Settings → Sync applies at once). The
 * editor's per-prompt line is cached per prompt for a minute, answers included that say the server could not be
 * reached, so switching prompts (or a server that is down) never costs more than one request a minute each.
 */
export function createStudioUsage(options: StudioUsageOptions): StudioUsage {
  const { ws } = options;
  const now = options.now ?? Date.now;
  const promptCacheMs = options.promptCacheMs ?? 60_000;
  const promptCache = new Map<string, { at: number; value: Promise<PromptUsage> }>();
  const packageCache = new Map<string, { at: number; value: Promise<string | null> }>();

  const connect = serverClients(
    ws,
    options.secrets,
    {
      code: 'usage_unavailable',
      message:
        "Usage analytics come from the team's sync server, where applications report their renders: set it up and switch sync on in Settings → Sync.",
    },
    options,
    ({ urls, token }, timing): Connection => {
      promptCache.clear();
      packageCache.clear();
      return {
        server: urls.http,
        usage: createUsageHttp({ urls, token, ...timing }),
        registry: createRegistryHttp({ urls, token, ...timing }),
        sync: createSyncHttp({ urls, token, ...timing }),
      };
    },
  );

  /** The package a studio set is published as (its name is bound at the first publish), or null. */
  const packageOf = (c: Connection, setId: string): Promise<string | null> => {
    const hit = packageCache.get(setId);
    if (hit && now() - hit.at < promptCacheMs) return hit.value;
    const value = (async () => {
      const { projectId } = await ws.sets.content({ setId });
      const packages = await c.registry.published(projectId, setId);
      return packages.find((p) => p.setId === setId)?.name ?? null;
    })();
    packageCache.set(setId, { at: now(), value });
    // Not published yet is not remembered: the first publish must show at the next look, not a minute later.
    value.then(
      (name) => name === null && packageCache.delete(setId),
      () => packageCache.delete(setId),
    );
    return value;
  };

  const promptFigures = async (c: Connection, setId: string, prompt: string): Promise<PromptUsage> => {
    const name = await packageOf(c, setId);
    // Whole hours: the rollups are hourly, and the same window for a minute lets the server's caches answer.
    const to = Math.ceil(now() / HOUR) * HOUR;
    const from = to - PROMPT_WINDOW_MS;
    if (!name) return { available: true, name: null, prompt, from, to, figures: null, experiment: null };
    const [breakdown, experiments] = await Promise.all([
      c.usage.breakdown({ name, prompt, from, to }, 'prompt'),
      // A server without experiments (or a refusal) only costs the line its A/B mention.
      c.registry.experiments(name).catch(() => []),
    ]);
    const group = breakdown.groups.find((g) => g.key === prompt) ?? null;
    const figures = group ? (({ key: _key, ...figures }) => figures)(group) : null;
    const current = experiments.find((r) => r.current && r.experiment.prompt === `${name}/${prompt}`)?.experiment;
    const experiment = current
      ? { id: current.id, name: current.name, status: current.status, winner: current.winner ?? null }
      : null;
    return { available: true, name, prompt, from, to, figures, experiment };
  };

  return {
    async scope() {
      let c: Connection;
      try {
        c = await connect();
        const projects = await c.sync.projects();
        const withPackages = await Promise.all(
          projects.map(async (p) => ({
            id: p.id,
            name: p.name,
            packages: (await c.registry.published(p.id)).map((pkg) => ({
              name: pkg.name,
              setId: pkg.setId,
              versions: [...pkg.versions].sort((a, b) =>
                semver.valid(a) && semver.valid(b) ? semver.rcompare(a, b) : 0,
              ),
            })),
          })),
        );
        withPackages.sort((a, b) => a.name.localeCompare(b.name));
        for (const p of withPackages) p.packages.sort((a, b) => a.name.localeCompare(b.name));
        return { available: true, server: c.server, projects: withPackages };
      } catch (err) {
        return unavailable(err);
      }
    },

    async series({ bucket, ...filter }) {
      return (await connect()).usage.series(filterOf(filter), bucket);
    },

    async breakdown({ by, ...filter }) {
      return (await connect()).usage.breakdown(filterOf(filter), by);
    },

    invalidate() {
      promptCache.clear();
    },

    async prompt({ setId, prompt }) {
      let c: Connection;
      try {
        c = await connect();
      } catch (err) {
        return unavailable(err);
      }
      const key = `${setId}\n${prompt}`;
      const hit = promptCache.get(key);
      if (hit && now() - hit.at < promptCacheMs) return hit.value;
      const value = promptFigures(c, setId, prompt).catch(unavailable);
      promptCache.set(key, { at: now(), value });
      void value.then((v) => v.available && v.name === null && promptCache.delete(key));
      return value;
    },
  };
}

/** The filter without the fields left out (zod's output has them as `undefined`). */
function filterOf(args: UsageFilter): UsageFilter {
  const out: UsageFilter = { from: args.from, to: args.to };
  for (const key of ['project', 'name', 'prompt', 'version', 'experiment', 'variant'] as const) {
    const value = args[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function unavailable(err: unknown): { available: false; code: string; reason: string } {
  return {
    available: false,
    code: err instanceof AnvilError ? err.code : 'internal',
    reason: err instanceof Error ? err.message : String(err),
  };
}
