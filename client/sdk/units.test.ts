import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentHash } from '../../shared/domain/hash';
import { buildBundle } from '../../shared/registry/bundle';
import type { Bundle } from '../../shared/registry/types';
import { openDiskCache } from './disk-cache';
import { createRegistryClient } from './registry-client';
import type { FetchLike } from './registry-client';
import { parseRequest, resolveLive, selectionKey } from './resolver';
import { commonSet } from './testing';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'anvil-sdk-unit-'));
  dirs.push(d);
  return d;
};

async function bundle(marker = 'v1', version = '1.0.0'): Promise<Bundle> {
  const content = commonSet(marker);
  return buildBundle({
    content,
    projectName: 'acme',
    version,
    author: 'ed',
    createdAt: '2026-01-01T00:00:00.000Z',
    changelog: '',
    changeClass: 'minor',
    override: null,
    contentHash: await contentHash(content),
  });
}

describe('cache keys', () => {
  it('a version, a range and a tag of the same set are different selections', () => {
    const keys = ['@a/s@1.2.0/p', '@a/s@1.2/p', '@a/s@^1.2.0/p', '@a/s@beta/p', '@a/s/p', '@a/s@latest/p'].map(
      (a) => parseRequest(a).key,
    );
    expect(new Set(keys).size).toBe(keys.length);
    // The prompt is not part of a selection: two prompts of one selection share its snapshot.
    expect(parseRequest('@a/s@beta/x').key).toBe(parseRequest('@a/s@beta/y').key);
    expect(selectionKey('@a/s', { kind: 'exact', version: '1.0.0' })).not.toBe(
      selectionKey('@a/s', { kind: 'range', range: '1.0.0' }),
    );
  });

  it('resolves live selectors against metadata, prereleases as node-semver does', () => {
    const meta = {
      name: '@a/s',
      projectId: 'p',
      setId: 's',
      description: '',
      distTags: { latest: '1.1.0', beta: '2.0.0-beta.1' },
      versions: Object.fromEntries(
        ['1.0.0', '1.1.0', '2.0.0-beta.1'].map((v) => [v, { version: v, integrity: `i-${v}` }]),
      ),
      time: {},
    } as never;
    const pick = (a: string, declared?: string) => resolveLive(parseRequest(a), meta, declared).version;
    expect(pick('@a/s@^1.0.0/p')).toBe('1.1.0');
    expect(pick('@a/s@^2.0.0-beta.0/p')).toBe('2.0.0-beta.1');
    expect(pick('@a/s@beta/p')).toBe('2.0.0-beta.1');
    expect(pick('@a/s/p')).toBe('1.1.0');
    expect(pick('@a/s/p', '~1.0.0')).toBe('1.0.0');
    expect(() => pick('@a/s@^2.0.0/p')).toThrow(
      /has no version in \^2\.0\.0 \(published: 1\.0\.0, 1\.1\.0, 2\.0\.0-beta\.1\)/,
    );
    expect(() => pick('@a/s@rc/p')).toThrow(/has no tag "rc" \(tags: latest, beta\)/);
  });
});

