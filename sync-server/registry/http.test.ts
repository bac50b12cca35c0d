import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TextPrompt } from '../../shared/domain';
import type { PackageMetadata, PublishResult } from '../../shared/registry/api';
import { REGISTRY_PATHS } from '../../shared/registry/api';
import type { PublishProblem } from '../../shared/registry/types';
import { removeDirs, tempDir } from '../server/testing';
import type { RegistryWorld, SseClient } from './http-fixtures';
import { PROJECT, openFeed, openRegistryWorld, setContent } from './http-fixtures';

const dirs: string[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
  removeDirs(dirs);
});

async function world(options: Parameters<typeof openRegistryWorld>[1] = {}): Promise<RegistryWorld> {
  const w = await openRegistryWorld(tempDir(dirs), options);
  cleanups.push(() => w.close());
  return w;
}

async function feed(w: RegistryWorld, query: string, token: string, headers: Record<string, string> = {}) {
  const client = await openFeed(`${w.server.httpUrl}${REGISTRY_PATHS.feed}${query}`, token, headers);
  cleanups.push(() => client.close());
  return client;
}

interface ErrorBody {
  error: { code: string; message: string; details?: { problems: PublishProblem[] } };
}
const NAME = '@acme/support';
const publishBody = (version: string) => ({ projectId: PROJECT.id, setId: 'set-a', version });
const bundleFiles = (w: RegistryWorld) => readdirSync(join(w.dir, 'bundles')).filter((f) => f.endsWith('.json'));

