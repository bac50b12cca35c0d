import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PromptSetContent } from '../../shared/domain/prompt-set';
import { AnvilError } from '../../shared/domain/result';
import { bundleContent, readBundle } from '../../shared/registry/bundle';
import type { BundleDocument } from '../../shared/registry/types';
import type { DiskCache } from './disk-cache';
import { AnvilSdkError } from './errors';
import type { Source } from './memory-cache';
import type { RegistryClient } from './registry-client';

export interface LoadedBundle {
  document: BundleDocument;
  content: PromptSetContent;
  integrity: string;
  source: Source;
}

/** `<vendorDir>/@project/set/<version>.json`: names are validated (`[a-z0-9._-]`), so they are safe paths. */
export function vendorPath(vendorDir: string, name: string, version: string): string {
  const [project, set] = name.slice(1).split('/') as [string, string];
  return join(vendorDir, `@${project}`, set, `${version}.json`);
}

/**
 * A bundle by name, version and integrity, from the first layer that has a copy that verifies: memory, the
 * vendored folder, the disk cache, then the registry (whose download is verified, then cached). A copy that
 * fails verification is reported (`onProblem`) and skipped, never rendered.
 */
export function createLoader(options: {
  vendorDir: string | null;
  cache: DiskCache;
  client: RegistryClient | null;
  onProblem: (e: AnvilError) => void;
}) {
  const memory = new Map<string, LoadedBundle>();
  const inflight = new Map<string, Promise<LoadedBundle>>();

  const fromVendor = async (name: string, version: string, integrity: string): Promise<LoadedBundle | null> => {
    if (!options.vendorDir) return null;
    const path = vendorPath(options.vendorDir, name, version);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch {
      return null;
    }
    try {
      const b = await readBundle(bytes, { integrity, name, version });
      return { document: b.document, content: bundleContent(b.document), integrity, source: 'vendor' };
    } catch (err) {
      const e = err as AnvilError;
      options.onProblem(
        new AnvilError({
          code: e.code ?? 'invalid_bundle',
          message: `the vendored bundle ${name}@${version} (${path}) failed verification and is not used: ${e.message}`,
          path,
        }),
      );
      return null;
    }
  };

  const load = async (name: string, version: string, integrity: string): Promise<LoadedBundle> => {
    const vendored = await fromVendor(name, version, integrity);
    if (vendored) return vendored;
    const cached = await options.cache.readBundle(integrity, { name, version });
    if (cached)
      return { document: cached.document, content: bundleContent(cached.document), integrity, source: 'cache' };
    if (!options.client)
      throw new AnvilSdkError({
        code: 'unavailable',
        message: `no copy of ${name}@${version} is available: it is neither vendored nor in the cache (${options.cache.dir}), and no registry is configured`,
      });
    let bundle;
    try {
      bundle = await options.client.bundle(name, version, integrity);
    } catch (err) {
      const e = err as AnvilSdkError;
      if (e.code !== 'registry_unreachable' && e.code !== 'registry_error') throw e;
      throw new AnvilSdkError({
        code: 'unavailable',
        message: `no copy of ${name}@${version} is available: it is neither vendored nor in the cache (${options.cache.dir}), and ${e.message}`,
        cause: e,
      });
    }
    await options.cache.writeBundle(bundle);
    return { document: bundle.document, content: bundleContent(bundle.document), integrity, source: 'registry' };
  };

  return {
    /** Shared by concurrent callers; kept in memory once loaded (bundles are immutable). */
    get(name: string, version: string, integrity: string): Promise<LoadedBundle> {
      const hit = memory.get(integrity);
      if (hit && hit.document.manifest.name === name && hit.document.manifest.version === version)
        return Promise.resolve(hit);
      let p = inflight.get(integrity);
      if (!p) {
        p = load(name, version, integrity).then(
          (b) => {
            memory.set(integrity, b);
            inflight.delete(integrity);
            return b;
          },
          (e: unknown) => {
            inflight.delete(integrity);
            throw e;
          },
        );
        inflight.set(integrity, p);
      }
      return p;
    },
  };
}

export type Loader = ReturnType<typeof createLoader>;
