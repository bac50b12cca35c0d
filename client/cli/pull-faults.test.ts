// `anvil pull` when things go wrong, as a person meets it: the program as a child process in front of a real
// registry server, through a proxy that interrupts or breaks bundle downloads at a known moment.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLockfile } from '../../shared/registry/lockfile';
import { openDiskCache } from '../sdk/disk-cache';
import { commonSet, startRegistry, supportSet } from '../sdk/testing';
import type { TestRegistry } from '../sdk/testing';
import { closedPortUrl, startFaultProxy } from './fault-proxy';
import type { FaultMode, FaultProxy } from './fault-proxy';
import { anvil } from './testing';
import { runConsumer } from './testing-in-process';

let root = '';
let registry: TestRegistry;
let n = 0;
const proxies: FaultProxy[] = [];
const proxy = async (mode: FaultMode) => {
  const p = await startFaultProxy(registry.url, mode);
  proxies.push(p);
  return p;
};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'anvil-pull-faults-'));
  registry = await startRegistry(join(root, 'server'));
  await registry.publish(commonSet('c1'), '1.0.0');
  await registry.publish(supportSet('v1'), '1.0.0');
  await registry.publish(supportSet('v2'), '1.1.0');
}, 60_000);

afterAll(async () => {
  for (const p of proxies) await p.close();
  await registry?.stop();
  rmSync(root, { recursive: true, force: true });
});

interface Project {
  cwd: string;
  env: Record<string, string>;
  lock: string;
  vendor: string;
  cache: string;
}

/** init + add (no pull yet): anvil.json names the real registry; commands below pass --registry. */
async function project(dependency: string): Promise<Project> {
  const cwd = join(root, `project-${++n}`);
  mkdirSync(cwd);
  const env = { ANVIL_CONFIG_DIR: join(cwd, '.config'), ANVIL_TOKEN: registry.token };
  const p = {
    cwd,
    env,
    lock: join(cwd, 'anvil-lock.json'),
    vendor: join(cwd, 'anvil_prompts'),
    cache: join(cwd, '.anvil', 'cache'),
  };
  expect((await inProcess(p, ['init', '--registry', registry.url])).code).toBe(0);
  expect((await inProcess(p, ['add', dependency])).code).toBe(0);
  return p;
}

const inProcess = (p: { cwd: string; env: Record<string, string> }, args: string[]) =>
  runConsumer(args, { cwd: p.cwd, env: p.env });

/**
 * The state before every fault: support@1.0.0 and common@1.0.0 pulled, vendored and cached; then anvil.json
 * moves to support ^1.1.0, so the next pull keeps common and downloads support@1.1.0 alone.
 */
async function pulledThenBumped(): Promise<Project> {
  const p = await project('@acme/support@~1.0.0');
  const pulled = await inProcess(p, ['pull', '--vendor']);
  expect(pulled.code, pulled.err).toBe(0);
  expect((await inProcess(p, ['add', '@acme/support@^1.1.0'])).code).toBe(0);
  return p;
}

/** Every file under `dir` (relative path → bytes as base64); {} when it does not exist. */
function tree(dir: string): Record<string, string> {
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return {};
  }
  const files: Record<string, string> = {};
  for (const e of entries.sort()) {
    const path = join(dir, e);
    if (statSync(path).isFile()) files[e] = readFileSync(path).toString('base64');
  }
  return files;
}

/** The project's pull output: the lock's bytes, the vendored folder and the cache. */
const snapshot = (p: Project) => ({ lock: readFileSync(p.lock, 'utf8'), vendor: tree(p.vendor), cache: tree(p.cache) });

/** Temp or partial files anywhere in the project (cache, vendored folder, beside the lock). */
const leftovers = (p: Project): string[] =>
  Object.keys(tree(p.cwd)).filter((f) => /\.tmp$|\.part$|\.partial$/.test(f) || f.includes('.tmp'));

const versions = (p: Project) =>
  Object.fromEntries(
    Object.entries(parseLockfile(readFileSync(p.lock, 'utf8'), p.lock).sets).map(([k, s]) => [k, s.version]),
  );

/** One line on stderr. */
const oneLine = (err: string): string[] => err.trim().split('\n');

describe('anvil pull interrupted with Ctrl-C', () => {
  it('mid-download: exits 130 at once with one line, the previous state intact, and the next pull completes', async () => {
    const p = await pulledThenBumped();
    const before = snapshot(p);
    const stall = await proxy('stall');
    let child: ChildProcess | null = null;
    const running = anvil(['pull', '--registry', stall.url], {
      cwd: p.cwd,
      env: p.env,
      onSpawn: (c) => (child = c),
    });
    // The child has the bundle's headers and half its body: it is downloading.
    await stall.reached(1);
    expect(stall.bundles).toEqual(['/api/registry/packages/@acme/support/-/1.1.0']);
    const sent = Date.now();
    (child as ChildProcess | null)?.kill('SIGINT');
    const r = await running;
    const took = Date.now() - sent;
    expect({ code: r.code, signal: r.signal }, r.err).toEqual({ code: 130, signal: null });
    expect(oneLine(r.err), r.err).toHaveLength(1);
    expect(r.err).toMatch(/^anvil pull: interrupted/);
    expect(took).toBeLessThan(3_000);

    expect(snapshot(p)).toEqual(before);
    expect(leftovers(p)).toEqual([]);

    stall.mode = 'pass';
    const next = await anvil(['pull', '--registry', stall.url], { cwd: p.cwd, env: p.env });
    expect(next.code, next.err).toBe(0);
    expect(next.out).toMatch(/wrote anvil-lock\.json \(2 sets\); downloaded [\d.]+ kB; vendored in anvil_prompts/);
    expect(versions(p)).toEqual({ '@acme/common': '1.0.0', '@acme/support': '1.1.0' });
    expect(Object.keys(tree(p.vendor))).toEqual([
      join('@acme', 'common', '1.0.0.json'),
      join('@acme', 'support', '1.1.0.json'),
    ]);
    expect(leftovers(p)).toEqual([]);
  }, 30_000);
});

