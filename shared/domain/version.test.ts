import { describe, expect, it } from 'vitest';
import { AnvilError, can, ChangeClass, ROLE_PERMISSIONS, SemverNumber, VersionInfo, Account } from './index';

describe('SemverNumber', () => {
  it('accepts strict versions with prereleases', () => {
    for (const v of ['0.1.0', '1.0.0', '10.20.30', '1.0.0-beta.1', '2.0.0-rc.0'])
      expect(SemverNumber.safeParse(v).success, v).toBe(true);
  });

  it('refuses 1.2, 01.0.0 and every loose spelling', () => {
    for (const v of [
      '1.2',
      '1',
      '01.0.0',
      '1.02.0',
      'v1.0.0',
      '=1.0.0',
      ' 1.0.0',
      '1.0.0+build',
      '1.0.0.0',
      '^1.0.0',
      'latest',
      '',
    ])
      expect(SemverNumber.safeParse(v).success, v).toBe(false);
    const result = SemverNumber.safeParse('1.2');
    if (!result.success) expect(result.error.issues[0]?.message).toMatch(/not a semantic version/);
  });
});

describe('VersionInfo', () => {
  const info = {
    id: 'v1',
    setId: 's1',
    version: '1.2.0',
    changelog: 'Adds a tone parameter.',
    author: 'ana',
    createdAt: '2026-11-25T06:00:00.000Z',
    contentHash: `sha256-${'a'.repeat(64)}`,
    changeClass: 'minor',
  };

  it('parses a version record and defaults override to null', () => {
    expect(VersionInfo.parse(info)).toEqual({ ...info, override: null });
  });

  it('refuses a bad version, hash, time or change class', () => {
    for (const bad of [
      { version: '1.2' },
      { contentHash: 'md5-abc' },
      { createdAt: 'yesterday' },
      { changeClass: 'huge' },
      { author: '' },
    ])
      expect(VersionInfo.safeParse({ ...info, ...bad }).success, JSON.stringify(bad)).toBe(false);
  });

  it('knows four change classes', () => {
    expect(ChangeClass.options).toEqual(['major', 'minor', 'patch', 'none']);
  });
});

describe('accounts and roles', () => {
  it('grants each role its permissions only', () => {
    expect(can('admin', 'approve')).toBe(true);
    expect(can('admin', 'manage')).toBe(true);
    expect(can('context_engineer', 'publish')).toBe(true);
    expect(can('context_engineer', 'approve')).toBe(false);
    expect(can('viewer', 'read')).toBe(true);
    expect(can('viewer', 'edit')).toBe(false);
    for (const perms of Object.values(ROLE_PERMISSIONS)) expect(perms).toContain('read');
  });

  it('validates logins and roles', () => {
    expect(Account.parse({ id: 'u1', login: 'ana', role: 'viewer' })).toEqual({
      id: 'u1',
      login: 'ana',
      role: 'viewer',
      displayName: '',
    });
    expect(Account.safeParse({ id: 'u1', login: 'Ana', role: 'viewer' }).success).toBe(false);
    expect(Account.safeParse({ id: 'u1', login: 'ana', role: 'owner' }).success).toBe(false);
  });
});

describe('AnvilError', () => {
  it('carries a code and location and serialises without empty fields', () => {
    const e = new AnvilError({ code: 'invalid_address', message: 'bad', column: 3 });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('AnvilError');
    expect(e.toJSON()).toEqual({ code: 'invalid_address', message: 'bad', column: 3 });
  });
});
