import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import semver from 'semver';
import { parseAddress, pickVersion, versionSatisfies } from './index';
import type { Selector } from './index';

const sel = (address: string): Selector => parseAddress(address).selector;
const published = ['1.0.0', '1.2.0', '1.2.5', '1.3.0-beta.1', '1.9.0', '2.0.0-rc.1', '2.0.0', '2.1.0', '3.0.0-beta.2'];
const tags = { latest: '2.1.0', beta: '3.0.0-beta.2' };

describe('versionSatisfies', () => {
  it('exact versions match only themselves', () => {
    expect(versionSatisfies('2.1.0', sel('@a/b@2.1.0'))).toBe(true);
    expect(versionSatisfies('2.1.1', sel('@a/b@2.1.0'))).toBe(false);
  });

  it('ranges treat prereleases exactly as node-semver does', () => {
    expect(versionSatisfies('1.3.0-beta.1', sel('@a/b@^1.2'))).toBe(false);
    expect(versionSatisfies('1.3.0-beta.2', sel('@a/b@^1.3.0-beta.1'))).toBe(true);
    expect(versionSatisfies('1.4.0-beta.1', sel('@a/b@^1.3.0-beta.1'))).toBe(false);
    expect(versionSatisfies('1.9.0', sel('@a/b@^1.2'))).toBe(true);
    expect(versionSatisfies('2.0.0', sel('@a/b@^1.2'))).toBe(false);
  });

  it('tags match the version the tag map names, and nothing when the tag is unknown', () => {
    expect(versionSatisfies('3.0.0-beta.2', sel('@a/b@beta'), tags)).toBe(true);
    expect(versionSatisfies('2.1.0', sel('@a/b@beta'), tags)).toBe(false);
    expect(versionSatisfies('2.1.0', sel('@a/b@nightly'), tags)).toBe(false);
  });

  it('refuses anything that is not a strict version', () => {
    expect(versionSatisfies('1.2', sel('@a/b'))).toBe(false);
    expect(versionSatisfies('01.0.0', sel('@a/b'))).toBe(false);
  });

  it('agrees with semver.satisfies on every range and version (property)', () => {
    const v = fc.tuple(
      fc.nat(4),
      fc.nat(4),
      fc.nat(4),
      fc.option(fc.constantFrom('alpha', 'beta.1'), { nil: undefined }),
    );
    const text = ([a, b, c, p]: [number, number, number, string | undefined]): string =>
      `${a}.${b}.${c}${p ? `-${p}` : ''}`;
    const op = fc.constantFrom('^', '~', '>=', '<', '');
    fc.assert(
      fc.property(v, op, v, (r, o, x) => {
        const range = `${o}${text(r)}`;
        expect(versionSatisfies(text(x), { kind: 'range', range })).toBe(semver.satisfies(text(x), range));
      }),
    );
  });
});

describe('pickVersion', () => {
  it('picks the highest satisfying version of a range, as maxSatisfying does', () => {
    expect(pickVersion(published, sel('@a/b@^1.2'))).toBe('1.9.0');
    expect(pickVersion(published, sel('@a/b@~1.2'))).toBe('1.2.5');
    expect(pickVersion(published, sel('@a/b@^2.0.0-rc.1'))).toBe('2.1.0');
    expect(pickVersion(published, sel('@a/b@^4'))).toBeNull();
  });

  it('picks an exact version only when it exists', () => {
    expect(pickVersion(published, sel('@a/b@1.2.0'))).toBe('1.2.0');
    expect(pickVersion(published, sel('@a/b@1.2.1'))).toBeNull();
  });

  it('picks tagged versions through the tag map', () => {
    expect(pickVersion(published, sel('@a/b@beta'), { tags })).toBe('3.0.0-beta.2');
    expect(pickVersion(published, sel('@a/b@nightly'), { tags })).toBeNull();
    expect(pickVersion(['1.0.0'], sel('@a/b@latest'), { tags })).toBeNull();
  });

  it('without a selector: the lock file pin, else the latest tag, else the highest stable version', () => {
    expect(pickVersion(published, sel('@a/b'), { tags, locked: '1.2.0' })).toBe('1.2.0');
    expect(pickVersion(published, sel('@a/b'), { tags, locked: '9.9.9' })).toBe('2.1.0');
    expect(pickVersion(published, sel('@a/b'), { tags: { latest: '1.9.0' } })).toBe('1.9.0');
    expect(pickVersion(published, sel('@a/b'))).toBe('2.1.0');
    expect(pickVersion(['1.0.0-beta.1'], sel('@a/b'))).toBeNull();
    expect(pickVersion([], sel('@a/b'))).toBeNull();
  });
});
