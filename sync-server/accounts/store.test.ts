import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountStore } from './store';
import { openAccountStore } from './store';
import { hashToken } from './tokens';

const dirs: string[] = [];
const stores: AccountStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fresh(clock?: () => number) {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-accounts-'));
  dirs.push(dir);
  const file = join(dir, 'accounts.db');
  const open = () => {
    const s = openAccountStore(file, clock ? { clock } : {});
    stores.push(s);
    return s;
  };
  return { file, open, store: open() };
}

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return 'no error';
};

describe('accounts', () => {
  it('bootstrap makes one server admin with a working token, once', () => {
    const { store } = fresh();
    const first = store.bootstrap();
    expect(first?.name).toBe('admin');
    expect(first?.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(store.verifyToken(first?.token ?? '')).toMatchObject({ name: 'admin', serverAdmin: true });
    expect(store.bootstrap()).toBeNull();
    expect(store.listUsers().map((u) => u.name)).toEqual(['admin']);
  });

  it('adds, lists and removes users; bad or clashing names are refused with a code', () => {
    const { store } = fresh();
    store.bootstrap();
    const alice = store.addUser('alice');
    expect(alice).toMatchObject({ name: 'alice', serverAdmin: false, roles: [], activeTokens: 0 });
    expect(codeOf(() => store.addUser('alice'))).toBe('user_exists');
    expect(codeOf(() => store.addUser('Bad Name'))).toBe('invalid_user_name');
    expect(codeOf(() => store.addUser(''))).toBe('invalid_user_name');
    expect(codeOf(() => store.addUser(alice.id))).toBe('invalid_user_name');
    expect(store.getUser(alice.id)?.name).toBe('alice');
    store.removeUser('alice');
    expect(store.getUser('alice')).toBeNull();
    expect(codeOf(() => store.removeUser('alice'))).toBe('unknown_user');
    expect(codeOf(() => store.removeUser('admin'))).toBe('last_server_admin');
  });

  it('roles are per account and project; no role means no access; bad roles are refused', () => {
    const { store } = fresh();
    const bob = store.addUser('bob');
    expect(store.roleFor(bob.id, 'p1')).toBeNull();
    store.setRole('bob', 'p1', 'viewer');
    store.setRole(bob.id, 'p2', 'admin');
    expect(store.roleFor(bob.id, 'p1')).toBe('viewer');
    store.setRole('bob', 'p1', 'context_engineer');
    expect(store.roleFor(bob.id, 'p1')).toBe('context_engineer');
    expect(store.membersOf('p1')).toEqual([{ accountId: bob.id, name: 'bob', role: 'context_engineer' }]);
    store.setRole('bob', 'p1', null);
    expect(store.roleFor(bob.id, 'p1')).toBeNull();
    expect(store.accessFor(bob.id, 'p1')).toBeNull();
    expect(store.accessFor(bob.id, 'p2')).toBe('admin');
    // A server admin manages every project; an unknown account reaches none.
    const root = store.addUser('root', { serverAdmin: true });
    expect(store.roleFor(root.id, 'p1')).toBeNull();
    expect(store.accessFor(root.id, 'p1')).toBe('admin');
    expect(store.accessFor('nobody', 'p1')).toBeNull();
    expect(store.getUser('bob')?.roles).toEqual([{ projectId: 'p2', role: 'admin' }]);
    // @ts-expect-error: a role from outside the type, as untyped callers may pass
    expect(codeOf(() => store.setRole('bob', 'p1', 'owner'))).toBe('invalid_role');
    expect(codeOf(() => store.setRole('nobody', 'p1', 'viewer'))).toBe('unknown_user');
    expect(codeOf(() => store.setRole('bob', '../x', 'viewer'))).toBe('invalid_project_id');
    // Removing the account takes its roles and tokens with it.
    const t = store.createToken('bob');
    store.removeUser('bob');
    expect(store.roleFor(bob.id, 'p2')).toBeNull();
    expect(store.verifyToken(t.token)).toBeNull();
  });

  it('stores only the hash of a token; verifies it; revocation and expiry end it', () => {
    let now = 1_000_000;
    const { store, file } = fresh(() => now);
    store.addUser('carol');
    const forever = store.createToken('carol');
    const brief = store.createToken('carol', { expiresAt: now + 60_000 });
    expect(forever.token).not.toBe(brief.token);
    expect(store.verifyToken(forever.token)).toEqual({
      accountId: forever.accountId,
      name: 'carol',
      serverAdmin: false,
      tokenId: forever.tokenId,
    });
    expect(store.verifyToken(brief.token, now + 59_999)?.tokenId).toBe(brief.tokenId);
    expect(store.verifyToken(brief.token, now + 60_000)).toBeNull();
    now += 120_000;
    expect(store.getUser('carol')?.activeTokens).toBe(1);
    store.revokeToken(forever.tokenId);
    expect(store.verifyToken(forever.token)).toBeNull();
    expect(store.listTokens('carol').find((t) => t.id === forever.tokenId)?.revokedAt).toBe(now);
    // Malformed or unknown tokens are simply not valid.
    for (const bad of ['', 'x', forever.token.slice(1), `${forever.token}=`, 'A'.repeat(43)])
      expect(store.verifyToken(bad)).toBeNull();
    expect(codeOf(() => store.createToken('carol', { expiresAt: now - 1 }))).toBe('invalid_expiry');
    expect(codeOf(() => store.revokeToken('tok_nope'))).toBe('unknown_token');
    expect(codeOf(() => store.revokeToken(brief.token))).toBe('invalid_token_id');
    store.close();
    // The file holds hashes, never the tokens.
    const db = new Database(file, { readonly: true });
    const hashes = db.prepare<[], { hash: string }>('SELECT hash FROM tokens').all();
    db.close();
    expect(hashes.map((h) => h.hash).sort()).toEqual([hashToken(forever.token), hashToken(brief.token)].sort());
    const bytes =
      readFileSync(file).toString('latin1') + readFileSync(`${file}-wal`, { flag: 'a+' }).toString('latin1');
    expect(bytes).not.toContain(forever.token);
  });

  it('records last use to the minute', () => {
    let now = 5_000_000;
    const { store } = fresh(() => now);
    store.addUser('dan');
    const t = store.createToken('dan');
    store.verifyToken(t.token, now);
    store.verifyToken(t.token, now + 30_000);
    expect(store.listTokens('dan')[0]?.lastUsedAt).toBe(now);
    now += 61_000;
    store.verifyToken(t.token, now);
    expect(store.listTokens('dan')[0]?.lastUsedAt).toBe(now);
  });

  it('everything survives a reopen', () => {
    const { store, open } = fresh();
    const boot = store.bootstrap();
    store.addUser('erin');
    store.setRole('erin', 'p1', 'viewer');
    const t = store.createToken('erin');
    store.close();
    const again = open();
    expect(again.bootstrap()).toBeNull();
    expect(again.verifyToken(boot?.token ?? '')?.name).toBe('admin');
    expect(again.verifyToken(t.token)?.name).toBe('erin');
    expect(again.getUser('erin')?.roles).toEqual([{ projectId: 'p1', role: 'viewer' }]);
  });

  it('a revocation or role change made by another process (the CLI) counts at the next check', () => {
    const { store: server, open } = fresh();
    const cli = open();
    const u = cli.addUser('gina');
    const t = cli.createToken('gina');
    expect(server.verifyToken(t.token)?.name).toBe('gina');
    cli.setRole('gina', 'p1', 'viewer');
    expect(server.accessFor(u.id, 'p1')).toBe('viewer');
    cli.revokeToken(t.tokenId);
    expect(server.verifyToken(t.token)).toBeNull();
  });

  it('the file is readable by its owner only', () => {
    const { file } = fresh();
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a damaged file without touching it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anvil-accounts-'));
    dirs.push(dir);
    const file = join(dir, 'accounts.db');
    writeFileSync(file, 'not a database, just text that is long enough to have a header of sorts..........');
    const before = readFileSync(file);
    expect(codeOf(() => openAccountStore(file))).toBe('store_corrupt');
    expect(readFileSync(file)).toEqual(before);
  });
});

describe('the audit log', () => {
  it('records every change, without tokens, queryable by entity, actor and time', () => {
    let now = 10_000;
    const { store } = fresh(() => now);
    const boot = store.bootstrap({ actor: 'cli' });
    now += 1000;
    const f = store.addUser('frank', { actor: 'admin' });
    now += 1000;
    store.setRole('frank', 'p9', 'viewer', { actor: 'admin' });
    now += 1000;
    const t = store.createToken('frank', { actor: 'admin' });
    now += 1000;
    store.revokeToken(t.tokenId, { actor: 'frank' });
    now += 1000;
    store.removeUser('frank', { actor: 'admin' });

    const all = store.audit.query();
    expect(all.map((e) => e.action)).toEqual([
      'user.remove',
      'token.revoke',
      'token.create',
      'role.set',
      'user.add',
      'token.create',
      'server.bootstrap',
      'user.add',
    ]);
    const text = JSON.stringify(all);
    expect(text).not.toContain(t.token);
    expect(text).not.toContain(boot?.token);

    expect(store.audit.query({ entityId: 'p9' })).toMatchObject([
      { action: 'role.set', actor: 'admin', details: { name: 'frank', before: null, after: 'viewer' } },
    ]);
    expect(store.audit.query({ actor: 'frank' }).map((e) => e.action)).toEqual(['token.revoke']);
    expect(store.audit.query({ entityKind: 'account', entityId: f.id }).map((e) => e.action)).toEqual([
      'user.remove',
      'user.add',
    ]);
    expect(store.audit.query({ since: 12_000, until: 14_000 }).map((e) => e.action)).toEqual([
      'token.create',
      'role.set',
    ]);
    expect(store.audit.query({ limit: 2 })).toHaveLength(2);
    const page = store.audit.query({ beforeId: all[1]?.id ?? 0, limit: 1 });
    expect(page.map((e) => e.id)).toEqual([all[2]?.id]);
  });

  it('is append-only: the database itself refuses UPDATE and DELETE', () => {
    const { store, file } = fresh();
    const id = store.audit.append({ actor: 'server', action: 'doc.connect', entityKind: 'document', entityId: 'd1' });
    store.close();
    const db = new Database(file);
    expect(() => db.prepare("UPDATE audit SET actor = 'mallory' WHERE id = ?").run(id)).toThrow(/audit_immutable/);
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/audit_immutable/);
    db.close();
    const again = openAccountStore(file);
    stores.push(again);
    expect(again.audit.query({ entityId: 'd1' })).toMatchObject([{ id, actor: 'server' }]);
  });

  it('refuses malformed entries and queries with a code', () => {
    const { store } = fresh();
    const entry = { actor: 'a', action: 'x.y', entityKind: 'k', entityId: 'e' };
    expect(codeOf(() => store.audit.append({ ...entry, action: 'Drop Table' }))).toBe('invalid_audit_entry');
    expect(codeOf(() => store.audit.append({ ...entry, actor: '' }))).toBe('invalid_audit_entry');
    expect(codeOf(() => store.audit.append({ ...entry, details: { big: 'x'.repeat(20_000) } }))).toBe(
      'invalid_audit_entry',
    );
    expect(codeOf(() => store.audit.query({ since: Number.NaN }))).toBe('invalid_audit_query');
  });
});
