import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import semver from 'semver';
import { checkProposedVersion, suggestNextVersion } from './index';

describe('suggestNextVersion', () => {
  it('starts at 1.0.0', () => {
    expect(suggestNextVersion(null, 'major')).toBe('1.0.0');
    expect(suggestNextVersion(null, 'none')).toBe('1.0.0');
  });

  it('bumps by the change class from 1.0.0 on', () => {
    expect(suggestNextVersion('1.4.2', 'major')).toBe('2.0.0');
    expect(suggestNextVersion('1.4.2', 'minor')).toBe('1.5.0');
    expect(suggestNextVersion('1.4.2', 'patch')).toBe('1.4.3');
    expect(suggestNextVersion('1.4.2', 'none')).toBeNull();
  });

  it('in 0.x a major change bumps the minor and a minor change the patch, as npm caret reads 0.x', () => {
    expect(suggestNextVersion('0.3.1', 'major')).toBe('0.4.0');
    expect(suggestNextVersion('0.3.1', 'minor')).toBe('0.3.2');
    expect(suggestNextVersion('0.3.1', 'patch')).toBe('0.3.2');
    // The point of the rule: a consumer on ^0.3.1 never receives the breaking 0.4.0.
    expect(semver.satisfies('0.4.0', '^0.3.1')).toBe(false);
  });

  it('refuses a last version that is not strict semver', () => {
    expect(() => suggestNextVersion('1.2', 'patch')).toThrow(expect.objectContaining({ code: 'invalid_version' }));
  });

  it('releases a prerelease as node-semver does', () => {
    expect(suggestNextVersion('2.0.0-rc.1', 'major')).toBe('2.0.0');
  });

  it('always suggests a version the check accepts (property)', () => {
    const v = fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20)).map(([a, b, c]) => `${a}.${b}.${c}`);
    fc.assert(
      fc.property(
        v,
        fc.constantFrom('major', 'minor', 'patch') as fc.Arbitrary<'major' | 'minor' | 'patch'>,
        (last, cls) => {
          const next = suggestNextVersion(last, cls);
          expect(next).not.toBeNull();
          expect(checkProposedVersion({ proposed: next as string, existing: [last], changeClass: cls })).toEqual({
            ok: true,
            overridden: false,
          });
        },
      ),
    );
  });
});

describe('checkProposedVersion', () => {
  const existing = ['1.0.0', '1.4.0', '2.0.0'];
  const code = (r: ReturnType<typeof checkProposedVersion>): string => (r.ok ? 'ok' : r.error.code);

  it.each([
    ['1.2', /three numbers/],
    ['01.0.0', /leading zeros/],
    ['1.0.0 ', /without spaces/],
    ['v1.0.0', /leading "v"/],
    ['1.0.0+build', /build metadata/],
    ['one', /major\.minor\.patch/],
  ])('refuses %j as not a version', (proposed, message) => {
    const r = checkProposedVersion({ proposed, existing, changeClass: 'patch' });
    expect(code(r)).toBe('invalid_version');
    if (!r.ok) expect(r.error.message).toMatch(message);
  });

  it('refuses a version that exists', () => {
    expect(code(checkProposedVersion({ proposed: '1.4.0', existing, changeClass: 'patch' }))).toBe('version_exists');
  });

  it('refuses a version not greater than the highest of its major line, and names it', () => {
    const r = checkProposedVersion({ proposed: '1.3.9', existing, changeClass: 'patch' });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'version_not_greater',
        message: 'version 1.3.9 is not greater than 1.4.0, the highest 1.x version',
      },
    });
    expect(code(checkProposedVersion({ proposed: '2.0.0-rc.1', existing, changeClass: 'patch' }))).toBe(
      'version_not_greater',
    );
  });

  it('accepts a hotfix on an older major line when it is above every version of that line', () => {
    expect(checkProposedVersion({ proposed: '1.4.1', existing, changeClass: 'patch' })).toEqual({
      ok: true,
      overridden: false,
    });
    expect(checkProposedVersion({ proposed: '3.0.0', existing, changeClass: 'major' })).toEqual({
      ok: true,
      overridden: false,
    });
  });

  it('refuses a breaking change under a minor or patch number unless a reason is given', () => {
    const r = checkProposedVersion({ proposed: '2.1.0', existing, changeClass: 'major' });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'breaking_change_needs_major', details: { suggested: '3.0.0' } },
    });
    expect(code(checkProposedVersion({ proposed: '1.4.1', existing, changeClass: 'major' }))).toBe(
      'breaking_change_needs_major',
    );
    expect(code(checkProposedVersion({ proposed: '2.1.0', existing, changeClass: 'major', override: '   ' }))).toBe(
      'breaking_change_needs_major',
    );
    expect(
      checkProposedVersion({
        proposed: '2.1.0',
        existing,
        changeClass: 'major',
        override: 'no consumer uses `tone` yet',
      }),
    ).toEqual({ ok: true, overridden: true });
  });

  it('treats the minor step as the breaking one in 0.x', () => {
    expect(code(checkProposedVersion({ proposed: '0.3.2', existing: ['0.3.1'], changeClass: 'major' }))).toBe(
      'breaking_change_needs_major',
    );
    expect(code(checkProposedVersion({ proposed: '0.4.0', existing: ['0.3.1'], changeClass: 'major' }))).toBe('ok');
  });

  it('lets prereleases of a coming major break each other', () => {
    expect(
      code(
        checkProposedVersion({ proposed: '3.0.0-rc.2', existing: [...existing, '3.0.0-rc.1'], changeClass: 'major' }),
      ),
    ).toBe('ok');
    expect(code(checkProposedVersion({ proposed: '2.1.0-rc.1', existing, changeClass: 'major' }))).toBe(
      'breaking_change_needs_major',
    );
  });

  it('accepts any valid first version', () => {
    expect(checkProposedVersion({ proposed: '0.1.0', existing: [], changeClass: 'major' })).toEqual({
      ok: true,
      overridden: false,
    });
  });
});
