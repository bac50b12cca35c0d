import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { textPrompt } from '../../shared/domain/fixtures';
import { assignVariant, checkExperimentList } from '../../shared/experiments';
import type { ExperimentDefinition } from '../../shared/registry/api';
import type { PackageMetadata } from '../../shared/registry/types';
import { removeDirs, tempDir } from '../server/testing';
import { openRegistryDb } from './open';
import { REGISTRY_FILE, REGISTRY_MIGRATIONS } from './schema';
import type { RegistryWorld } from './testing';
import { commonSet, registryWorld } from './testing';

const dirs: string[] = [];
const worlds: RegistryWorld[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.close();
  removeDirs(dirs);
});

const NAME = '@acme/common';
const PROMPT = '@acme/common/signature';

/** `@acme/common` 1.0.0 (`signature`), 1.1.0 (`signature`, `short`). */
async function world(): Promise<RegistryWorld> {
  const w = registryWorld(dirs, { pollMs: 20 });
  worlds.push(w);
  w.save(commonSet(), '1.0.0');
  await w.registry.publish(w.as.cy, { projectId: 'p1', setId: 'set-common', version: '1.0.0' });
  w.save(
    commonSet([textPrompt('p-sig', 'signature', 'The Acme team'), textPrompt('p-short', 'short', 'Acme')]),
    '1.1.0',
  );
  const r = await w.registry.publish(w.as.cy, { projectId: 'p1', setId: 'set-common', version: '1.1.0' });
  if (r.status !== 'published') throw new Error('1.1.0 not published');
  return w;
}

const definition = (over: Partial<ExperimentDefinition> = {}): ExperimentDefinition => ({
  name: 'Signature length',
  prompt: PROMPT,
  status: 'running',
  variants: [
    { key: 'control', weight: 1, target: { prompt: 'signature' } },
    { key: 'short', weight: 1, target: { prompt: 'short' } },
    { key: 'old', weight: 1, target: { version: '1.0.0' } },
  ],
  unit: 'userId',
  metric: { name: 'resolved', kind: 'rate' },
  ...over,
});

const meta = (w: RegistryWorld) =>
  JSON.parse(new TextDecoder().decode(w.registry.metadata(w.as.vi, NAME).bytes)) as PackageMetadata;

function refusal(f: () => unknown): { code: string; message: string; details: unknown } {
  try {
    f();
  } catch (err) {
    return err as { code: string; message: string; details: unknown };
  }
  throw new Error('expected a refusal');
}

const issuesOf = (f: () => unknown) => {
  const e = refusal(f);
  expect(e.code).toBe('invalid_experiment');
  return (e.details as { issues: { path: string; message: string }[] }).issues;
};

