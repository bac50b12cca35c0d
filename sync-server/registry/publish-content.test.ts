import { afterEach, describe, expect, it } from 'vitest';
import type { PromptSetContent } from '../../shared/domain';
import { PromptSetContent as Schema } from '../../shared/domain';
import { readBundle, bundleContent } from '../../shared/registry/bundle';
import type { PublishResult } from '../../shared/registry/api';
import { REGISTRY_PATHS } from '../../shared/registry/api';
import type { PublishProblem } from '../../shared/registry/types';
import { removeDirs, tempDir } from '../server/testing';
import type { RegistryWorld } from './http-fixtures';
import { PROJECT, openRegistryWorld, setContent } from './http-fixtures';

// `POST /api/registry/publish` with content inline (`anvil push DIR`): recorded as a team version of the set,
// then published with every check of a team version's publish.

const dirs: string[] = [];
const worlds: RegistryWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
  removeDirs(dirs);
});
async function world(): Promise<RegistryWorld> {
  const w = await openRegistryWorld(tempDir(dirs));
  worlds.push(w);
  return w;
}

interface ErrorBody {
  error: { code: string; message: string; details?: { problems: PublishProblem[] } };
}
type Answer = PublishResult & ErrorBody;

/** A set no studio ever synced: its document does not exist on the server. */
const fresh = (template = 'Hello {{ customer }}!', over: Partial<PromptSetContent> = {}): PromptSetContent =>
  setContent({
    id: 'set-from-folder',
    name: 'folder',
    prompts: [
      {
        ...(setContent().prompts[0] as PromptSetContent['prompts'][number]),
        template,
      } as PromptSetContent['prompts'][number],
    ],
    ...over,
  });

const inline = (content: unknown, version: string, extra: Record<string, unknown> = {}) => ({
  projectId: PROJECT.id,
  content,
  version,
  ...extra,
});

