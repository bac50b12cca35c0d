import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeManifest } from '../../shared/registry/manifest';
import type { ConsumerManifest } from '../../shared/registry/manifest';
import { createAnvil } from './anvil';
import type { Anvil, UpdateEvent } from './anvil';
import type { AnvilSdkError } from './errors';
import { pull } from './pull';
import type { TestRegistry } from './testing';
import { commonSet, startRegistry, supportSet } from './testing';

const dirs: string[] = [];
const temp = (label: string): string => {
  const d = mkdtempSync(join(tmpdir(), `anvil-sdk-${label}-`));
  dirs.push(d);
  return d;
};
const opened: Anvil[] = [];
const open = (o: Parameters<typeof createAnvil>[0]): Anvil => {
  const a = createAnvil(o);
  opened.push(a);
  return a;
};

let server: TestRegistry;
beforeAll(async () => {
  server = await startRegistry(temp('server'));
  await server.publish(commonSet('c1.0.0'), '1.0.0');
  await server.publish(supportSet('s1.0.0'), '1.0.0');
}, 30_000);
afterAll(async () => {
  for (const a of opened) await a.close();
  await server?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A consumer project: anvil.json, and where its lock, cache and vendored bundles go. */
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

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 3_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('pull and locked rendering', () => {
  it('pulls two sets with a dependency, then renders a partial of the other set offline', async () => {
    const p = project({ dependencies: { '@acme/support': '^1.0.0' } });
    const first = await pull({ ...p, registry: server.url, token: server.token });
    expect(first.changed).toBe(true);
    expect(Object.keys(first.lockfile.sets)).toEqual(['@acme/common', '@acme/support']);
    expect(first.lockfile.sets['@acme/common']).toMatchObject({ version: '1.0.0', ranges: ['^1.0.0'] });
    const text = readFileSync(p.lockfile, 'utf8');
    expect(text).toBe(first.text);

    // Twice: byte-identical, nothing rewritten; and with no registry at all (offline), the same.
    const again = await pull({ ...p, registry: server.url, token: server.token });
    expect(again).toMatchObject({ changed: false, downloaded: 0 });
    const offline = await pull({ ...p, registry: null, frozen: true });
    expect(offline.changed).toBe(false);
    expect(readFileSync(p.lockfile, 'utf8')).toBe(text);
    expect(readdirSync(p.vendorDir).sort()).toEqual(['@acme']);

    const anvil = open({ ...p, registry: null, mode: 'locked' });
    const greet = await anvil.getOrThrow('@acme/support/greet', { customer: 'Ada' });
    expect(greet).toMatchObject({
      kind: 'text',
      text: 'Hello Ada (s1.0.0)\n-- The Acme team (c1.0.0)',
      name: '@acme/support',
      prompt: 'greet',
      version: '1.0.0',
      source: 'vendor',
      fallback: false,
      deprecated: null,
    });
    expect(greet.parameters).toMatchObject({ type: 'object', required: ['customer'] });
    expect((await greet.tokens).tokens).toBeGreaterThan(5);

    const triage = await anvil.getOrThrow(
      '@acme/support/triage',
      { ticket: 'My order is late' },
      { history: [{ role: 'user', content: 'hi' }] },
    );
    expect(triage.kind === 'chat' && triage.messages).toEqual([
      { role: 'system', content: 'Sort tickets.' },
      { role: 'user', content: 'hi' },
      { role: 'user', content: 'My order is late' },
    ]);
    expect(triage.model).toEqual({ provider: 'openai', model: 'gpt-4o' });

    // Without the vendored folder, from the disk cache.
    const fromCache = open({ cacheDir: p.cacheDir, lockfile: p.lockfile, mode: 'locked' });
    expect((await fromCache.getOrThrow('@acme/support/greet', { customer: 'Bo' })).source).toBe('cache');
  });

  it('validates parameters before rendering, naming the parameter and why', async () => {
    const p = project({ dependencies: { '@acme/support': '^1.0.0' } });
    await pull({ ...p, registry: server.url, token: server.token });
    const anvil = open({ ...p, mode: 'locked' });
    const missing = await anvil.get('@acme/support/greet', {});
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.error).toMatchObject({
      code: 'invalid_parameters',
      message: 'customer is required',
      address: '@acme/support/greet',
    });
    const wrong = await anvil.get('@acme/support/greet', { customer: 3, extra: 1 });
    expect(!wrong.ok && wrong.error.message).toBe(
      'customer should be string, got number; extra is not a parameter of this prompt',
    );
    await expect(anvil.getOrThrow('@acme/support/nope', {})).rejects.toMatchObject({
      code: 'unknown_prompt',
      message: '@acme/support/nope: @acme/support@1.0.0 has no prompt "nope" (it has greet, triage)',
    });
    await expect(anvil.getOrThrow('@acme/other/x', {})).rejects.toMatchObject({ code: 'not_in_lock' });
    await expect(anvil.getOrThrow('@acme/support@2.0.0/greet', {})).rejects.toMatchObject({ code: 'not_locked' });
    await expect(anvil.getOrThrow('acme/support/greet', {})).rejects.toMatchObject({ code: 'invalid_address' });
  });

  it('pull --frozen with an outdated lock fails with a clear message and changes nothing', async () => {
    const p = project({ dependencies: { '@acme/support': '^1.0.0' } });
    await expect(pull({ ...p, registry: server.url, token: server.token, frozen: true })).rejects.toMatchObject({
      code: 'lock_outdated',
      message: expect.stringContaining('there is no lock file'),
    });
    await pull({ ...p, registry: server.url, token: server.token });
    const before = readFileSync(p.lockfile, 'utf8');
    writeFileSync(p.manifest, serializeManifest({ dependencies: { '@acme/support': '^1.0.0', '@acme/common': '1' } }));
    const err = (await pull({ ...p, registry: server.url, token: server.token, frozen: true }).catch(
      (e: unknown) => e,
    )) as AnvilSdkError;
    expect(err.code).toBe('lock_outdated');
    expect(err.message).toBe(
      `the lock file would change (anvil.json depends on @acme/common 1, which the lock file does not have); run \`anvil pull\` without --frozen and commit ${p.lockfile}`,
    );
    expect(readFileSync(p.lockfile, 'utf8')).toBe(before);
  });

  it('detects a tampered cache file: refetched from the registry, refused without one', async () => {
    const p = project({ dependencies: { '@acme/support': '^1.0.0' } });
    await pull({ ...p, registry: server.url, token: server.token });
    const bundles = join(p.cacheDir, 'bundles');
    for (const f of readdirSync(bundles)) {
      const path = join(bundles, f);
      writeFileSync(path, readFileSync(path, 'utf8').replace('The Acme team', 'The Evil team'));
    }
    const offline = open({ cacheDir: p.cacheDir, lockfile: p.lockfile, mode: 'locked' });
    const warnings: AnvilSdkError[] = [];
    offline.on('warning', (w) => warnings.push(w));
    const refused = await offline.get('@acme/support/greet', { customer: 'Ada' });
    expect(!refused.ok && refused.error).toMatchObject({ code: 'unavailable', address: '@acme/support/greet' });
    expect(warnings.map((w) => w.code)).toContain('integrity_mismatch');

    // Tamper again (the bad file was removed), then with the registry: refetched and verified.
    await pull({ ...p, registry: server.url, token: server.token });
    for (const f of readdirSync(bundles)) writeFileSync(join(bundles, f), '{"truncated');
    const online = open({
      cacheDir: p.cacheDir,
      lockfile: p.lockfile,
      mode: 'locked',
      registry: server.url,
      token: server.token,
    });
    const ok = await online.getOrThrow('@acme/support/greet', { customer: 'Ada' });
    expect(ok).toMatchObject({ source: 'registry', text: 'Hello Ada (s1.0.0)\n-- The Acme team (c1.0.0)' });
  });
});

describe('live mode', () => {
  it('a version, a range and a tag of the same set never share a cache entry', async () => {
    await server.publish(supportSet('s1.1.0'), '1.1.0');
    await server.publish(supportSet('s2.0.0-beta.1'), '2.0.0-beta.1');
    await server.setTag('@acme/support', 'beta', '2.0.0-beta.1');
    const p = project({ dependencies: {} });
    const anvil = open({ cacheDir: p.cacheDir, registry: server.url, token: server.token, mode: 'live' });
    const version = async (address: string) => (await anvil.getOrThrow(address, { customer: 'A' })).version;
    // In both orders, each selector gets its own answer.
    expect(await version('@acme/support@1.0.0/greet')).toBe('1.0.0');
    expect(await version('@acme/support@^1.0.0/greet')).toBe('1.1.0');
    expect(await version('@acme/support@beta/greet')).toBe('2.0.0-beta.1');
    expect(await version('@acme/support/greet')).toBe('1.1.0');
    expect(await version('@acme/support@1.0.0/greet')).toBe('1.0.0');
    const other = open({ cacheDir: p.cacheDir, registry: server.url, token: server.token, mode: 'live' });
    expect((await other.getOrThrow('@acme/support@beta/greet', { customer: 'A' })).version).toBe('2.0.0-beta.1');
    expect((await other.getOrThrow('@acme/support@1.0.0/greet', { customer: 'A' })).version).toBe('1.0.0');
    expect((await other.getOrThrow('@acme/support@1/greet', { customer: 'A' })).version).toBe('1.1.0');
  });

  it('picks up a new patch within a second and ignores a major outside the range', async () => {
    const p = project({ dependencies: { '@acme/support': '^1.0.0' } });
    const anvil = open({ ...p, lockfile: null, registry: server.url, token: server.token, mode: 'live' });
    const events: UpdateEvent[] = [];
    anvil.on('update', (e) => events.push(e));
    const before = await anvil.getOrThrow('@acme/support/greet', { customer: 'A' });
    expect(before.version).toBe('1.1.0');
    await anvil.ready();

    await server.publish(supportSet('s3.0.0'), '3.0.0');
    const started = Date.now();
    await server.publish(supportSet('s1.1.1'), '1.1.1');
    const after = await until('1.1.1', async () => {
      const r = await anvil.getOrThrow('@acme/support/greet', { customer: 'A' });
      return r.version === '1.1.1' ? r : undefined;
    });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(after).toMatchObject({ text: 'Hello A (s1.1.1)\n-- The Acme team (c1.0.0)' });
    expect(events).toContainEqual(expect.objectContaining({ name: '@acme/support', from: '1.1.0', to: '1.1.1' }));
    expect(events.some((e) => e.to === '3.0.0')).toBe(false);

    // A dependency's new patch reaches the sets rendering it.
    await server.publish(commonSet('c1.0.1'), '1.0.1');
    const dep = await until('common 1.0.1', async () => {
      const r = await anvil.getOrThrow('@acme/support/greet', { customer: 'A' });
      return r.kind === 'text' && r.text.includes('c1.0.1') ? r : undefined;
    });
    expect(dep.version).toBe('1.1.1');

    // Deprecation is reported on the result and as a warning.
    const warnings: AnvilSdkError[] = [];
    anvil.on('warning', (w) => warnings.push(w));
    await server.deprecate('@acme/support', '1.1.1', 'use 1.2');
    const deprecated = await until('deprecated', async () => {
      const r = await anvil.getOrThrow('@acme/support/greet', { customer: 'A' });
      return r.deprecated ? r : undefined;
    });
    expect(deprecated.deprecated).toBe('use 1.2');
    expect(warnings.map((w) => w.code)).toContain('deprecated');
  });
});

describe('live mode, polling', () => {
  it('follows /events when asked to poll, and no render ever mixes two versions', async () => {
    const p = project({ dependencies: { '@acme/support': '^1.0.0' } });
    const anvil = open({
      ...p,
      lockfile: null,
      registry: server.url,
      token: server.token,
      mode: 'live',
      feed: 'poll',
      pollMs: 50,
    });
    const first = await anvil.getOrThrow('@acme/support/greet', { customer: 'A' });
    await anvil.ready();
    const results: { version: string; text: string }[] = [];
    let stop = false;
    const load = (async () => {
      while (!stop) {
        const batch = await Promise.all(
          Array.from({ length: 20 }, () => anvil.getOrThrow('@acme/support/greet', { customer: 'A' })),
        );
        for (const r of batch) if (r.kind === 'text') results.push({ version: r.version, text: r.text });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await server.publish(supportSet('s1.2.0'), '1.2.0');
    await until('1.2.0', async () => (results.at(-1)?.version === '1.2.0' ? true : undefined));
    stop = true;
    await load;
    expect(first.version).not.toBe('1.2.0');
    // Each answer is one whole snapshot: its text is the text of the version it reports.
    for (const r of results) expect(r.text).toContain(`(s${r.version})`);
  });
});

describe('registry down', () => {
  it('serves the last verified version flagged as fallback, and a clear error when nothing is cached', async () => {
    const p = project({ dependencies: { '@acme/support': '^1.0.0' } });
    const warm = open({ ...p, lockfile: null, registry: server.url, token: server.token, mode: 'live' });
    const fresh = await warm.getOrThrow('@acme/support/greet', { customer: 'A' });
    expect(fresh.fallback).toBe(false);
    await warm.close();
    await server.stop();

    const cold = open({ ...p, lockfile: null, registry: server.url, token: server.token, mode: 'live', ttlMs: 0 });
    const started = Date.now();
    const served = await cold.getOrThrow('@acme/support/greet', { customer: 'A' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(served).toMatchObject({ version: fresh.version, source: 'cache', fallback: true });

    const empty = open({ cacheDir: temp('empty'), registry: server.url, token: server.token, mode: 'live' });
    const none = await empty.get('@acme/support/greet', { customer: 'A' });
    expect(none.ok).toBe(false);
    expect(!none.ok && none.error.code).toBe('unavailable');
    expect(!none.ok && none.error.message).toMatch(
      /^@acme\/support\/greet: nothing is cached for @acme\/support, and could not fetch the metadata of @acme\/support: the registry at http:\/\/127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED\)$/,
    );
  });
});