describe('registry HTTP: publishing', () => {
  it('two publishers race the same version: exactly one 201, the other 409, one bundle file', async () => {
    const w = await world();
    await w.teamVersion(setContent(), '1.0.0');
    const [a, b] = await Promise.all([
      w.call<PublishResult & ErrorBody>('POST', REGISTRY_PATHS.publish, w.tokens.ed, publishBody('1.0.0')),
      w.call<PublishResult & ErrorBody>('POST', REGISTRY_PATHS.publish, w.tokens.cy, publishBody('1.0.0')),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.json.error.code).toBe('version_published');
    expect(loser.json.error.message).toContain('1.0.0');
    expect(bundleFiles(w)).toHaveLength(1);
    // Again later, the same bytes: still 409 (a version is written once).
    expect((await w.call('POST', REGISTRY_PATHS.publish, w.tokens.ed, publishBody('1.0.0'))).status).toBe(409);
  });

  it('answers 201 with the name, version and integrity, and 202 with the review in a review project', async () => {
    const w = await world();
    const published = await w.publish(setContent(), '1.0.0');
    expect(published).toMatchObject({ status: 'published', name: NAME, version: '1.0.0', latest: true });
    expect(published.integrity).toMatch(/^sha512-[A-Za-z0-9+/]+=*$/);
    expect(
      (await w.call('PUT', REGISTRY_PATHS.editMode(PROJECT.id), w.tokens.ed, { editMode: 'review' })).json,
    ).toEqual({ editMode: 'review' });
    await w.teamVersion(setContent({ description: 'changed' }), '1.1.0');
    const r = await w.call<PublishResult>('POST', REGISTRY_PATHS.publish, w.tokens.cy, publishBody('1.1.0'));
    expect(r.status).toBe(202);
    expect(r.json.status).toBe('review');
    const review = r.json.status === 'review' ? r.json.review : null;
    expect(review).toMatchObject({ name: NAME, version: '1.1.0', state: 'open' });
    const listed = await w.call<{ reviews: { id: string }[] }>(
      'GET',
      `${REGISTRY_PATHS.reviews}?state=open`,
      w.tokens.ed,
    );
    expect(listed.json.reviews.map((x) => x.id)).toEqual([review?.id]);
    const decided = await w.call<{ state: string; published: PublishResult | null }>(
      'POST',
      REGISTRY_PATHS.decision(review?.id as string),
      w.tokens.ed,
      { decision: 'approve', note: 'fine' },
    );
    expect(decided.status).toBe(200);
    expect(decided.json.state).toBe('approved');
    expect(decided.json.published).toMatchObject({ status: 'published', version: '1.1.0' });
  });

  it('refuses, each with its status and a message naming the problem', async () => {
    const w = await world();
    await w.publish(setContent(), '1.0.0');
    const refused = async (version: string, content: ReturnType<typeof setContent>, token = w.tokens.ed) => {
      await w.teamVersion(content, version);
      return w.call<ErrorBody>('POST', REGISTRY_PATHS.publish, token, publishBody(version));
    };
    const problems = (r: { json: ErrorBody }) => r.json.error.details?.problems ?? [];

    // Removing a prompt is breaking: a patch number is the wrong bump.
    const [greet] = setContent().prompts;
    const bump = await refused('1.0.1', setContent({ prompts: [greet as TextPrompt] }));
    expect(bump.status).toBe(422);
    expect(bump.json.error.code).toBe('publish_refused');
    expect(problems(bump).map((p) => p.code)).toContain('wrong_bump');
    expect(problems(bump).find((p) => p.code === 'wrong_bump')?.message).toMatch(/bye|major|breaking/i);

    const broken = setContent();
    broken.prompts[1] = { ...(broken.prompts[1] as TextPrompt), template: 'Hi {% if x %}unclosed' };
    const template = await refused('1.1.0', broken);
    expect(template.status).toBe(422);
    const t = problems(template).find((p) => p.code === 'template_error');
    expect(t?.prompt).toBe('bye');
    expect(t?.message).toMatch(/if/);

    const needsDep = setContent({ dependencies: { '@acme/common': '^1.0.0' } });
    needsDep.prompts[1] = { ...(needsDep.prompts[1] as TextPrompt), template: '{% render "@acme/common/sig" %}' };
    const dep = await refused('1.2.0', needsDep);
    expect(dep.status).toBe(422);
    expect(
      problems(dep)
        .map((p) => p.message)
        .join('\n'),
    ).toContain('@acme/common');

    await w.teamVersion(setContent({ description: 'v2' }), '1.3.0');
    const viewer = await w.call<ErrorBody>('POST', REGISTRY_PATHS.publish, w.tokens.vi, publishBody('1.3.0'));
    expect(viewer.status).toBe(403);
    expect(viewer.json.error.code).toBe('read_only');
    expect(viewer.json.error.message).toMatch(/[Vv]iewer/);

    const none = await w.call<ErrorBody>('POST', REGISTRY_PATHS.publish, null, publishBody('1.3.0'));
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('unauthorized');

    expect((await w.call('PUT', REGISTRY_PATHS.editMode(PROJECT.id), w.tokens.ed, { editMode: 'locked' })).status).toBe(
      200,
    );
    const locked = await w.call<ErrorBody>('POST', REGISTRY_PATHS.publish, w.tokens.ed, publishBody('1.3.0'));
    expect(locked.status).toBe(403);
    expect(locked.json.error.code).toBe('project_locked');
    expect(locked.json.error.message).toMatch(/locked/);

    // Bad input is 400 before the registry sees it.
    const bad = await w.call<ErrorBody>('POST', REGISTRY_PATHS.publish, w.tokens.ed, { projectId: 1 });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('projectId');
    // Nothing of the refused versions was published.
    const meta = await w.call<PackageMetadata>('GET', REGISTRY_PATHS.metadata(NAME), w.tokens.ed);
    expect(Object.keys(meta.json.versions)).toEqual(['1.0.0']);
  });
});

describe('registry HTTP: metadata and bundles', () => {
  it('serves metadata with a strong ETag and 304 on If-None-Match, a new ETag after a publish', async () => {
    const w = await world();
    await w.publish(setContent(), '1.0.0');
    const first = await w.call<PackageMetadata>('GET', REGISTRY_PATHS.metadata(NAME), w.tokens.vi);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(first.json).toMatchObject({ name: NAME, projectId: PROJECT.id, distTags: { latest: '1.0.0' } });
    const again = await w.call('GET', REGISTRY_PATHS.metadata(NAME), w.tokens.vi, undefined, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    // The same bytes each time (cached, never re-serialised).
    expect((await w.call('GET', REGISTRY_PATHS.metadata(NAME), w.tokens.ed)).text).toBe(first.text);
    await w.publish(setContent({ description: 'more' }), '1.1.0');
    const changed = await w.call<PackageMetadata>('GET', REGISTRY_PATHS.metadata(NAME), w.tokens.vi, undefined, {
      'if-none-match': etag,
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(changed.json.distTags.latest).toBe('1.1.0');
    // npm's encoded form of the name reaches the same package.
    expect((await w.call('GET', '/api/registry/packages/@acme%2Fsupport', w.tokens.vi)).status).toBe(200);
  });

  it('serves a bundle as its exact bytes with its integrity, 304 on a match, immutable caching', async () => {
    const w = await world();
    const published = await w.publish(setContent(), '1.0.0');
    const res = await fetch(`${w.server.httpUrl}${REGISTRY_PATHS.bundle(NAME, '1.0.0')}`, {
      headers: { authorization: `Bearer ${w.tokens.vi}` },
    });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const integrity = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
    expect(integrity).toBe(published.integrity);
    expect(res.headers.get('x-anvil-integrity')).toBe(integrity);
    expect(res.headers.get('etag')).toBe(`"${integrity}"`);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toContain('immutable');
    const file = readFileSync(join(w.dir, 'bundles', bundleFiles(w)[0] as string));
    expect(Buffer.compare(Buffer.from(bytes), file)).toBe(0);
    const conditional = await w.call('GET', REGISTRY_PATHS.bundle(NAME, '1.0.0'), w.tokens.vi, undefined, {
      'if-none-match': `W/"other", "${integrity}"`,
    });
    expect(conditional.status).toBe(304);
    expect(conditional.text).toBe('');
    // Still behind the token, and an unknown version is 404.
    expect((await w.call('GET', REGISTRY_PATHS.bundle(NAME, '1.0.0'), null)).status).toBe(401);
    const unknown = await w.call<ErrorBody>('GET', REGISTRY_PATHS.bundle(NAME, '9.9.9'), w.tokens.vi);
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('unknown_version');
  });

  it('a bundle altered on disk answers 500 integrity_mismatch and none of its bytes', async () => {
    const w = await world();
    await w.publish(setContent(), '1.0.0');
    const file = join(w.dir, 'bundles', bundleFiles(w)[0] as string);
    const original = readFileSync(file, 'utf8');
    const altered = original.replace('Goodbye.', 'Goodbye!');
    expect(altered).not.toBe(original);
    writeFileSync(file, altered);
    const later = new Date(Date.now() + 5_000);
    utimesSync(file, later, later);
    const r = await w.call<ErrorBody>('GET', REGISTRY_PATHS.bundle(NAME, '1.0.0'), w.tokens.ed);
    expect(r.status).toBe(500);
    expect(r.json.error.code).toBe('integrity_mismatch');
    expect(r.text).not.toContain('Goodbye');
  });

  it('a private project needs a role: 403 without one, 200 for a viewer; 404 for an unknown package', async () => {
    const w = await world();
    await w.publish(setContent(), '1.0.0');
    for (const path of [
      REGISTRY_PATHS.metadata(NAME),
      REGISTRY_PATHS.bundle(NAME, '1.0.0'),
      REGISTRY_PATHS.projectPackages(PROJECT.name),
    ]) {
      const out = await w.call<ErrorBody>('GET', path, w.tokens.out);
      expect(out.status, path).toBe(403);
      expect(out.json.error.code).toBe('forbidden');
      expect((await w.call('GET', path, w.tokens.vi)).status, path).toBe(200);
    }
    const search = await w.call<{ results: { name: string }[] }>(
      'GET',
      `${REGISTRY_PATHS.search}?q=greet`,
      w.tokens.out,
    );
    expect(search.json.results).toEqual([]);
    const found = await w.call<{ results: { name: string }[] }>('GET', `${REGISTRY_PATHS.search}?q=greet`, w.tokens.vi);
    expect(found.json.results.map((r) => r.name)).toEqual([NAME]);
    expect((await w.call('GET', REGISTRY_PATHS.metadata('@acme/nope'), w.tokens.vi)).status).toBe(404);
  });

  it('a revoked token: refused at once for writes, for downloads after the 1 s read cache at most', async () => {
    const w = await world();
    await w.publish(setContent(), '1.0.0');
    const created = w.accounts.createToken('cy');
    expect((await w.call('GET', REGISTRY_PATHS.bundle(NAME, '1.0.0'), created.token)).status).toBe(200);
    w.accounts.revokeToken(created.tokenId);
    const write = await w.call('PUT', REGISTRY_PATHS.distTag(NAME, 'beta'), created.token, { version: '1.0.0' });
    expect(write.status).toBe(401);
    expect((await w.call('GET', REGISTRY_PATHS.events, created.token)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await w.call('GET', REGISTRY_PATHS.bundle(NAME, '1.0.0'), created.token)).status).toBe(401);
  });

  it('dist-tags and deprecation over HTTP; viewers may not change them', async () => {
    const w = await world();
    await w.publish(setContent(), '1.0.0');
    const tag = await w.call('PUT', REGISTRY_PATHS.distTag(NAME, 'beta'), w.tokens.cy, { version: '1.0.0' });
    expect(tag.json).toEqual({ distTags: { latest: '1.0.0', beta: '1.0.0' } });
    expect((await w.call('PUT', REGISTRY_PATHS.distTag(NAME, 'beta'), w.tokens.vi, { version: '1.0.0' })).status).toBe(
      403,
    );
    expect((await w.call('DELETE', REGISTRY_PATHS.distTag(NAME, 'latest'), w.tokens.ed)).status).toBe(400);
    expect((await w.call('DELETE', REGISTRY_PATHS.distTag(NAME, 'beta'), w.tokens.ed)).json).toEqual({
      distTags: { latest: '1.0.0' },
    });
    const dep = await w.call<{ deprecated: string }>('POST', REGISTRY_PATHS.deprecate(NAME), w.tokens.ed, {
      version: '1.0.0',
      message: 'use 2',
    });
    expect(dep.status).toBe(200);
    expect(dep.json.deprecated).toBe('use 2');
  });
});

describe('registry HTTP: the feed', () => {
  it('resumes with Last-Event-ID: exactly the missed events, in order, then live ones', async () => {
    const w = await world();
    await w.publish(setContent(), '1.0.0');
    const first = await feed(w, '', w.tokens.vi);
    expect(first.status).toBe(200);
    const [published] = await first.waitFor(1);
    expect(published).toMatchObject({ event: 'publish', data: { type: 'publish', name: NAME, version: '1.0.0' } });
    await w.call('PUT', REGISTRY_PATHS.distTag(NAME, 'beta'), w.tokens.ed, { version: '1.0.0' });
    const seen = await first.waitFor(2);
    first.close();
    const lastId = (seen.at(-1) as { id: number }).id;

    // While the reader is away.
    await w.call('PUT', REGISTRY_PATHS.distTag(NAME, 'rc'), w.tokens.ed, { version: '1.0.0' });
    await w.call('POST', REGISTRY_PATHS.deprecate(NAME), w.tokens.ed, { version: '1.0.0', message: 'old' });
    await w.publish(setContent({ description: 'two' }), '1.1.0');

    const back = await feed(w, '?after=0', w.tokens.vi, { 'last-event-id': String(lastId) });
    const missed = await back.waitFor(3);
    expect(missed.map((e) => e.event)).toEqual(['dist-tag', 'deprecate', 'publish']);
    expect(missed.map((e) => e.id)).toEqual([...missed.map((e) => e.id)].sort((a, b) => a - b));
    expect(missed[0]?.id).toBeGreaterThan(lastId);
    // Then live, no duplicate at the seam.
    await w.call('DELETE', REGISTRY_PATHS.distTag(NAME, 'rc'), w.tokens.ed);
    const all = await back.waitFor(4);
    expect(all[3]?.data).toMatchObject({ type: 'dist-tag', tag: 'rc', version: null });
    await new Promise((r) => setTimeout(r, 100));
    expect(back.events).toHaveLength(4);
    // The polled route answers the same events.
    const polled = await w.call<{ events: { id: number }[]; next: number }>(
      'GET',
      `${REGISTRY_PATHS.events}?after=${lastId}`,
      w.tokens.vi,
    );
    expect(polled.json.events.map((e) => e.id)).toEqual(all.map((e) => e.id));
  });

  it('filters by project and by package name, and shows nobody a project they cannot see', async () => {
    const w = await world();
    const edId = w.accounts.getUser('ed')?.id as string;
    w.accounts.registerProject(edId, 'p2', 'beta');
    w.accounts.setRole('vi', 'p2', 'viewer');
    const other = setContent({ id: 'set-b', projectId: 'p2', name: 'sales' });
    const byProject = await feed(w, '?project=beta', w.tokens.vi);
    const byName = await feed(w, `?name=${encodeURIComponent(NAME)}`, w.tokens.vi);
    const outsider = await feed(w, '', w.tokens.out);
    await w.publish(setContent(), '1.0.0');
    await w.publish(other, '1.0.0');
    await w.publish(setContent({ description: 'x' }), '1.1.0');
    expect((await byProject.waitFor(1)).map((e) => e.data.name)).toEqual(['@beta/sales']);
    expect((await byName.waitFor(2)).map((e) => e.data.type === 'publish' && e.data.version)).toEqual([
      '1.0.0',
      '1.1.0',
    ]);
    // The outsider has a role on neither project.
    await new Promise((r) => setTimeout(r, 100));
    expect(byProject.events).toHaveLength(1);
    expect(byName.events).toHaveLength(2);
    expect(outsider.events).toHaveLength(0);
    // Replayed the same way.
    const replay = await feed(w, '?project=acme&after=0', w.tokens.vi);
    expect((await replay.waitFor(2)).map((e) => e.data.name)).toEqual([NAME, NAME]);
  });

  it('sends heartbeats, drops nobody idle, ends streams when the server closes, refuses bad cursors', async () => {
    const w = await world({ feed: { heartbeatMs: 50 } });
    const client: SseClient = await feed(w, '', w.tokens.vi);
    await new Promise((r) => setTimeout(r, 200));
    expect(client.raw().match(/^: ping$/gm)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(client.raw()).toMatch(/^retry: \d+$/m);
    expect((await w.call('GET', `${REGISTRY_PATHS.feed}?after=x`, w.tokens.vi)).status).toBe(400);
    expect((await w.call('GET', REGISTRY_PATHS.feed, null)).status).toBe(401);
    await w.server.close();
    await client.ended;
  });
});
