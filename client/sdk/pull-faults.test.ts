// The SDK's pull when a download fails or the caller stops it: nothing written after it settles, the previous
// lock and vendored folder kept. A `fetch` of the test's own decides what each bundle download does.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeManifest } from '../../shared/registry/manifest';
import type { ConsumerManifest } from '../../shared/registry/manifest';
import type { AnvilSdkError } from './errors';
import { pull } from './pull';
import type { FetchLike } from './registry-client';
import type { TestRegistry } from './testing';
import { commonSet, startRegistry, supportSet } from './testing';

const dirs: string[] = [];
const temp = (label: string): string => {
  const d = mkdtempSync(join(tmpdir(), `anvil-pull-faults-${label}-`));
  dirs.push(d);
  return d;
};

let server: TestRegistry;
beforeAll(async () => {
  server = await startRegistry(temp('server'));
  await server.publish(commonSet('c1'), '1.0.0');
  await server.publish(supportSet('s1'), '1.0.0');
  await server.publish(supportSet('s2'), '1.1.0');
}, 30_000);
afterAll(async () => {
  await server?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function project(manifest: ConsumerManifest) {
  const dir = temp('app');
  const paths = {
    dir,
    manifest: join(dir, 'anvil.json'),
    lockfile: join(dir, 'anvil-lock.json'),
    cacheDir: join(dir, 'cache'),
    vendorDir: join(dir, 'prompts'),
  };
  writeFileSync(paths.manifest, serializeManifest(manifest));
  return paths;
}

function tree(dir: string): Record<string, string> {
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return {};
  }
  const files: Record<string, string> = {};
  for (const e of entries.sort())
    if (statSync(join(dir, e)).isFile()) files[e] = readFileSync(join(dir, e)).toString('base64');
  return files;
}

const tmpFiles = (dir: string) => Object.keys(tree(dir)).filter((f) => f.endsWith('.tmp'));

/** A pulled project (support@1.0.0 and common, vendored), whose anvil.json then moves to support ^1.1.0. */
async function pulledThenBumped() {
  const p = project({ dependencies: { '@acme/support': '~1.0.0' } });
  await pull({ ...p, registry: server.url, token: server.token });
  writeFileSync(p.manifest, serializeManifest({ dependencies: { '@acme/support': '^1.1.0' } }));
  return { p, before: { lock: readFileSync(p.lockfile, 'utf8'), vendor: tree(p.vendorDir) } };
}

/** A bundle download that answers only when the test says so, or fails when its request is aborted. */
function heldFetch(hold: (url: string) => boolean) {
  const held: { url: string; signal: AbortSignal; release: () => void }[] = [];
  let arrived: () => void = () => {};
  const first = new Promise<void>((r) => (arrived = r));
  const fetchLike: FetchLike = (url, init) => {
    if (!hold(url)) return fetch(url, init);
    return new Promise<Response>((resolve, reject) => {
      const signal = init?.signal as AbortSignal;
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      held.push({ url, signal, release: () => resolve(fetch(url, { ...init, signal: undefined })) });
      arrived();
    });
  };
  return { fetch: fetchLike, held, first };
}

describe('a pull that fails or is stopped', () => {
  it('one download failing stops the others before pull rejects: nothing is written after it settles', async () => {
    const p = project({ dependencies: { '@acme/support': '^1.0.0' } });
    const slow = heldFetch((url) => url.includes('/@acme/common/-/'));
    const broken: FetchLike = async (url, init) => {
      if (!url.includes('/@acme/support/-/')) return slow.fetch(url, init);
      // support's bytes with one changed: refused; wait until common's download is underway first.
      await slow.first;
      const res = await fetch(url, init);
      const bytes = new Uint8Array(await res.arrayBuffer());
      bytes[10] = bytes[10] === 0x61 ? 0x62 : 0x61;
      return new Response(bytes, { status: 200, headers: res.headers });
    };
    const error = (await pull({ ...p, registry: server.url, token: server.token, fetch: broken }).catch(
      (e: unknown) => e,
    )) as AnvilSdkError;
    expect(error.code).toBe('integrity_mismatch');
    expect(error.message).toMatch(/^bundle @acme\/support@1\.1\.0: its bytes do not match their integrity/);
    // common's download was abandoned before pull answered, so it cannot land in the cache later.
    expect(slow.held.map((h) => h.signal.aborted)).toEqual([true]);
    expect(tree(p.dir)).toEqual({ 'anvil.json': expect.any(String) });
  });

  it('a signal aborted mid-download: rejects at once with `interrupted`, the previous state kept', async () => {
    const { p, before } = await pulledThenBumped();
    const cache = tree(p.cacheDir);
    const slow = heldFetch((url) => url.includes('/-/'));
    const stop = new AbortController();
    const pulling = pull({ ...p, registry: server.url, token: server.token, fetch: slow.fetch, signal: stop.signal });
    await slow.first;
    const t0 = Date.now();
    stop.abort();
    const error = (await pulling.catch((e: unknown) => e)) as AnvilSdkError;
    expect(Date.now() - t0).toBeLessThan(500);
    expect(error.code).toBe('interrupted');
    expect(readFileSync(p.lockfile, 'utf8')).toBe(before.lock);
    expect(tree(p.vendorDir)).toEqual(before.vendor);
    expect(tree(p.cacheDir)).toEqual(cache);
    expect(tmpFiles(p.dir)).toEqual([]);
  });

  it('a signal aborted once every bundle is verified: the lock and the vendored folder are not touched', async () => {
    const { p, before } = await pulledThenBumped();
    const stop = new AbortController();
    const error = (await pull({
      ...p,
      registry: server.url,
      token: server.token,
      signal: stop.signal,
      onProgress: (e) => {
        if (e.done === e.total) stop.abort();
      },
    }).catch((e: unknown) => e)) as AnvilSdkError;
    expect(error.code).toBe('interrupted');
    expect(readFileSync(p.lockfile, 'utf8')).toBe(before.lock);
    expect(tree(p.vendorDir)).toEqual(before.vendor);
    expect(tmpFiles(p.dir)).toEqual([]);
    // Then a pull to the end.
    const done = await pull({ ...p, registry: server.url, token: server.token });
    expect(done.changed).toBe(true);
    expect(Object.keys(tree(p.vendorDir))).toEqual([
      join('@acme', 'common', '1.0.0.json'),
      join('@acme', 'support', '1.1.0.json'),
    ]);
  });

  it('a vendored file that cannot be written: the ones written before it are removed, no lock written', async () => {
    const p = project({ dependencies: { '@acme/support': '^1.0.0' } });
    // A folder where support's vendored file goes: its rename fails, after common's file was written.
    mkdirSync(join(p.vendorDir, '@acme', 'support', '1.1.0.json'), { recursive: true });
    const error = (await pull({ ...p, registry: server.url, token: server.token }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/1\.1\.0\.json/);
    // common's file and folder gone, support's blocker untouched; the lock not written (the verified bundles
    // stay in the cache: it is addressed by content).
    expect(readdirSync(join(p.vendorDir, '@acme'))).toEqual(['support']);
    expect(tree(p.vendorDir)).toEqual({});
    expect(() => readFileSync(p.lockfile)).toThrow(/ENOENT/);
    expect(tmpFiles(p.dir)).toEqual([]);
  });

  it("pruning the vendored folder removes a dead process's temp file, never a running writer's", async () => {
    const p = project({ dependencies: { '@acme/common': '^1.0.0' } });
    await pull({ ...p, registry: server.url, token: server.token });
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const folder = join(p.vendorDir, '@acme', 'common');
    const stale = join(folder, `1.0.0.json.${dead}.0123456789ab.tmp`);
    const live = join(folder, `1.0.0.json.${process.ppid}.0123456789ab.tmp`);
    writeFileSync(stale, 'half');
    writeFileSync(live, 'half');
    await pull({ ...p, registry: server.url, token: server.token });
    expect(readdirSync(folder).sort()).toEqual(['1.0.0.json', `1.0.0.json.${process.ppid}.0123456789ab.tmp`]);
  });
});