describe('publishing content inline', () => {
  it('records a team version (author: the caller) and publishes exactly that content', async () => {
    const w = await world();
    const content = fresh();
    const r = await w.call<Answer>(
      'POST',
      REGISTRY_PATHS.publish,
      w.tokens.cy,
      inline(content, '1.0.0', { changelog: 'First' }),
    );
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ status: 'published', name: '@acme/folder', version: '1.0.0', latest: true });

    const team = w.versions.find(PROJECT.id, 'set-from-folder', '1.0.0');
    expect(team).toMatchObject({ author: 'cy', changelog: 'First', override: null, version: '1.0.0' });
    // Studios pull it with the project's versions, as any team version.
    const listed = await w.call<{ versions: { id: string }[] }>(
      'GET',
      `/api/projects/${PROJECT.id}/versions`,
      w.tokens.vi,
    );
    expect(listed.json.versions.map((v) => v.id)).toContain(team?.id);

    const bytes = await w.call('GET', REGISTRY_PATHS.bundle('@acme/folder', '1.0.0'), w.tokens.vi);
    const bundle = await readBundle(new TextEncoder().encode(bytes.text), {
      integrity: (r.json as { integrity: string }).integrity,
    });
    expect(bundleContent(bundle.document)).toEqual(Schema.parse(content));
    expect(bundle.document.manifest).toMatchObject({ author: 'cy', changelog: 'First' });
  });

  it('refuses before storing anything: a broken template (422, every problem), a viewer, a locked project', async () => {
    const w = await world();
    const broken = await w.call<Answer>(
      'POST',
      REGISTRY_PATHS.publish,
      w.tokens.ed,
      inline(fresh('Hi {% if x %}'), '1.0.0'),
    );
    expect(broken.status).toBe(422);
    expect(broken.json.error.code).toBe('publish_refused');
    expect(broken.json.error.details?.problems[0]).toMatchObject({ code: 'template_error', prompt: 'greet', line: 1 });
    expect(w.versions.find(PROJECT.id, 'set-from-folder', '1.0.0')).toBeNull();

    const viewer = await w.call<Answer>('POST', REGISTRY_PATHS.publish, w.tokens.vi, inline(fresh(), '1.0.0'));
    expect([viewer.status, viewer.json.error.code]).toEqual([403, 'read_only']);
    const outsider = await w.call<Answer>('POST', REGISTRY_PATHS.publish, w.tokens.out, inline(fresh(), '1.0.0'));
    expect([outsider.status, outsider.json.error.code]).toEqual([403, 'forbidden']);
    expect((await w.call('PUT', REGISTRY_PATHS.editMode(PROJECT.id), w.tokens.ed, { editMode: 'locked' })).status).toBe(
      200,
    );
    const locked = await w.call<Answer>('POST', REGISTRY_PATHS.publish, w.tokens.cy, inline(fresh(), '1.0.0'));
    expect([locked.status, locked.json.error.code]).toEqual([403, 'project_locked']);
    expect(w.versions.find(PROJECT.id, 'set-from-folder', '1.0.0')).toBeNull();
  });

  it('a retry with the same content answers version_published; other content under the number is version_taken', async () => {
    const w = await world();
    expect((await w.call('POST', REGISTRY_PATHS.publish, w.tokens.ed, inline(fresh(), '1.0.0'))).status).toBe(201);
    const again = await w.call<Answer>('POST', REGISTRY_PATHS.publish, w.tokens.ed, inline(fresh(), '1.0.0'));
    expect([again.status, again.json.error.code]).toEqual([409, 'version_published']);
    const other = await w.call<Answer>('POST', REGISTRY_PATHS.publish, w.tokens.ed, inline(fresh('Changed'), '1.0.0'));
    expect([other.status, other.json.error.code]).toEqual([409, 'version_taken']);
    expect(w.versions.list(PROJECT.id).versions).toHaveLength(1);
  });

  it('publishes the team version a studio saved with the same content, without a second one', async () => {
    const w = await world();
    const saved = await w.teamVersion(setContent(), '1.0.0');
    const r = await w.call<Answer>('POST', REGISTRY_PATHS.publish, w.tokens.ed, inline(setContent(), '1.0.0'));
    expect(r.status).toBe(201);
    expect(w.versions.list(PROJECT.id).versions.map((v) => v.id)).toEqual([saved.id]);
  });

  it('checks the bump against what is published (wrong_bump, then accepted with an override)', async () => {
    const w = await world();
    expect((await w.call('POST', REGISTRY_PATHS.publish, w.tokens.ed, inline(fresh(), '1.0.0'))).status).toBe(201);
    const removed = fresh('Hello {{ customer }}!', { prompts: [] });
    const wrong = await w.call<Answer>('POST', REGISTRY_PATHS.publish, w.tokens.ed, inline(removed, '1.0.1'));
    expect(wrong.status).toBe(422);
    expect(wrong.json.error.details?.problems.map((p) => p.code)).toContain('wrong_bump');
    expect(w.versions.find(PROJECT.id, 'set-from-folder', '1.0.1')).toBeNull();
    const overridden = await w.call<Answer>(
      'POST',
      REGISTRY_PATHS.publish,
      w.tokens.ed,
      inline(removed, '1.0.1', { override: 'nobody used greet' }),
    );
    expect(overridden.status).toBe(201);
    expect(w.versions.find(PROJECT.id, 'set-from-folder', '1.0.1')).toMatchObject({
      changeClass: 'major',
      override: 'nobody used greet',
    });
  });

  it('in a review project opens a review of the recorded team version (202)', async () => {
    const w = await world();
    expect((await w.call('PUT', REGISTRY_PATHS.editMode(PROJECT.id), w.tokens.ed, { editMode: 'review' })).status).toBe(
      200,
    );
    const r = await w.call<Answer>('POST', REGISTRY_PATHS.publish, w.tokens.cy, inline(fresh(), '1.0.0'));
    expect(r.status).toBe(202);
    const team = w.versions.find(PROJECT.id, 'set-from-folder', '1.0.0');
    expect(r.json.status === 'review' && r.json.review).toMatchObject({
      version: '1.0.0',
      versionId: team?.id,
      authorName: 'cy',
    });
    expect((await w.call('GET', REGISTRY_PATHS.metadata('@acme/folder'), w.tokens.ed)).status).toBe(404);
  });

  it('answers 400 for a malformed body, content of another project or content that is not a set', async () => {
    const w = await world();
    const bad = await w.call<Answer>('POST', REGISTRY_PATHS.publish, w.tokens.ed, {
      projectId: PROJECT.id,
      content: 'x',
      version: '1.0.0',
    });
    expect([bad.status, bad.json.error.code]).toEqual([400, 'invalid_body']);
    const other = await w.call<Answer>(
      'POST',
      REGISTRY_PATHS.publish,
      w.tokens.ed,
      inline(fresh('x', { projectId: 'p2' }), '1.0.0'),
    );
    expect([other.status, other.json.error.code]).toEqual([400, 'invalid_request']);
    const notSet = await w.call<Answer>(
      'POST',
      REGISTRY_PATHS.publish,
      w.tokens.ed,
      inline({ id: 'x', projectId: PROJECT.id }, '1.0.0'),
    );
    expect([notSet.status, notSet.json.error.code]).toEqual([422, 'publish_refused']);
    expect(notSet.json.error.message).toContain('prompts');
    const badVersion = await w.call<Answer>('POST', REGISTRY_PATHS.publish, w.tokens.ed, inline(fresh(), '1.0'));
    expect([badVersion.status, badVersion.json.error.details?.problems[0]?.code]).toEqual([422, 'invalid_version']);
    expect(w.versions.list(PROJECT.id).versions).toHaveLength(0);
  });
});
