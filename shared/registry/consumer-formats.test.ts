import { describe, expect, it } from 'vitest';
import type { PackageMetadata, PublishedVersion } from './types';
import { parseManifest, serializeManifest } from './manifest';
import { lockMismatch, parseLockfile, serializeLockfile } from './lockfile';
import type { Lockfile } from './lockfile';
import { graphToLockfile, resolveGraph } from './resolve-graph';
import type { GraphSource } from './resolve-graph';

const INTEGRITY = `sha512-${'A'.repeat(86)}==`;

/** Metadata of a package from `version → dependencies`. */
function meta(name: string, versions: Record<string, Record<string, string>>, deprecated: Record<string, string> = {}) {
  const records: Record<string, PublishedVersion> = {};
  for (const [version, dependencies] of Object.entries(versions))
    records[version] = {
      version,
      integrity: INTEGRITY,
      size: 1,
      publishedAt: '2026-01-01T00:00:00.000Z',
      publishedBy: 'ed',
      author: 'ed',
      changelog: '',
      changeClass: 'minor',
      override: null,
      dependencies,
      prompts: [],
      deprecated: deprecated[version] ?? null,
    };
  return { name, projectId: 'p1', setId: name, description: '', distTags: {}, versions: records, time: {} };
}

function source(...metas: PackageMetadata[]): GraphSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    metadata: async (name) => {
      asked.push(name);
      return metas.find((m) => m.name === name) ?? null;
    },
  };
}

describe('anvil.json', () => {
  it('reads a manifest and writes it back sorted', () => {
    const m = parseManifest('{"dependencies":{"@b/x":"^1.0.0","@a/y":"~2.1"},"registry":"http://localhost:4000"}');
    expect(m).toEqual({ registry: 'http://localhost:4000', dependencies: { '@b/x': '^1.0.0', '@a/y': '~2.1' } });
    expect(serializeManifest(m)).toBe(
      '{\n  "registry": "http://localhost:4000",\n  "dependencies": {\n    "@a/y": "~2.1",\n    "@b/x": "^1.0.0"\n  }\n}\n',
    );
    expect(parseManifest(serializeManifest(m))).toEqual(m);
  });

  it('refuses bad manifests naming the field and why', () => {
    const bad = (text: string) => {
      try {
        parseManifest(text);
      } catch (e) {
        return e as { code: string; message: string };
      }
      throw new Error('accepted');
    };
    expect(bad('{')).toMatchObject({
      code: 'invalid_manifest',
      message: expect.stringContaining('anvil.json: not JSON'),
    });
    expect(bad('{}').message).toContain('no "dependencies"');
    expect(bad('{"dependencies":{"@acme/x":"not a range"}}').message).toContain('not a valid semver range');
    expect(bad('{"dependencies":{"acme/x":"^1"}}').message).toContain('is not of the form @project/set');
    expect(bad('{"dependencies":{},"registry":"ftp://x"}').message).toContain('registry');
    expect(bad('{"dependencies":{},"extra":1}').message).toContain('extra');
  });
});

