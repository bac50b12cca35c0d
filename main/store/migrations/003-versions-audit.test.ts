import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../db';

let db: Database | undefined;
afterEach(() => db?.close());

const row = {
  id: 'v1',
  set_id: 's1',
  version: '1.0.0',
  changelog: 'first',
  author: 'ada',
  created_at: 1,
  content_hash: 'sha256-00',
  change_class: 'major',
  override: null,
  content: '{}',
};
const insert =
  'INSERT INTO versions VALUES (@id, @set_id, @version, @changelog, @author, @created_at, @content_hash, @change_class, @override, @content)';

describe('migration 003: versions and audit', () => {
  it('refuses to update or delete a version row, and a second row with the same number', () => {
    db = openDatabase(':memory:');
    db.prepare(insert).run(row);
    expect(() => db?.prepare("UPDATE versions SET changelog = 'rewritten'").run()).toThrow(/version_immutable/);
    expect(() => db?.prepare('DELETE FROM versions').run()).toThrow(/version_immutable/);
    expect(() => db?.prepare(insert).run({ ...row, id: 'v2' })).toThrow(/UNIQUE/);
    expect(db.prepare('SELECT changelog FROM versions').pluck().all()).toEqual(['first']);
  });

  it('keeps audit details as valid JSON', () => {
    db = openDatabase(':memory:');
    const add = db.prepare(
      "INSERT INTO audit (at, actor, action, entity_kind, entity_id, details) VALUES (1, 'ada', 'edit', 'prompt', 'p', ?)",
    );
    add.run('{"a":1}');
    expect(() => add.run('{not json')).toThrow();
  });
});
