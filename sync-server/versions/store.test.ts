import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProposedVersion } from '../../shared/sync/api';
import { removeDirs, tempDir } from '../server/testing';
import { VERSIONS_FILE, openTeamVersionStore } from './index';

const dirs: string[] = [];
afterEach(() => removeDirs(dirs));

function proposed(id: string, version: string, text = id): ProposedVersion {
  const content = JSON.stringify({ text });
  return {
    id,
    setId: 'set-a',
    version,
    changelog: '',
    author: 'ed',
    createdAt: '2026-11-25T10:00:00.000Z',
    contentHash: `sha256-${createHash('sha256').update(content).digest('hex')}`,
    changeClass: 'patch',
    override: null,
    content,
  };
}

describe('team versions store', () => {
  it('keeps accepted versions across a reopen, in seq order per project, and never rewrites them', () => {
    const file = join(tempDir(dirs), VERSIONS_FILE);
    let now = Date.parse('2026-11-25T12:00:00Z');
    const store = openTeamVersionStore(file, { clock: () => now });
    const a = store.propose('p1', 'acc-ed', proposed('v1', '1.0.0'));
    now += 1000;
    store.propose('p2', 'acc-ed', proposed('v2', '1.0.0')); // same number, other project: fine
    const c = store.propose('p1', 'acc-cy', proposed('v3', '1.0.1'));
    expect(a).toMatchObject({ created: true, version: { seq: 1, acceptedAt: '2026-11-25T12:00:00.000Z' } });
    expect(store.propose('p1', 'acc-ed', proposed('v1', '1.0.0')).created).toBe(false);
    expect(() => store.propose('p1', 'acc-cy', proposed('v4', '1.0.0'))).toThrow(
      expect.objectContaining({ code: 'version_taken', details: { taken: a.version } }),
    );
    expect(() => store.propose('p2', 'acc-ed', proposed('v1', '1.0.0'))).toThrow(
      expect.objectContaining({ code: 'version_id_reused' }),
    );
    expect(() => store.propose('p1', 'acc-ed', { ...proposed('v5', '1.2'), version: '1.2' })).toThrow(
      expect.objectContaining({ code: 'invalid_version' }),
    );
    expect(() => store.list('p1', { limit: 0 })).toThrow(expect.objectContaining({ code: 'invalid_query' }));
    store.close();

    const again = openTeamVersionStore(file);
    expect(again.list('p1')).toEqual({ versions: [a.version, c.version], next: c.version.seq });
    expect(again.get('v3')).toEqual(c.version);
    expect(again.find('p1', 'set-a', '1.0.0')).toEqual(a.version);
    expect(again.find('p1', 'set-a', '9.0.0')).toBeNull();
    again.close();

    // Immutable even to a hand-run statement.
    const db = new Database(file);
    expect(() => db.prepare("UPDATE versions SET changelog = 'x'").run()).toThrow(/version_immutable/);
    expect(() => db.prepare('DELETE FROM versions').run()).toThrow(/version_immutable/);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses a file that is not a database, leaving it untouched', () => {
    const file = join(tempDir(dirs), VERSIONS_FILE);
    writeFileSync(file, 'not a database, but somebody might want it back'.repeat(100));
    expect(() => openTeamVersionStore(file)).toThrow(expect.objectContaining({ code: 'store_corrupt' }));
  });
});
