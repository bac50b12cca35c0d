import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEditAuditor } from './edit-audit';
import { openAccountStore } from './store';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('edit audit', () => {
  it('one row per document, actor and minute, written when the minute closes or on close', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anvil-edit-audit-'));
    dirs.push(dir);
    const store = openAccountStore(join(dir, 'accounts.db'));
    const edits = createEditAuditor(store.audit);
    try {
      const t0 = 60_000 * 1000;
      for (let i = 0; i < 50; i++) edits.record('alice', 'doc-1', 10, t0 + i * 100);
      edits.record('bob', 'doc-1', 7, t0 + 5);
      edits.record('alice', 'doc-2', 3, t0 + 6);
      expect(store.audit.query({ action: 'doc.edit' })).toEqual([]);
      // Alice's next minute on doc-1 closes her first window.
      edits.record('alice', 'doc-1', 1, t0 + 60_000);
      expect(store.audit.query({ action: 'doc.edit' })).toMatchObject([
        { actor: 'alice', entityId: 'doc-1', at: t0, details: { updates: 50, bytes: 500, first: t0, last: t0 + 4900 } },
      ]);
      edits.close();
      const rows = store.audit.query({ action: 'doc.edit' });
      expect(rows).toHaveLength(4);
      expect(store.audit.query({ entityId: 'doc-1', actor: 'bob' })).toMatchObject([{ details: { updates: 1 } }]);
    } finally {
      edits.close();
      store.close();
    }
  });
});
