import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anvil } from './testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let data = '';
beforeAll(() => {
  data = mkdtempSync(join(tmpdir(), 'anvil-cli-accounts-'));
});
afterAll(() => rmSync(data, { recursive: true, force: true }));

describe('anvil user, token, audit and serve: mistakes', () => {
  it('bad input exits 2 with one clear line', async () => {
    const cases: [string[], RegExp][] = [
      [['user', 'role', 'alice', 'proj-1', 'owner', '--data', data], /Allowed choices are admin, context_engineer/],
      [['user', 'role', 'nobody', 'proj-1', 'viewer', '--data', data], /There is no user "nobody"/],
      [['token', 'create', 'alice', '--expires', 'soon', '--data', data], /"soon" is not a duration/],
      [['audit', '--limit', '0', '--data', data], /a limit is 1 to 1000/],
    ];
    const results = await Promise.all(cases.map(([args]) => anvil(args)));
    results.forEach((r, i) => {
      expect(r.code, cases[i]?.[0].join(' ')).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(cases[i]?.[1] ?? /never/);
    });
  });

  it('anvil serve has its options and help', async () => {
    const [help, bad] = await Promise.all([
      anvil(['serve', '--help']),
      anvil(['serve', '--port', 'abc', '--data', data]),
    ]);
    expect(help.code).toBe(0);
    expect(help.out).toContain('--port <port>');
    expect(help.out).toContain('--data <dir>');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('a port is a whole number');
  });
});
