import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { firstAdminMessage, openServerAccounts } from './server-accounts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('server accounts at start', () => {
  it('the first start makes the admin and gives its token once; later starts do not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anvil-server-accounts-'));
    dirs.push(dir);
    const first = openServerAccounts(dir);
    const created = first.firstAdmin;
    first.accounts.close();
    expect(created?.name).toBe('admin');
    const lines = firstAdminMessage(created ?? { tokenId: '', token: '', accountId: '', name: '', expiresAt: null });
    expect(lines[1]).toBe(created?.token);
    const second = openServerAccounts(dir);
    try {
      expect(second.firstAdmin).toBeNull();
      expect(second.accounts.verifyToken(created?.token ?? '')?.serverAdmin).toBe(true);
    } finally {
      second.accounts.close();
    }
  });

  it('a missing data folder is a clear error', () => {
    expect(() => openServerAccounts(join(tmpdir(), 'anvil-no-such-folder', 'x'))).toThrow(/Could not open/);
  });
});
