import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExperimentList } from '../../shared/experiments';
import type { ExperimentDefinition, ExperimentRecord } from '../../shared/registry/api';
import { REGISTRY_PATHS } from '../../shared/registry/api';
import type { FeedEvent, PackageMetadata } from '../../shared/registry/types';
import { removeDirs, tempDir } from '../server/testing';
import type { RegistryWorld } from './http-fixtures';
import { PROJECT, openRegistryWorld, setContent } from './http-fixtures';

// One server for the file, the steps in order (the last locks the project): fast on two shared cores.
const dirs: string[] = [];
let w: RegistryWorld;
beforeAll(async () => {
  w = await openRegistryWorld(tempDir(dirs));
  await w.publish(setContent(), '1.0.0');
});
afterAll(async () => {
  await w.close();
  removeDirs(dirs);
});

const NAME = '@acme/support';
interface ErrorBody {
  error: { code: string; message: string; details?: { issues?: { path: string; message: string }[] } };
}
const definition = (over: Partial<ExperimentDefinition> = {}): ExperimentDefinition => ({
  name: 'Greeting',
  prompt: `${NAME}/greet`,
  status: 'running',
  variants: [
    { key: 'control', weight: 1, target: { prompt: 'greet' } },
    { key: 'pinned', weight: 1, target: { version: '1.0.0' } },
  ],
  unit: 'userId',
  metric: { name: 'resolved', kind: 'rate' },
  ...over,
});
const put = (id: string, body: unknown, token = w.tokens.cy) =>
  w.call<ExperimentRecord & ErrorBody>('PUT', REGISTRY_PATHS.experiment(NAME, id), token, body);
const stop = (id: string, body: unknown, token = w.tokens.cy) =>
  w.call<ExperimentRecord & ErrorBody>('POST', REGISTRY_PATHS.stopExperiment(NAME, id), token, body);
const metadata = (etag?: string) =>
  w.call<PackageMetadata>(
    'GET',
    REGISTRY_PATHS.metadata(NAME),
    w.tokens.vi,
    undefined,
    etag ? { 'if-none-match': etag } : {},
  );
const eventsAfter = async (after: number) =>
  (await w.call<{ events: FeedEvent[]; next: number }>('GET', `${REGISTRY_PATHS.events}?after=${after}`, w.tokens.vi))
    .json;

