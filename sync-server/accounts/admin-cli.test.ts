import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNTS_FILE, runAdmin } from './admin-cli';
import { openAccountStore } from './store';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function run(request: unknown) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runAdmin(request, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

function dataDir() {
  const d = mkdtempSync(join(tmpdir(), 'anvil-admin-'));
  dirs.push(d);
  return d;
}

describe('the accounts admin entry', () => {
  it('does the work and leaves an audit trail naming the CLI as actor', () => {
    const data = dataDir();
    expect(run({ command: 'user.add', data, name: 'zoe', serverAdmin: true }).code).toBe(0);
    expect(run({ command: 'user.role', data, name: 'zoe', projectId: 'p', role: 'viewer' }).out).toEqual([
      'zoe is viewer on p.',
    ]);
    expect(run({ command: 'user.role', data, name: 'zoe', projectId: 'p', role: 'none' }).out).toEqual([
      'zoe has no role on p now.',
    ]);
    const created = run({ command: 'token.create', data, name: 'zoe', expiresAt: null });
    expect(created.out).toHaveLength(1);
    expect(created.err.join('')).not.toContain(created.out[0]);
    expect(run({ command: 'user.list', data }).out).toEqual(['zoe [server admin]  no projects  tokens: 1']);
    const audit = run({ command: 'audit.query', data, entityId: 'zoe', json: true });
    expect(JSON.parse(audit.out[0] ?? '[]')).toMatchObject([{ action: 'user.add', details: { name: 'zoe' } }]);
    expect(run({ command: 'audit.query', data, entityId: 'p', since: 0 }).out).toHaveLength(2);
    expect(run({ command: 'audit.query', data, limit: 1 }).out[0]).toMatch(/ token\.create {2}token:tok_/);
    const store = openAccountStore(join(data, ACCOUNTS_FILE));
    try {
      expect(store.verifyToken(created.out[0] ?? '')?.name).toBe('zoe');
      const actors = new Set(store.audit.query().map((e) => e.actor));
      expect([...actors].every((a) => a.startsWith('cli'))).toBe(true);
    } finally {
      store.close();
    }
  });

  it('bad input: exit 2 and one line', () => {
    const data = dataDir();
    run({ command: 'user.add', data, name: 'zoe' });
    const cases: [unknown, RegExp][] = [
      [{ command: 'user.add', data, name: 'Bad Name' }, /Invalid user name: "Bad Name" has capital letters/],
      [{ command: 'user.add', data, name: 'zoe' }, /already a user "zoe"/],
      [{ command: 'user.remove', data, name: 'nobody' }, /no user "nobody"/],
      [{ command: 'user.role', data, name: 'zoe', projectId: 'p', role: 'owner' }, /bad request .*role/],
      [{ command: 'user.role', data, name: 'zoe', projectId: 'a b', role: 'viewer' }, /not a project id/],
      [{ command: 'token.create', data, name: 'zoe', expiresAt: 1 }, /cannot expire in the past/],
      [{ command: 'token.revoke', data, tokenId: 'tok_missing' }, /no token with the id "tok_missing"/],
      [{ command: 'token.revoke', data, tokenId: 'A'.repeat(43) }, /That is a token, not a token id/],
      [{ command: 'nope', data }, /bad request/],
      [{ command: 'audit.query', data, limit: 0 }, /bad request .*limit/],
      [{ command: 'audit.query', data, since: Number.NaN }, /bad request .*since/],
      [{ command: 'user.list', data: join(data, 'missing') }, /does not exist/],
      [{ command: 'user.list', data: dataDir() }, /has no accounts yet/],
    ];
    for (const [request, message] of cases) {
      const r = run(request);
      expect(r.code, JSON.stringify(request)).toBe(2);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(message);
      expect(r.err[0]).not.toContain('A'.repeat(43));
    }
  });

  it('a damaged accounts file exits 1, untouched', () => {
    const data = dataDir();
    writeFileSync(join(data, ACCOUNTS_FILE), 'garbage '.repeat(100));
    const r = run({ command: 'user.list', data });
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/is damaged/);
  });
});
