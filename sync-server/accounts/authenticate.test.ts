import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Authenticate } from '../server/create';
import { createTokenAuthenticator } from './authenticate';
import { openAccountStore } from './store';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('token authenticator', () => {
  it('lets in by role on the document project, viewers read-only; refuses everything else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anvil-auth-'));
    dirs.push(dir);
    let now = 1_000_000;
    const accounts = openAccountStore(join(dir, 'accounts.db'), { clock: () => now });
    try {
      // Documents named "<projectId>/<docId>" in this test; the server passes its own scheme.
      const auth = createTokenAuthenticator(accounts, {
        projectOf: (name) => /^([\w-]+)\//.exec(name)?.[1] ?? null,
        clock: () => now,
      });
      // It plugs into the sync server's hook as is.
      const fits: Authenticate = auth;
      expect(fits).toBe(auth);
      const admin = accounts.bootstrap();
      const ed = accounts.addUser('ed');
      const vi = accounts.addUser('vi');
      accounts.setRole('ed', 'p1', 'context_engineer');
      accounts.setRole('vi', 'p1', 'viewer');
      const edToken = accounts.createToken('ed').token;
      const viToken = accounts.createToken('vi', { expiresAt: now + 1000 }).token;

      expect(auth(edToken, 'p1/set-a')).toEqual({
        accountId: ed.id,
        name: 'ed',
        role: 'context_engineer',
        readOnly: false,
      });
      expect(auth(viToken, 'p1/set-a')).toMatchObject({ accountId: vi.id, role: 'viewer', readOnly: true });
      expect(auth(edToken, 'p2/set-b')).toBeNull(); // private by default
      expect(auth(edToken, 'p3/set-c')).toBeNull();
      expect(auth(edToken, 'no-project')).toBeNull();
      // A server admin reaches every registered project, but an unregistered one has no documents.
      expect(auth(admin?.token ?? '', 'p2/set-b')).toBeNull();
      accounts.registerProject(ed.id, 'p2', 'Project two');
      expect(auth(admin?.token ?? '', 'p2/set-b')).toMatchObject({ name: 'admin', role: 'admin', readOnly: false });
      accounts.registerProject(ed.id, 'p2', 'again'); // known: no change
      expect(accounts.getProject('p2')).toMatchObject({ name: 'Project two', createdBy: ed.id });
      expect(auth('', 'p1/set-a')).toBeNull();
      expect(auth('garbage', 'p1/set-a')).toBeNull();
      now += 1000;
      expect(auth(viToken, 'p1/set-a')).toBeNull(); // expired

      const rows = accounts.audit.query({ entityKind: 'document' });
      expect(rows.filter((r) => r.action === 'doc.connect')).toHaveLength(3);
      expect(rows.filter((r) => r.action === 'doc.refuse').map((r) => r.entityId)).toEqual([
        'p2/set-b',
        'no-project',
        'p3/set-c',
        'p2/set-b',
      ]);
      expect(JSON.stringify(rows)).not.toContain(edToken);
    } finally {
      accounts.close();
    }
  });
});