describe('registry HTTP: experiments', () => {
  it('PUT creates (201), the metadata carries it under a new ETag, a feed event follows', async () => {
    const before = await metadata();
    expect(before.json.experiments).toBeUndefined();
    const etag = before.headers.get('etag') as string;
    const { next } = await eventsAfter(0);

    const created = await put('exp-greet', definition());
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: NAME, current: true, createdBy: 'cy' });
    expect(created.json.experiment).toMatchObject({ id: 'exp-greet', version: 1, status: 'running' });

    const after = await metadata(etag);
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(after.json.experiments).toEqual([created.json.experiment]);
    expect(checkExperimentList(after.json.experiments).ok).toBe(true);
    expect((await metadata(after.headers.get('etag') as string)).status).toBe(304);

    expect((await eventsAfter(next)).events).toEqual([
      expect.objectContaining({ type: 'experiment', name: NAME, experimentId: 'exp-greet', definitionVersion: 1 }),
    ]);
    const list = await w.call<{ experiments: ExperimentRecord[] }>(
      'GET',
      REGISTRY_PATHS.experiments(NAME),
      w.tokens.vi,
    );
    expect(list.status).toBe(200);
    expect(list.json.experiments).toEqual([created.json]);
  });

  it('PUT changes (200, version 2, new ETag); the same again is 200 unchanged', async () => {
    const etag = (await metadata()).headers.get('etag') as string;
    const changed = await put(
      'exp-greet',
      definition({
        variants: [
          { key: 'control', weight: 9, target: { prompt: 'greet' } },
          { key: 'pinned', weight: 1, target: { version: '1.0.0' } },
        ],
      }),
      w.tokens.ed,
    );
    expect(changed.status).toBe(200);
    expect(changed.json.experiment.version).toBe(2);
    const now = await metadata(etag);
    expect(now.status).toBe(200);
    expect(now.json.experiments?.[0]?.variants[0]?.weight).toBe(9);
    const same = await put('exp-greet', { ...definition(), variants: changed.json.experiment.variants });
    expect(same.status).toBe(200);
    expect(same.json.experiment.version).toBe(2);
    expect((await metadata(now.headers.get('etag') as string)).status).toBe(304);
    const stale = await put('exp-greet', { ...definition({ name: 'Other' }), version: 2 });
    expect([stale.status, stale.json.error.code]).toEqual([409, 'experiment_conflict']);
  });

  it('400 invalid_experiment names the fields; targets that do not exist; a second running experiment is 409', async () => {
    const bad = await put('exp-bad', {
      ...definition(),
      variants: [{ key: 'control', weight: 0, target: { prompt: 'greet', version: '1.0.0' } }],
    });
    expect([bad.status, bad.json.error.code]).toEqual([400, 'invalid_experiment']);
    expect(bad.json.error.details?.issues?.map((i) => i.path).sort()).toEqual([
      'variants',
      'variants[0].target',
      'variants[0].weight',
    ]);
    expect(bad.json.error.message).toMatch(/^experiment: variants/);

    const missing = await put(
      'exp-bad',
      definition({
        prompt: `${NAME}/bye`,
        variants: [
          { key: 'control', weight: 1, target: { prompt: 'bye' } },
          { key: 'x', weight: 1, target: { version: '2.0.0' } },
          { key: 'y', weight: 1, target: { prompt: 'farewell' } },
        ],
      }),
    );
    expect(missing.status).toBe(400);
    expect(missing.json.error.details?.issues).toEqual([
      { path: 'variants[1].target.version', message: `${NAME} has no published version 2.0.0` },
      { path: 'variants[2].target.prompt', message: `the latest version of ${NAME} (1.0.0) has no prompt "farewell"` },
    ]);

    const second = await put('exp-other', definition());
    expect([second.status, second.json.error.code]).toEqual([409, 'experiment_conflict']);
    expect((await put('exp-x', [])).status).toBe(400);
    expect(
      (await w.call('PUT', REGISTRY_PATHS.experiment('@acme/nope', 'exp-x'), w.tokens.cy, definition())).status,
    ).toBe(404);
  });

  it('POST stop: a bad winner is 400, an unknown experiment 404, the winner 200 with a feed event', async () => {
    const badWinner = await stop('exp-greet', { winner: 'nobody' });
    expect([badWinner.status, badWinner.json.error.code]).toEqual([400, 'invalid_experiment']);
    expect(badWinner.json.error.details?.issues?.[0]?.path).toBe('winner');
    expect((await stop('exp-greet', {})).json.error.code).toBe('invalid_body');
    expect([(await stop('exp-none', { winner: 'control' })).status]).toEqual([404]);

    const { next } = await eventsAfter(0);
    const stopped = await stop('exp-greet', { winner: 'pinned' });
    expect(stopped.status).toBe(200);
    expect(stopped.json.experiment).toMatchObject({ status: 'stopped', winner: 'pinned', version: 3 });
    expect((await metadata()).json.experiments).toEqual([stopped.json.experiment]);
    expect((await eventsAfter(next)).events).toEqual([
      expect.objectContaining({
        type: 'experiment',
        experimentId: 'exp-greet',
        status: 'stopped',
        definitionVersion: 3,
      }),
    ]);
    expect(w.accounts.audit.query({ action: 'experiment.stop' })).toHaveLength(1);
    expect(w.accounts.audit.query({ action: 'experiment.put' })).toHaveLength(2);
  });

  it('viewers 403 read_only, no role 403, a locked project 403 for everyone; 405 for other methods', async () => {
    expect((await put('exp-v', definition({ prompt: `${NAME}/bye` }), w.tokens.vi)).json.error.code).toBe('read_only');
    expect((await put('exp-v', definition(), w.tokens.out)).status).toBe(403);
    expect((await w.call('GET', REGISTRY_PATHS.experiments(NAME), w.tokens.out)).status).toBe(403);
    expect((await w.call('GET', REGISTRY_PATHS.experiments(NAME), null)).status).toBe(401);
    expect((await w.call('DELETE', REGISTRY_PATHS.experiment(NAME, 'exp-greet'), w.tokens.ed)).status).toBe(405);
    expect((await w.call('GET', REGISTRY_PATHS.stopExperiment(NAME, 'exp-greet'), w.tokens.ed)).status).toBe(405);

    const lock = await w.call('PUT', REGISTRY_PATHS.editMode(PROJECT.id), w.tokens.ed, { editMode: 'locked' });
    expect(lock.status).toBe(200);
    for (const token of [w.tokens.ed, w.tokens.cy, w.tokens.admin]) {
      const r = await put('exp-greet', definition({ name: 'Locked' }), token);
      expect([r.status, r.json.error.code]).toEqual([403, 'project_locked']);
    }
    expect((await stop('exp-greet', { winner: 'control' }, w.tokens.ed)).json.error.code).toBe('project_locked');
    expect((await w.call('GET', REGISTRY_PATHS.experiments(NAME), w.tokens.vi)).status).toBe(200);
  });
});
