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

describe('anvil user and anvil token', () => {
  it('add a user, give a role, create a token, list, revoke', async () => {
    const add = await anvil(['user', 'add', 'alice', '--data', data]);
    expect(add).toMatchObject({ code: 0, err: '' });
    expect(add.out).toContain('Added alice');

    // The role and the token in parallel: the CLI may write while another process does (WAL, busy timeout).
    const [role, created] = await Promise.all([
      anvil(['user', 'role', 'alice', 'proj-1', 'context_engineer', '--data', data]),
      anvil(['token', 'create', 'alice', '--expires', '30d', '--data', data]),
    ]);
    expect(role.code).toBe(0);
    expect(created.code).toBe(0);
    const token = created.out.trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const tokenId = /Token (tok_\S+) for alice \(expires /.exec(created.err)?.[1] ?? '';
    expect(tokenId).not.toBe('');

    const revoke = await anvil(['token', 'revoke', tokenId, '--data', data]);
    expect(revoke.code).toBe(0);
    expect(revoke.out).toContain(`Revoked ${tokenId}`);

    const [list, audit] = await Promise.all([
      anvil(['user', 'list', '--json', '--data', data]),
      anvil(['audit', '--since', '1h', '--json', '--data', data]),
    ]);
    expect(list.code).toBe(0);
    expect(audit.code).toBe(0);
    expect((JSON.parse(audit.out) as { action: string }[]).map((r) => r.action).sort()).toEqual(
      ['role.set', 'token.create', 'token.revoke', 'user.add'].sort(),
    );
    expect(audit.out).not.toContain(token);
    expect(JSON.parse(list.out)).toMatchObject([
      {
        name: 'alice',
        serverAdmin: false,
        roles: [{ projectId: 'proj-1', role: 'context_engineer' }],
        activeTokens: 0,
      },
    ]);
    expect(list.out + list.err).not.toContain(token);
  });
});
