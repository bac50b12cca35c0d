import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ORIGIN, prompts } from '../../../shared/doc';
import type { TempWorkspace } from '../workspace/testing';
import { tempWorkspace } from '../workspace/testing';

let t: TempWorkspace;
let setId: string;
beforeEach(async () => {
  t = await tempWorkspace();
  const project = await t.ws.projects.create({ name: 'acme' });
  setId = (await t.ws.sets.create({ projectId: project.id, name: 'support' })).id;
  await t.ws.prompts.create({ setId, name: 'greeting', kind: 'text', template: 'Hello' });
});
afterEach(() => t.dispose());

describe('versions', () => {
  it('refuses a number that is not semver, and an unknown set or version', async () => {
    const { ws } = t;
    await expect(ws.versions.save({ setId, version: '1.0', changelog: '' })).rejects.toMatchObject({
      code: 'invalid_version',
    });
    await expect(ws.versions.save({ setId: 'nope', version: '1.0.0', changelog: '' })).rejects.toMatchObject({
      code: 'set_not_found',
    });
    await expect(ws.versions.get({ setId, version: '9.9.9' })).rejects.toMatchObject({ code: 'version_not_found' });
    await expect(ws.versions.restore({ setId, version: '9.9.9' })).rejects.toMatchObject({ code: 'version_not_found' });
  });

  it('lets only one of two concurrent saves of one number land', async () => {
    const { ws } = t;
    const results = await Promise.allSettled([
      ws.versions.save({ setId, version: '1.0.0', changelog: 'a' }),
      ws.versions.save({ setId, version: '1.0.0', changelog: 'b' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'version_exists' } });
    expect(await ws.versions.list({ setId })).toHaveLength(1);
  });

  it('refuses to freeze a draft that is not valid content (two prompts of one name, merged from sync)', async () => {
    const { ws } = t;
    const { docs } = ws.internals;
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(docs.get(setId) as Y.Doc));
    const [id] = [...prompts(replica).keys()];
    const copy = new Y.Map<unknown>();
    prompts(replica).set('other', copy);
    copy.set('id', 'other');
    copy.set('name', 'greeting');
    copy.set('kind', 'text');
    copy.set('template', new Y.Text('Hi'));
    expect(id).toBeDefined();
    await docs.applyUpdate(setId, Y.encodeStateAsUpdate(replica), ORIGIN.remote);
    await expect(ws.versions.save({ setId, version: '1.0.0', changelog: '' })).rejects.toMatchObject({
      code: 'invalid_content',
    });
  });

  it('keeps the draft a restore replaced as a snapshot that can itself be restored', async () => {
    const { ws } = t;
    await ws.versions.save({ setId, version: '1.0.0', changelog: 'first' });
    const [p] = (await ws.getSetContent(setId)).prompts;
    await ws.prompts.setTemplate({ setId, promptId: p?.id ?? '', text: 'Hello, world' });
    const edited = await ws.getSetContent(setId);
    const { snapshot } = await ws.versions.restore({ setId, version: '1.0.0' });
    expect((await ws.getSetContent(setId)).prompts[0]).toMatchObject({ template: 'Hello' });
    await ws.versions.restoreSnapshot({ snapshotId: snapshot?.id ?? '' });
    expect(await ws.getSetContent(setId)).toEqual(edited);
    // Restoring what the draft already holds changes nothing and keeps no snapshot.
    const again = await ws.versions.restoreSnapshot({ snapshotId: snapshot?.id ?? '' });
    expect(again.snapshot).toBeNull();
    expect(await ws.versions.snapshots({ setId })).toHaveLength(2);
  });
});