describe('anvil-lock.json', () => {
  const lock: Lockfile = {
    lockfileVersion: 1,
    dependencies: { '@acme/support': '^1.0.0' },
    sets: {
      '@acme/support': {
        version: '1.2.0',
        integrity: INTEGRITY,
        ranges: ['^1.0.0'],
        dependencies: { '@acme/common': '^1.0.0' },
      },
      '@acme/common': { version: '1.1.0', integrity: INTEGRITY, ranges: ['^1.0.0', '1.x'], dependencies: {} },
    },
  };

  it('serialises canonically: sets, ranges and keys sorted, whatever the input order', () => {
    const text = serializeLockfile(lock);
    expect(text.indexOf('@acme/common')).toBeLessThan(text.indexOf('"@acme/support": {'));
    const shuffled: Lockfile = {
      sets: {
        '@acme/common': {
          ...(lock.sets['@acme/common'] as Lockfile['sets'][string]),
          ranges: ['1.x', '^1.0.0', '1.x'],
        },
        '@acme/support': lock.sets['@acme/support'] as Lockfile['sets'][string],
      },
      dependencies: lock.dependencies,
      lockfileVersion: 1,
    };
    expect(serializeLockfile(shuffled)).toBe(text);
    expect(serializeLockfile(parseLockfile(text))).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('refuses a broken or inconsistent lock with a clear message', () => {
    const bad = (value: unknown) => {
      try {
        parseLockfile(typeof value === 'string' ? value : JSON.stringify(value));
      } catch (e) {
        return (e as Error & { code: string }).code + ': ' + (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad('[')).toContain('invalid_lockfile: anvil-lock.json: not JSON');
    expect(bad({ ...lock, lockfileVersion: 9 })).toContain('lockfileVersion 9 is not one');
    const noCommon = { ...lock, sets: { '@acme/support': lock.sets['@acme/support'] } };
    expect(bad(noCommon)).toContain('@acme/support@1.2.0 needs @acme/common (^1.0.0), which the lock does not have');
    const wrongRange = { ...lock, dependencies: { '@acme/support': '^2.0.0' } };
    expect(bad(wrongRange)).toContain('needs @acme/support ^2.0.0, but the lock has 1.2.0');
    const badIntegrity = JSON.parse(serializeLockfile(lock)) as Lockfile;
    (badIntegrity.sets['@acme/common'] as { integrity: string }).integrity = 'sha1-abc';
    expect(bad(badIntegrity)).toContain('sets["@acme/common"].integrity');
  });

  it('says why a lock no longer answers its manifest', () => {
    expect(lockMismatch(lock, { dependencies: { '@acme/support': '^1.0.0' } })).toBeNull();
    expect(lockMismatch(lock, { dependencies: { '@acme/support': '^2.0.0' } })).toContain('wants @acme/support ^2.0.0');
    expect(lockMismatch(lock, { dependencies: {} })).toContain('still has @acme/support');
    expect(lockMismatch(lock, { dependencies: { '@acme/support': '^1.0.0', '@x/y': '1' } })).toContain('@x/y');
  });
});

describe('resolveGraph', () => {
  const common = meta('@acme/common', { '1.0.0': {}, '1.1.0': {}, '1.2.0-beta.1': {}, '2.0.0': {} });
  const support = meta('@acme/support', {
    '1.0.0': { '@acme/common': '^1.0.0' },
    '1.3.0': { '@acme/common': '~1.0.0' },
    '2.0.0': { '@acme/common': '^2.0.0' },
  });

  it('resolves transitive dependencies, one version per set, by node-semver', async () => {
    const graph = await resolveGraph({ dependencies: { '@acme/support': '^1.0.0' } }, source(common, support));
    expect(graph.sets['@acme/support']).toMatchObject({ version: '1.3.0', ranges: ['^1.0.0'] });
    expect(graph.sets['@acme/common']).toMatchObject({ version: '1.0.0', ranges: ['~1.0.0'] });
    // Both the app and a set want common: the highest version satisfying both.
    const both = await resolveGraph(
      { dependencies: { '@acme/support': '1.0.0', '@acme/common': '>=1.0.0' } },
      source(common, support),
    );
    expect(both.sets['@acme/common']).toMatchObject({ version: '1.1.0', ranges: ['>=1.0.0', '^1.0.0'] });
    const lock = graphToLockfile({ dependencies: { '@acme/support': '1.0.0', '@acme/common': '>=1.0.0' } }, both);
    expect(parseLockfile(serializeLockfile(lock))).toEqual(lock);
  });

  it('takes prereleases only as node-semver does', async () => {
    const g1 = await resolveGraph({ dependencies: { '@acme/common': '^1.0.0' } }, source(common));
    expect(g1.sets['@acme/common']?.version).toBe('1.1.0');
    const g2 = await resolveGraph({ dependencies: { '@acme/common': '>=1.2.0-beta.0 <1.3.0' } }, source(common));
    expect(g2.sets['@acme/common']?.version).toBe('1.2.0-beta.1');
  });

  it('keeps a preferred (locked) version while it satisfies, as npm keeps a lock', async () => {
    const g = await resolveGraph({ dependencies: { '@acme/common': '^1.0.0' } }, source(common), {
      preferred: { '@acme/common': '1.0.0' },
    });
    expect(g.sets['@acme/common']?.version).toBe('1.0.0');
    const moved = await resolveGraph({ dependencies: { '@acme/common': '^2.0.0' } }, source(common), {
      preferred: { '@acme/common': '1.0.0' },
    });
    expect(moved.sets['@acme/common']?.version).toBe('2.0.0');
  });

  it('re-walks when a pick changes the dependencies it brings', async () => {
    // The app pins support below 1.3 indirectly: 1.3.0 would bring common ~1.0.0, but the app wants common 1.1.
    const g = await resolveGraph(
      { dependencies: { '@acme/support': '^1.0.0', '@acme/common': '1.1.0' } },
      source(common, support),
    ).catch((e: Error) => e);
    expect(g).toBeInstanceOf(Error);
    expect((g as Error & { code: string }).code).toBe('dependency_conflict');
    expect((g as Error).message).toContain('anvil.json → @acme/common@1.1.0');
    expect((g as Error).message).toContain('anvil.json → @acme/support@1.3.0 → @acme/common@~1.0.0');
  });

  it('reports an unsatisfiable range and an unknown package with the path', async () => {
    const app = meta('@acme/app', { '1.0.0': { '@acme/common': '^3.0.0' } });
    const e = (await resolveGraph({ dependencies: { '@acme/app': '*' } }, source(common, app)).catch(
      (x: unknown) => x,
    )) as Error & { code: string };
    expect(e.code).toBe('unsatisfiable_range');
    expect(e.message).toBe(
      'anvil.json → @acme/app@1.0.0 → @acme/common@^3.0.0: no published version of @acme/common satisfies ^3.0.0 (published: 1.0.0, 1.1.0, 1.2.0-beta.1, 2.0.0)',
    );
    const missing = (await resolveGraph({ dependencies: { '@acme/nope': '*' } }, source()).catch(
      (x: unknown) => x,
    )) as Error & { code: string };
    expect(missing.code).toBe('unknown_package');
    expect(missing.message).toContain('anvil.json → @acme/nope@*');
  });

  it('reads each package once and reports deprecations', async () => {
    const dep = meta('@acme/common', { '1.0.0': {} }, { '1.0.0': 'use 2.x' });
    const src = source(dep, support);
    const g = await resolveGraph({ dependencies: { '@acme/support': '1.0.0', '@acme/common': '1' } }, src);
    expect(g.sets['@acme/common']?.deprecated).toBe('use 2.x');
    expect(src.asked.sort()).toEqual(['@acme/common', '@acme/support']);
  });
});