describe('registry: experiments', () => {
  it('creates an experiment: version 1, in the metadata (new ETag), a feed event, a definition row, an audit row', async () => {
    const w = await world();
    const before = w.registry.metadata(w.as.vi, NAME).etag;
    expect(meta(w).experiments).toBeUndefined();
    const after0 = w.registry.events(w.as.vi, { after: 0 }).next;

    const { record, created, changed } = w.registry.putExperiment(w.as.cy, NAME, 'exp-sig', definition());
    expect({ created, changed }).toEqual({ created: true, changed: true });
    expect(record).toMatchObject({ name: NAME, current: true, createdBy: 'cy', updatedBy: 'cy' });
    expect(record.experiment).toMatchObject({ id: 'exp-sig', version: 1, salt: 'exp-sig', status: 'running' });

    const etag = w.registry.metadata(w.as.vi, NAME).etag;
    expect(etag).not.toBe(before);
    const doc = meta(w);
    expect(doc.experiments).toEqual([record.experiment]);
    const list = checkExperimentList(doc.experiments);
    expect(list.ok).toBe(true);
    // What the SDK will do with it: a unit gets one of the variants, the same each time.
    const v = assignVariant(doc.experiments?.[0] as never, 'user-42');
    expect(assignVariant(doc.experiments?.[0] as never, 'user-42')).toEqual(v);

    const events = w.registry.events(w.as.vi, { after: after0 }).events;
    expect(events).toEqual([
      expect.objectContaining({
        type: 'experiment',
        name: NAME,
        projectId: 'p1',
        experimentId: 'exp-sig',
        status: 'running',
        definitionVersion: 1,
      }),
    ]);
    const audit = w.accounts.audit.query({ action: 'experiment.put' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'cy', entityKind: 'experiment', entityId: `${NAME}/exp-sig` });
    expect(audit[0]?.details).toMatchObject({ before: null, after: 1, status: 'running', eventId: events[0]?.id });

    expect(w.registry.experiments(w.as.vi, NAME)).toEqual([record]);
  });

  it('a change is a new definition version (ETag, event); the same definition again changes nothing; a stale version is a conflict', async () => {
    const w = await world();
    w.registry.putExperiment(w.as.cy, NAME, 'exp-sig', definition());
    const etag1 = w.registry.metadata(w.as.vi, NAME).etag;
    const next1 = w.registry.events(w.as.vi, { after: 0 }).next;

    // The same definition (with or without its version): no new version, no event, same bytes.
    const again = w.registry.putExperiment(w.as.ed, NAME, 'exp-sig', { ...definition(), version: 1 });
    expect({ created: again.created, changed: again.changed }).toEqual({ created: false, changed: false });
    expect(w.registry.metadata(w.as.vi, NAME).etag).toBe(etag1);
    expect(w.registry.events(w.as.vi, { after: next1 }).events).toEqual([]);

    const changed = definition({
      variants: [
        { key: 'control', weight: 3, target: { prompt: 'signature' } },
        { key: 'short', weight: 1, target: { prompt: 'short' } },
      ],
    });
    const second = w.registry.putExperiment(w.as.ed, NAME, 'exp-sig', changed);
    expect({ created: second.created, changed: second.changed }).toEqual({ created: false, changed: true });
    expect(second.record).toMatchObject({ createdBy: 'cy', updatedBy: 'ed' });
    expect(second.record.experiment.version).toBe(2);
    expect(w.registry.metadata(w.as.vi, NAME).etag).not.toBe(etag1);
    expect(meta(w).experiments).toEqual([second.record.experiment]);
    expect(w.registry.events(w.as.vi, { after: next1 }).events).toEqual([
      expect.objectContaining({ type: 'experiment', experimentId: 'exp-sig', definitionVersion: 2 }),
    ]);

    // Given a version, it must be the next one: an edit of version 1 made after version 2 is refused.
    const stale = refusal(() =>
      w.registry.putExperiment(w.as.cy, NAME, 'exp-sig', { ...changed, name: 'Renamed', version: 2 }),
    );
    expect(stale.code).toBe('experiment_conflict');
    expect(stale.message).toContain('version 3');
    expect(
      w.registry.putExperiment(w.as.cy, NAME, 'exp-sig', { ...changed, name: 'Renamed', version: 3 }).record.experiment
        .version,
    ).toBe(3);

    // Every version is kept, never changed.
    w.registry.close();
    const db = new Database(join(w.dir, REGISTRY_FILE));
    try {
      const rows = db
        .prepare('SELECT definition_version, definition FROM experiment_definitions WHERE id = ? ORDER BY 1')
        .all('exp-sig') as { definition_version: number; definition: string }[];
      expect(rows.map((r) => r.definition_version)).toEqual([1, 2, 3]);
      expect((JSON.parse(rows[0]?.definition as string) as { variants: unknown[] }).variants).toHaveLength(3);
      expect(() => db.prepare("UPDATE experiment_definitions SET definition = '{}'").run()).toThrow(
        /definition_immutable/,
      );
      expect(() => db.prepare('DELETE FROM experiment_definitions').run()).toThrow(/definition_immutable/);
    } finally {
      db.close();
    }
    expect(w.accounts.audit.query({ action: 'experiment.put' }).map((a) => a.details['after'])).toEqual([3, 2, 1]);
  });

  it('refuses invalid definitions, naming each field', async () => {
    const w = await world();
    const bad = definition({
      variants: [
        { key: 'control', weight: 1, target: { prompt: 'signature' } },
        { key: 'short', weight: -1, target: { prompt: 'short' } },
      ],
      metric: { name: 'resolved', kind: 'median' as 'rate' },
    });
    const issues = issuesOf(() => w.registry.putExperiment(w.as.cy, NAME, 'exp-sig', bad));
    expect(issues.map((i) => i.path).sort()).toEqual(['metric.kind', 'variants[1].weight']);
    const e = refusal(() => w.registry.putExperiment(w.as.cy, NAME, 'exp-sig', bad));
    expect(e.message).toMatch(/^experiment: (variants\[1\]\.weight|metric\.kind): .*\(and 1 more\)$/);

    expect(
      issuesOf(() => w.registry.putExperiment(w.as.cy, NAME, 'exp-sig', { ...definition(), id: 'other' })),
    ).toEqual([expect.objectContaining({ path: 'id' })]);
    expect(issuesOf(() => w.registry.putExperiment(w.as.cy, NAME, 'bad id!', definition()))[0]?.path).toBe('id');
    expect(issuesOf(() => w.registry.putExperiment(w.as.cy, NAME, 'exp-sig', []))[0]?.path).toBe('(the experiment)');
    expect(
      issuesOf(() => w.registry.putExperiment(w.as.cy, NAME, 'exp-sig', definition({ status: 'stopped' })))[0]?.path,
    ).toBe('winner');
    // Nothing was written.
    expect(w.registry.experiments(w.as.vi, NAME)).toEqual([]);
    expect(w.accounts.audit.query({ action: 'experiment.put' })).toEqual([]);
  });

  it('refuses prompts and targets the package does not have', async () => {
    const w = await world();
    const put = (d: ExperimentDefinition) => () => w.registry.putExperiment(w.as.cy, NAME, 'exp-x', d);
    const targets = (...t: ExperimentDefinition['variants'][number]['target'][]) =>
      definition({ variants: t.map((target, i) => ({ key: `v${i}`, weight: 1, target })) });

    // Every issue, each naming its field.
    expect(issuesOf(put(definition({ prompt: '@acme/common/nope' })))).toEqual([
      { path: 'prompt', message: 'the latest version of @acme/common (1.1.0) has no prompt "nope"' },
      { path: 'variants[2].target.version', message: 'version 1.0.0 of @acme/common has no prompt "nope"' },
    ]);
    expect(issuesOf(put(definition({ prompt: '@acme/support/signature' })))[0]).toMatchObject({
      path: 'prompt',
      message: expect.stringContaining('is not a prompt of @acme/common'),
    });
    expect(issuesOf(put(targets({ prompt: 'signature' }, { version: '9.9.9' })))).toEqual([
      { path: 'variants[1].target.version', message: '@acme/common has no published version 9.9.9' },
    ]);
    expect(issuesOf(put(targets({ prompt: 'signature' }, { prompt: 'missing' }, { version: '1.0.0' })))).toEqual([
      {
        path: 'variants[1].target.prompt',
        message: 'the latest version of @acme/common (1.1.0) has no prompt "missing"',
      },
    ]);
    // `short` exists in 1.1.0 only: an experiment on it cannot target 1.0.0.
    expect(
      issuesOf(
        put(
          definition({
            prompt: '@acme/common/short',
            variants: targets({ prompt: 'short' }, { version: '1.0.0' }).variants,
          }),
        ),
      ),
    ).toEqual([{ path: 'variants[1].target.version', message: 'version 1.0.0 of @acme/common has no prompt "short"' }]);
    // An experiment stays on its prompt.
    w.registry.putExperiment(w.as.cy, NAME, 'exp-x', definition());
    expect(
      issuesOf(
        put(
          definition({
            prompt: '@acme/common/short',
            variants: targets({ prompt: 'short' }, { prompt: 'signature' }).variants,
          }),
        ),
      )[0]?.path,
    ).toBe('prompt');
    // Unknown package.
    expect(refusal(() => w.registry.putExperiment(w.as.cy, '@acme/nope', 'exp-x', definition())).code).toBe(
      'unknown_package',
    );
  });

  it('one running experiment per prompt; a stopped one is superseded in the metadata by the next', async () => {
    const w = await world();
    w.registry.putExperiment(w.as.cy, NAME, 'exp-a', definition());
    const second = refusal(() => w.registry.putExperiment(w.as.cy, NAME, 'exp-b', definition()));
    expect(second.code).toBe('experiment_conflict');
    expect(second.message).toContain('"exp-a"');
    // Another prompt is fine.
    w.registry.putExperiment(
      w.as.cy,
      NAME,
      'exp-short',
      definition({
        prompt: '@acme/common/short',
        variants: [
          { key: 'control', weight: 1, target: { prompt: 'short' } },
          { key: 'long', weight: 1, target: { prompt: 'signature' } },
        ],
      }),
    );
    w.registry.stopExperiment(w.as.cy, NAME, 'exp-a', 'short');
    expect(meta(w).experiments?.map((e) => [e.id, e.status, e.winner])).toEqual([
      ['exp-a', 'stopped', 'short'],
      ['exp-short', 'running', undefined],
    ]);
    w.registry.putExperiment(w.as.cy, NAME, 'exp-b', definition());
    const doc = meta(w);
    expect(doc.experiments?.map((e) => [e.id, e.status])).toEqual([
      ['exp-b', 'running'],
      ['exp-short', 'running'],
    ]);
    expect(checkExperimentList(doc.experiments).ok).toBe(true);
    expect(w.registry.experiments(w.as.vi, NAME).map((r) => [r.experiment.id, r.current])).toEqual([
      ['exp-a', false],
      ['exp-b', true],
      ['exp-short', true],
    ]);
    // Restarting exp-a while exp-b runs is refused too.
    expect(refusal(() => w.registry.putExperiment(w.as.cy, NAME, 'exp-a', definition({ name: 'Again' }))).code).toBe(
      'experiment_conflict',
    );
  });

  it('stops with a winner (a new version, event, audit); a winner that is not a variant is refused', async () => {
    const w = await world();
    w.registry.putExperiment(w.as.cy, NAME, 'exp-sig', definition());
    const etag = w.registry.metadata(w.as.vi, NAME).etag;
    const next = w.registry.events(w.as.vi, { after: 0 }).next;

    expect(issuesOf(() => w.registry.stopExperiment(w.as.cy, NAME, 'exp-sig', 'nobody'))).toEqual([
      { path: 'winner', message: '"nobody" is not one of the variants (control, short, old)' },
    ]);
    expect(refusal(() => w.registry.stopExperiment(w.as.cy, NAME, 'exp-none', 'short')).code).toBe(
      'unknown_experiment',
    );

    const stopped = w.registry.stopExperiment(w.as.ed, NAME, 'exp-sig', 'short');
    expect(stopped.experiment).toMatchObject({ status: 'stopped', winner: 'short', version: 2 });
    expect(w.registry.metadata(w.as.vi, NAME).etag).not.toBe(etag);
    expect(meta(w).experiments).toEqual([stopped.experiment]);
    expect(assignVariant(stopped.experiment, 'anyone').key).toBe('short');
    expect(w.registry.events(w.as.vi, { after: next }).events).toEqual([
      expect.objectContaining({ type: 'experiment', experimentId: 'exp-sig', status: 'stopped', definitionVersion: 2 }),
    ]);
    const audit = w.accounts.audit.query({ action: 'experiment.stop' });
    expect(audit.map((a) => [a.actor, a.details['winner'], a.details['before'], a.details['after']])).toEqual([
      ['ed', 'short', 1, 2],
    ]);
    // Again with the same winner: unchanged; another winner: a conflict.
    expect(w.registry.stopExperiment(w.as.ed, NAME, 'exp-sig', 'short').experiment.version).toBe(2);
    expect(refusal(() => w.registry.stopExperiment(w.as.ed, NAME, 'exp-sig', 'old')).code).toBe('experiment_conflict');
    expect(w.accounts.audit.query({ action: 'experiment.stop' })).toHaveLength(1);
  });

  it('writers only; a locked project refuses everyone; any role lists', async () => {
    const w = await world();
    expect(refusal(() => w.registry.putExperiment(w.as.vi, NAME, 'exp-sig', definition())).code).toBe('read_only');
    expect(refusal(() => w.registry.putExperiment(w.as.out, NAME, 'exp-sig', definition())).code).toBe('forbidden');
    expect(refusal(() => w.registry.experiments(w.as.out, NAME)).code).toBe('forbidden');
    w.registry.putExperiment(w.as.cy, NAME, 'exp-sig', definition());
    expect(refusal(() => w.registry.stopExperiment(w.as.vi, NAME, 'exp-sig', 'short')).code).toBe('read_only');
    w.registry.setEditMode(w.as.ed, 'p1', 'locked');
    for (const who of [w.as.ed, w.as.cy, w.as.root]) {
      expect(refusal(() => w.registry.putExperiment(who, NAME, 'exp-sig', definition({ name: 'x' }))).code).toBe(
        'project_locked',
      );
      expect(refusal(() => w.registry.stopExperiment(who, NAME, 'exp-sig', 'short')).code).toBe('project_locked');
    }
    expect(w.registry.experiments(w.as.vi, NAME)).toHaveLength(1);
    expect(meta(w).experiments?.[0]?.version).toBe(1);
  });
});