describe('disk cache', () => {
  it('verifies on every read: a tampered file is removed and reported, never returned', async () => {
    const problems: string[] = [];
    const cache = openDiskCache(temp(), (e) => problems.push(e.code));
    const b = await bundle();
    await cache.writeBundle(b);
    const read = await cache.readBundle(b.integrity, { name: '@acme/common', version: '1.0.0' });
    expect(read?.document.manifest.version).toBe('1.0.0');
    const path = cache.bundlePath(b.integrity);
    writeFileSync(path, readFileSync(path, 'utf8').replace('v1', 'v2'));
    expect(await cache.readBundle(b.integrity, { name: '@acme/common', version: '1.0.0' })).toBeNull();
    expect(problems).toEqual(['integrity_mismatch']);
    expect(() => readFileSync(path)).toThrow();
  });

  it('concurrent writers of one entry leave one whole file and no temp files', async () => {
    const dir = temp();
    const b = await bundle();
    const caches = Array.from({ length: 8 }, () => openDiskCache(dir));
    await Promise.all(caches.flatMap((c) => [c.writeBundle(b), c.writeBundle(b)]));
    expect(readdirSync(join(dir, 'bundles'))).toHaveLength(1);
    expect(await caches[0]?.readBundle(b.integrity, { name: '@acme/common', version: '1.0.0' })).not.toBeNull();
  });

  it('keeps metadata with its ETag and fetch time; a corrupt entry reads as absent', async () => {
    const cache = openDiskCache(temp());
    const metadata = { name: '@a/s', versions: {} } as never;
    await cache.writeMetadata('@a/s', { metadata, etag: '"x"', fetchedAt: 5 });
    expect(await cache.readMetadata('@a/s')).toEqual({ metadata, etag: '"x"', fetchedAt: 5 });
    writeFileSync(join(cache.dir, 'metadata', `${encodeURIComponent('@a/s')}.json`), '{');
    expect(await cache.readMetadata('@a/s')).toBeNull();
  });
});

describe('registry client', () => {
  const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(status === 304 ? null : typeof body === 'string' ? body : JSON.stringify(body), { status, headers });

  it('retries 5xx and network errors with backoff, then answers a typed error', async () => {
    const waits: number[] = [];
    let calls = 0;
    const client = createRegistryClient({
      registry: 'http://registry.test/',
      fetch: (async () => {
        calls++;
        if (calls === 1) throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
        return answer(503, { error: { code: 'busy', message: 'try later' } });
      }) as FetchLike,
      retries: 3,
      backoffMs: 10,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await expect(client.metadata('@a/s')).rejects.toMatchObject({
      code: 'registry_error',
      status: 503,
      message: 'could not fetch the metadata of @a/s: try later',
    });
    expect(calls).toBe(4);
    expect(waits).toEqual([10, 20, 40]);
  });

  it('does not retry a refusal, and keeps the server code', async () => {
    let calls = 0;
    const client = createRegistryClient({
      registry: 'http://registry.test',
      fetch: (async () => {
        calls++;
        return answer(404, { error: { code: 'unknown_package', message: 'No package @a/s.' } });
      }) as FetchLike,
      sleep: async () => {},
    });
    await expect(client.metadata('@a/s')).rejects.toMatchObject({ code: 'unknown_package', status: 404 });
    expect(calls).toBe(1);
  });

  it('times out a hung registry within the bound', async () => {
    const client = createRegistryClient({
      registry: 'http://registry.test',
      fetch: ((_url: string, init?: RequestInit) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        })) as FetchLike,
      timeoutMs: 50,
      retries: 1,
      sleep: async () => {},
    });
    const started = Date.now();
    await expect(client.metadata('@a/s')).rejects.toMatchObject({
      code: 'registry_unreachable',
      message: expect.stringContaining('no answer within 50 ms'),
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('sends If-None-Match and reads 304; refuses a bundle whose bytes do not match', async () => {
    const b = await bundle();
    const seen: (string | null)[] = [];
    const client = createRegistryClient({
      registry: 'http://registry.test',
      fetch: (async (url: string, init?: RequestInit) => {
        seen.push(new Headers(init?.headers).get('if-none-match'));
        if (url.includes('/-/')) return answer(200, new TextDecoder().decode(b.bytes).replace('v1', 'v2'));
        return answer(304, '', { etag: '"e1"' });
      }) as FetchLike,
      sleep: async () => {},
    });
    expect(await client.metadata('@acme/common', '"e1"')).toEqual({ notModified: true, etag: '"e1"' });
    expect(seen).toEqual(['"e1"']);
    await expect(client.bundle('@acme/common', '1.0.0', b.integrity)).rejects.toMatchObject({
      code: 'integrity_mismatch',
    });
  });
});