describe('anvil pull with a broken download', () => {
  it.each([
    ['alter', 'integrity_mismatch', /bundle @acme\/support@1\.1\.0: its bytes do not match their integrity/],
    ['truncate', 'integrity_mismatch', /bundle @acme\/support@1\.1\.0: its bytes do not match their integrity/],
    ['drop', 'truncated', /bundle @acme\/support@1\.1\.0: .*truncated/],
  ] as const)(
    '%s: exit 2 naming the set and the cause; nothing written; a healthy pull then succeeds',
    async (mode, code, message) => {
      const p = await pulledThenBumped();
      const before = snapshot(p);
      const broken = await proxy(mode);
      const r = await anvil(['pull', '--registry', broken.url, '--json'], { cwd: p.cwd, env: p.env });
      expect(r.code, r.err).toBe(2);
      expect(oneLine(r.err), r.err).toHaveLength(1);
      expect(r.err).toMatch(message);
      expect(JSON.parse(r.out)).toMatchObject({ error: { code } });
      expect(broken.bundles.length).toBeGreaterThan(0);
      expect(broken.bundles.every((b) => b === '/api/registry/packages/@acme/support/-/1.1.0')).toBe(true);

      // The lock not written, the vendored folder and the cache as they were, no partial or temp file.
      expect(snapshot(p)).toEqual(before);
      expect(leftovers(p)).toEqual([]);

      const healthy = await inProcess(p, ['pull', '--registry', registry.url]);
      expect(healthy.code, healthy.err).toBe(0);
      expect(versions(p)).toEqual({ '@acme/common': '1.0.0', '@acme/support': '1.1.0' });
      expect(leftovers(p)).toEqual([]);
    },
    30_000,
  );
});

describe('anvil pull offline', () => {
  it('with a lock and a full cache, a registry on a closed port: twice, byte-identical lock and vendored files', async () => {
    const p = await project('@acme/support');
    expect((await inProcess(p, ['pull', '--vendor'])).code).toBe(0);
    const before = snapshot(p);
    const closed = await closedPortUrl();
    const first = await anvil(['pull', '--registry', closed], { cwd: p.cwd, env: p.env });
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('kept anvil-lock.json (2 sets); downloaded 0 B; vendored in anvil_prompts');
    expect(snapshot(p)).toEqual(before);
    // The second time from the environment's registry, and --frozen: the same bytes.
    const second = await anvil(['pull', '--frozen'], { cwd: p.cwd, env: { ...p.env, ANVIL_REGISTRY: closed } });
    expect(second.code, second.err).toBe(0);
    // The same report (its progress lines come in the order the sets were verified, which may differ).
    expect(second.out.split('\n').sort()).toEqual(first.out.split('\n').sort());
    expect(snapshot(p)).toEqual(before);
    expect(leftovers(p)).toEqual([]);
  }, 30_000);
});

describe('anvil pull twice at once', () => {
  it('two processes pulling one project into one cache both succeed; no torn or temp file', async () => {
    const p = await project('@acme/support');
    mkdirSync(p.vendor); // both vendor too: the folder exists
    const held = await proxy('hold');
    const pull = () => anvil(['pull', '--registry', held.url, '--json'], { cwd: p.cwd, env: p.env });
    const both = Promise.all([pull(), pull()]);
    // Both processes are downloading the same two bundles; let them all through at once.
    await held.reached(4);
    held.release();
    const [a, b] = await both;
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    expect(leftovers(p)).toEqual([]);

    const lock = parseLockfile(readFileSync(p.lock, 'utf8'), p.lock);
    for (const out of [a.out, b.out])
      expect(
        (JSON.parse(out) as { sets: { name: string; integrity: string }[] }).sets.map((s) => [s.name, s.integrity]),
      ).toEqual(Object.entries(lock.sets).map(([name, s]) => [name, s.integrity]));
    // Every cache entry and vendored file is whole: verified against the lock's integrity.
    const cache = openDiskCache(p.cache, (e) => {
      throw e;
    });
    for (const [name, s] of Object.entries(lock.sets)) {
      const bundle = await cache.readBundle(s.integrity, { name, version: s.version });
      expect(bundle, name).not.toBeNull();
      const vendored = readFileSync(join(p.vendor, ...name.split('/'), `${s.version}.json`));
      expect(Buffer.compare(vendored, bundle?.bytes ?? new Uint8Array()), name).toBe(0);
    }
    expect(Object.keys(tree(p.cache)).sort()).toEqual(
      Object.values(lock.sets)
        .map((s) => relative(p.cache, cache.bundlePath(s.integrity)))
        .sort(),
    );

    const frozen = await inProcess(p, ['pull', '--frozen', '--registry', await closedPortUrl()]);
    expect(frozen.code, frozen.err).toBe(0);
    expect(frozen.out).toContain('downloaded 0 B');
  }, 30_000);
});