describe('registry.db migration 2', () => {
  it('keeps the feed events, their ids and the id counter', () => {
    const file = join(tempDir(dirs), REGISTRY_FILE);
    const v1 = openRegistryDb(file, REGISTRY_MIGRATIONS.slice(0, 1));
    const insert = v1.prepare(
      "INSERT INTO events (type, name, project_id, set_id, payload, at) VALUES ('publish', '@a/b', 'p', 's', '{}', 't')",
    );
    for (let i = 0; i < 3; i++) insert.run();
    v1.prepare('DELETE FROM events WHERE id = 3').run(); // the counter stays at 3
    v1.close();
    const v2 = openRegistryDb(file);
    try {
      expect(v2.pragma('user_version', { simple: true })).toBe(2);
      expect(v2.prepare('SELECT id, type FROM events ORDER BY id').all()).toEqual([
        { id: 1, type: 'publish' },
        { id: 2, type: 'publish' },
      ]);
      const id = v2
        .prepare(
          "INSERT INTO events (type, name, project_id, set_id, payload, at) VALUES ('experiment', '@a/b', 'p', 's', '{}', 't')",
        )
        .run().lastInsertRowid;
      expect(Number(id)).toBe(4);
      expect(() =>
        v2
          .prepare(
            "INSERT INTO events (type, name, project_id, set_id, payload, at) VALUES ('x', '@a/b', 'p', 's', '{}', 't')",
          )
          .run(),
      ).toThrow(/CHECK/);
    } finally {
      v2.close();
    }
  });
});
