import { AnvilError } from '../../shared/domain/result';
import type { PackageMetadata } from '../../shared/registry/types';
import type { DiskCache } from './disk-cache';
import { AnvilSdkError } from './errors';
import type { RegistryClient } from './registry-client';

export interface MetaState {
  metadata: PackageMetadata;
  etag: string | null;
  /** When the registry last confirmed it (ms, the SDK's clock). */
  fetchedAt: number;
  /** The last refresh's failure while the registry is unreachable or failing: answers are then fallbacks. */
  failed: AnvilSdkError | null;
}

const DOWN = new Set(['registry_unreachable', 'registry_error']);
const GONE = new Set(['unknown_package', 'not_found']);

/**
 * Package metadata in memory, backed by the disk cache and revalidated with conditional GETs. Fresh for
 * `ttlMs` after the registry last confirmed it (the live feed keeps it fresh sooner); stale metadata is still
 * answered at once while one shared refresh runs. With the registry down, the last cached copy is answered
 * and marked `failed`, which is what flags results as fallbacks.
 */
export function createMetadataStore(o: {
  cache: DiskCache;
  client: RegistryClient | null;
  clock: () => number;
  ttlMs: number;
  live: boolean;
  warn: (e: AnvilError, once?: string) => void;
}) {
  const memory = new Map<string, MetaState>();
  const cold = new Map<string, Promise<MetaState>>();
  const scheduled = new Set<string>();
  const checked = new Set<string>();
  const listeners: ((name: string) => void)[] = [];
  const told = (name: string) => {
    for (const l of listeners) l(name);
  };

  async function refresh(name: string): Promise<boolean> {
    scheduled.delete(name);
    if (!o.client) return false;
    const cur = memory.get(name) ?? (await o.cache.readMetadata(name));
    let answer;
    try {
      answer = await o.client.metadata(name, cur?.etag ?? null);
    } catch (err) {
      const e = err as AnvilSdkError;
      const state = memory.get(name);
      if (state && DOWN.has(e.code)) state.failed = e;
      if (GONE.has(e.code) && cur)
        o.warn(
          new AnvilError({
            code: 'missing_upstream',
            message: `${name} is no longer in the registry (${e.message}); the cached copy is still served`,
            details: { name },
          }),
          `missing ${name}`,
        );
      told(name);
      throw e;
    }
    const fetchedAt = o.clock();
    const changed = !answer.notModified;
    const state: MetaState = answer.notModified
      ? { metadata: (cur as MetaState).metadata, etag: answer.etag, fetchedAt, failed: null }
      : { metadata: answer.metadata, etag: answer.etag, fetchedAt, failed: null };
    memory.set(name, state);
    await o.cache.writeMetadata(name, { metadata: state.metadata, etag: state.etag, fetchedAt });
    told(name);
    return changed;
  }

  async function load(name: string, address: string): Promise<MetaState> {
    const disk = await o.cache.readMetadata(name);
    if (disk && (!o.client || o.clock() - disk.fetchedAt < o.ttlMs)) {
      const state = { ...disk, failed: null };
      memory.set(name, state);
      return state;
    }
    if (!o.client)
      throw new AnvilSdkError({
        code: 'unavailable',
        message: `${address}: nothing is cached for ${name} and no registry is configured`,
        address,
      });
    try {
      await refresh(name);
      return memory.get(name) as MetaState;
    } catch (err) {
      const e = err as AnvilSdkError;
      if (!DOWN.has(e.code)) throw new AnvilSdkError({ ...e.toJSON(), status: e.status, address, cause: e });
      if (disk) {
        const state = { ...disk, failed: e };
        memory.set(name, state);
        return state;
      }
      throw new AnvilSdkError({
        code: 'unavailable',
        message: `${address}: nothing is cached for ${name}, and ${e.message}`,
        address,
        cause: e,
      });
    }
  }

  return {
    /** What is known without the network (memory, then disk), or null. */
    async cached(name: string): Promise<MetaState | null> {
      const m = memory.get(name);
      if (m) return m;
      const disk = await o.cache.readMetadata(name);
      return disk ? { ...disk, failed: null } : null;
    },
    /** For live resolution: memory; else disk if fresh; else the registry; else disk as a fallback. */
    get(name: string, address: string): Promise<MetaState> {
      const m = memory.get(name);
      if (m) return Promise.resolve(m);
      let p = cold.get(name);
      if (!p) {
        p = load(name, address).finally(() => cold.delete(name));
        cold.set(name, p);
      }
      return p;
    },
    refresh,
    stale(name: string): boolean {
      const m = memory.get(name);
      return m !== undefined && o.clock() - m.fetchedAt >= o.ttlMs;
    },
    /** True for the first caller to ask while no refresh of `name` is scheduled: that caller schedules it. */
    startRefresh(name: string): boolean {
      if (scheduled.has(name)) return false;
      scheduled.add(name);
      return true;
    },
    /** Locked mode: one background look per package per process, for deprecations and packages gone upstream. */
    checkOnce(name: string): void {
      if (checked.has(name) || !o.client) return;
      checked.add(name);
      refresh(name).catch(() => {});
    },
    failed: (name: string): boolean => memory.get(name)?.failed != null,
    deprecation: (name: string, version: string): string | null | undefined =>
      memory.get(name)?.metadata.versions[version]?.deprecated,
    onChecked(listener: (name: string) => void): void {
      listeners.push(listener);
    },
  };
}
