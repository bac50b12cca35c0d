import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { textPrompt } from '../../shared/domain/fixtures';
import type { PublishRefusedDetails, PublishResult } from '../../shared/registry/api';
import type { FeedEvent, PackageMetadata } from '../../shared/registry/types';
import { removeDirs, until } from '../server/testing';
import { sha512Integrity } from './bundle-files';
import { REGISTRY_FILE } from './index';
import type { RegistryWorld } from './testing';
import { commonSet, registryWorld, supportSet } from './testing';

const dirs: string[] = [];
const worlds: RegistryWorld[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.close();
  removeDirs(dirs);
});

function world(): RegistryWorld {
  const w = registryWorld(dirs, { pollMs: 20 });
  worlds.push(w);
  return w;
}

const request = (setId: string, version: string) => ({ projectId: 'p1', setId, version });
const bundleFiles = (w: RegistryWorld) => readdirSync(join(w.dir, 'bundles'));
const meta = (w: RegistryWorld, name: string) =>
  JSON.parse(new TextDecoder().decode(w.registry.metadata(w.as.ed, name).bytes)) as PackageMetadata;
const published = (r: PublishResult) => {
  if (r.status !== 'published') throw new Error(`expected a publish, got ${r.status}`);
  return r;
};

/** The refusal a promise rejects with, as the API would carry it. */
async function refusal(
  p: Promise<unknown> | (() => unknown),
): Promise<{ code: string; message: string; details: unknown }> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    return err as { code: string; message: string; details: unknown };
  }
  throw new Error('expected a refusal');
}

async function withCommon(w: RegistryWorld): Promise<void> {
  w.save(commonSet(), '1.0.0');
  published(await w.registry.publish(w.as.cy, request('set-common', '1.0.0')));
}

describe('registry: publishing', () => {
  it('publishes a team version: bundle file, metadata with a stable ETag, latest, event, audit', async () => {
    const w = world();
    const team = w.save(commonSet(), '1.0.0');
    const result = published(await w.registry.publish(w.as.cy, request('set-common', '1.0.0')));
    expect(result).toMatchObject({ name: '@acme/common', version: '1.0.0', latest: true, eventId: 1 });

    const { bytes, integrity } = w.registry.bundle(w.as.vi, '@acme/common', '1.0.0');
    expect(integrity).toBe(result.integrity);
    expect(sha512Integrity(bytes)).toBe(integrity);
    const hex = Buffer.from(integrity.slice('sha512-'.length), 'base64').toString('hex');
    expect(bundleFiles(w)).toEqual([`${hex}.json`]);
    expect(readFileSync(join(w.dir, 'bundles', `${hex}.json`))).toEqual(Buffer.from(bytes));

    const first = w.registry.metadata(w.as.vi, '@acme/common');
    const again = w.registry.metadata(w.as.ed, '@acme/common');
    expect(again.etag).toBe(first.etag);
    expect(again.bytes).toBe(first.bytes); // cached bytes, not re-serialised
    expect(first.etag).toMatch(/^"sha256-[A-Za-z0-9_-]+"$/);
    const doc = meta(w, '@acme/common');
    expect(doc).toMatchObject({
      name: '@acme/common',
      projectId: 'p1',
      setId: 'set-common',
      description: 'Shared bits',
      distTags: { latest: '1.0.0' },
      versions: {
        '1.0.0': {
          integrity,
          size: bytes.byteLength,
          publishedBy: 'cy',
          author: 'cy',
          changelog: 'changes in 1.0.0',
          changeClass: 'minor',
          prompts: ['signature'],
          deprecated: null,
        },
      },
    });
    expect(Object.keys(doc.time)).toEqual(['created', 'modified', '1.0.0']);

    // The dependent set resolves its range against the registry.
    w.save(supportSet(), '1.0.0');
    published(await w.registry.publish(w.as.ed, request('set-support', '1.0.0')));
    w.save(commonSet([textPrompt('p-sig', 'signature', 'The Acme support team')]), '1.0.1');
    published(await w.registry.publish(w.as.cy, request('set-common', '1.0.1')));
    const changed = w.registry.metadata(w.as.vi, '@acme/common');
    expect(changed.etag).not.toBe(first.etag);
    expect(meta(w, '@acme/common').versions['1.0.1']?.changeClass).toBe('patch');

    expect(w.registry.published(w.as.vi, 'p1').map((p) => [p.name, p.distTags['latest']])).toEqual([
      ['@acme/common', '1.0.1'],
      ['@acme/support', '1.0.0'],
    ]);
    expect(w.registry.published(w.as.vi, 'p1', 'set-support')).toHaveLength(1);
    expect(w.registry.projectPackages(w.as.vi, 'acme').map((p) => p.versions)).toEqual([['1.0.0', '1.0.1'], ['1.0.0']]);
    const audit = w.accounts.audit.query({ action: 'registry.publish' });
    expect(audit.map((a) => [a.actor, a.entityId, a.details['version']])).toEqual([
      ['cy', '@acme/common', '1.0.1'],
      ['ed', '@acme/support', '1.0.0'],
      ['cy', '@acme/common', '1.0.0'],
    ]);
    expect(audit[2]?.details).toMatchObject({ versionId: team.id, integrity, before: null, after: '1.0.0' });
  });

  it('two publishers racing one version on one instance: one wins, the other gets version_published', async () => {
    const w = world();
    w.save(commonSet(), '1.0.0');
    const results = await Promise.allSettled([
      w.registry.publish(w.as.cy, request('set-common', '1.0.0')),
      w.registry.publish(w.as.ed, request('set-common', '1.0.0')),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.filter((r) => r.status === 'rejected');
    expect(lost.map((r) => (r.reason as { code: string }).code)).toEqual(['version_published']);
    expect(bundleFiles(w)).toHaveLength(1);
    expect(Object.keys(meta(w, '@acme/common').versions)).toEqual(['1.0.0']);
    expect(w.registry.events(w.as.ed, { after: 0 }).events).toHaveLength(1);
  });

  it('two server processes on one folder race one version: exactly one row, one file, one event', async () => {
    const w = world();
    const other = w.another();
    w.save(commonSet(), '1.0.0');
    const results = await Promise.allSettled([
      w.registry.publish(w.as.cy, request('set-common', '1.0.0')),
      other.publish(w.as.ed, request('set-common', '1.0.0')),
      w.registry.publish(w.as.ed, request('set-common', '1.0.0')),
      other.publish(w.as.cy, request('set-common', '1.0.0')),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r.reason as { code: string }).code)).toEqual([
      'version_published',
      'version_published',
      'version_published',
    ]);
    expect(bundleFiles(w)).toHaveLength(1);
    const db = new Database(join(w.dir, REGISTRY_FILE), { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM versions').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
    db.close();
    // The other process sees the publish in its metadata (its cache follows the database's revision).
    expect(
      Object.keys(JSON.parse(new TextDecoder().decode(other.metadata(w.as.vi, '@acme/common').bytes)).versions),
    ).toEqual(['1.0.0']);
  });

  it('an altered, truncated or missing bundle file is refused (integrity_mismatch), a restored one serves again', async () => {
    const w = world();
    await withCommon(w);
    const { bytes, integrity } = w.registry.bundle(w.as.vi, '@acme/common', '1.0.0');
    const file = join(w.dir, 'bundles', bundleFiles(w)[0] as string);
    const original = Buffer.from(bytes);

    const altered = Buffer.from(original);
    altered[altered.indexOf('Acme')] = 'X'.charCodeAt(0); // same size, one byte changed
    writeFileSync(file, altered);
    const err = await refusal(() => w.registry.bundle(w.as.vi, '@acme/common', '1.0.0'));
    expect(err.code).toBe('integrity_mismatch');
    expect(err.message).toContain(integrity);
    expect(w.log.join('\n')).toContain('does not match');

    writeFileSync(file, original.subarray(0, 20));
    expect((await refusal(() => w.registry.bundle(w.as.vi, '@acme/common', '1.0.0'))).code).toBe('integrity_mismatch');
    rmSync(file);
    expect((await refusal(() => w.registry.bundle(w.as.vi, '@acme/common', '1.0.0'))).code).toBe('integrity_mismatch');

    writeFileSync(file, original);
    expect(Buffer.from(w.registry.bundle(w.as.vi, '@acme/common', '1.0.0').bytes)).toEqual(original);
  });

  it('refuses each broken version with a message naming the problem (422, every problem listed)', async () => {
    const w = world();
    await withCommon(w);

    // Wrong bump: a prompt removed (major) under a minor number.
    w.save(commonSet([textPrompt('p-other', 'other', 'x')]), '1.1.0');
    const bump = await refusal(w.registry.publish(w.as.cy, request('set-common', '1.1.0')));
    expect(bump.code).toBe('publish_refused');
    expect(bump.message).toMatch(/1\.1\.0 is a minor step from 1\.0\.0, but the change is major/);
    expect(bump.message).toContain('prompt `signature` was removed');
    expect((bump.details as PublishRefusedDetails).problems.map((p) => p.code)).toEqual(['wrong_bump']);

    // ...unless the version carries the override recorded at save.
    w.save(commonSet([textPrompt('p-other', 'other', 'x')]), '1.2.0', { override: 'nobody used signature yet' });
    const overridden = published(await w.registry.publish(w.as.cy, request('set-common', '1.2.0')));
    expect(meta(w, '@acme/common').versions['1.2.0']).toMatchObject({
      changeClass: 'major',
      override: 'nobody used signature yet',
    });
    expect(overridden.latest).toBe(true);

    // Unparsable template, missing dependency, undeclared render: all in one refusal.
    const broken = supportSet({
      id: 'set-broken',
      name: 'broken',
      dependencies: { '@acme/nothing': '^1.0.0' },
      prompts: [
        textPrompt('p-a', 'a', 'Hello\n  {{ name '),
        textPrompt('p-b', 'b', "{% render '@acme/common/signature' %}"),
      ],
    });
    w.save(broken, '1.0.0', { setId: 'set-broken' });
    const all = await refusal(w.registry.publish(w.as.cy, request('set-broken', '1.0.0')));
    expect(all.code).toBe('publish_refused');
    const problems = (all.details as PublishRefusedDetails).problems;
    expect(problems.map((p) => p.code).sort()).toEqual([
      'missing_dependency',
      'template_error',
      'undeclared_dependency',
    ]);
    const template = problems.find((p) => p.code === 'template_error');
    expect(template).toMatchObject({ prompt: 'a', line: 2 });
    expect(template?.column).toEqual(expect.any(Number));
    expect(all.message).toMatch(/prompt "a", line 2, column \d+/);
    expect(all.message).toContain('@acme/nothing is not in the registry');
    expect(all.message).toContain('@acme/common, which is not a declared dependency');

    // An unsatisfiable range.
    w.save(supportSet({ dependencies: { '@acme/common': '^3.0.0' } }), '1.0.0');
    const range = await refusal(w.registry.publish(w.as.cy, request('set-support', '1.0.0')));
    expect(range.message).toContain('no published version satisfies ^3.0.0');

    // Who may publish, and what.
    const viewer = await refusal(w.registry.publish(w.as.vi, request('set-common', '1.2.0')));
    expect(viewer).toMatchObject({ code: 'read_only' });
    expect(viewer.message).toContain('Viewers of project "acme" (p1) cannot publish');
    const stranger = await refusal(w.registry.publish(w.as.out, request('set-common', '1.2.0')));
    expect(stranger.code).toBe('forbidden');
    expect(stranger.message).toContain('You have no role on project "acme" (p1)');
    expect((await refusal(w.registry.publish(w.as.cy, request('set-common', '9.9.9')))).code).toBe(
      'unknown_team_version',
    );
    expect((await refusal(w.registry.publish(w.as.cy, { projectId: 'nope', setId: 'x', version: '1.0.0' }))).code).toBe(
      'unknown_project',
    );
    w.registry.setEditMode(w.as.ed, 'p1', 'locked');
    for (const who of [w.as.cy, w.as.ed, w.as.root]) {
      const locked = await refusal(w.registry.publish(who, request('set-support', '1.0.0')));
      expect(locked.code).toBe('project_locked');
      expect(locked.message).toContain('locked');
    }

    const refusals = w.accounts.audit.query({ action: 'registry.refuse' });
    expect(refusals.map((r) => r.details['reason'])).toEqual([
      'project_locked',
      'project_locked',
      'project_locked',
      'unknown_project',
      'unknown_team_version',
      'forbidden',
      'read_only',
      'publish_refused',
      'publish_refused',
      'publish_refused',
    ]);
    expect(refusals.at(-1)?.details).toMatchObject({ problems: [{ code: 'wrong_bump' }] });
  });

  it('a published version is never published again, not even after deprecation; a taken name is refused', async () => {
    const w = world();
    await withCommon(w);
    const again = await refusal(w.registry.publish(w.as.cy, request('set-common', '1.0.0')));
    expect(again).toMatchObject({ code: 'version_published' });
    expect(again.message).toContain('@acme/common@1.0.0 is already published');

    const deprecated = w.registry.deprecate(w.as.cy, '@acme/common', '1.0.0', 'use 2.x');
    expect(deprecated.deprecated).toBe('use 2.x');
    expect((await refusal(w.registry.publish(w.as.ed, request('set-common', '1.0.0')))).code).toBe('version_published');
    expect(w.registry.deprecate(w.as.cy, '@acme/common', '1.0.0', null).deprecated).toBeNull();
    expect(meta(w, '@acme/common').versions['1.0.0']?.deprecated).toBeNull();
    expect((await refusal(() => w.registry.deprecate(w.as.vi, '@acme/common', '1.0.0', 'x'))).code).toBe('read_only');
    expect((await refusal(() => w.registry.deprecate(w.as.cy, '@acme/common', '7.0.0', 'x'))).code).toBe(
      'unknown_version',
    );
    expect((await refusal(() => w.registry.deprecate(w.as.cy, '@acme/common', '1.0.0', '  '))).code).toBe(
      'invalid_request',
    );

    // Another set whose name is `common` cannot publish as @acme/common.
    w.save({ ...commonSet(), id: 'set-clone' }, '2.0.0', { setId: 'set-clone' });
    const taken = await refusal(w.registry.publish(w.as.cy, request('set-clone', '2.0.0')));
    expect(taken.code).toBe('name_taken');
    expect(taken.message).toContain('@acme/common belongs to another set (p1/set-common)');

    // The row is written once even to a hand-run statement; only deprecation passes.
    const db = new Database(join(w.dir, REGISTRY_FILE));
    expect(() => db.prepare("UPDATE versions SET changelog = 'x'").run()).toThrow(/version_immutable/);
    expect(() => db.prepare("UPDATE versions SET integrity = 'x'").run()).toThrow(/version_immutable/);
    expect(() => db.prepare('DELETE FROM versions').run()).toThrow(/version_immutable/);
    expect(db.prepare("UPDATE versions SET deprecated = 'by hand'").run().changes).toBe(1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('a backport does not move latest; a prerelease does not either', async () => {
    const w = world();
    await withCommon(w);
    w.save(commonSet([textPrompt('p-sig2', 'signature2', 'x')]), '2.0.0');
    expect(published(await w.registry.publish(w.as.cy, request('set-common', '2.0.0'))).latest).toBe(true);
    w.save(commonSet([textPrompt('p-sig', 'signature', 'The Acme team, fixed')]), '1.0.1');
    const backport = published(await w.registry.publish(w.as.cy, request('set-common', '1.0.1')));
    expect(backport.latest).toBe(false);
    w.save(commonSet([textPrompt('p-sig3', 'signature3', 'x')]), '3.0.0-rc.0');
    expect(published(await w.registry.publish(w.as.cy, request('set-common', '3.0.0-rc.0'))).latest).toBe(false);
    const doc = meta(w, '@acme/common');
    expect(doc.distTags).toEqual({ latest: '2.0.0' });
    expect(Object.keys(doc.versions)).toEqual(['1.0.0', '1.0.1', '2.0.0', '3.0.0-rc.0']);
    expect(doc.versions['1.0.1']?.changeClass).toBe('patch');
    const events = w.registry.events(w.as.vi, { after: 0 }).events;
    expect(events.map((e) => (e.type === 'publish' ? [e.version, e.latest] : null))).toEqual([
      ['1.0.0', true],
      ['2.0.0', true],
      ['1.0.1', false],
      ['3.0.0-rc.0', false],
    ]);
  });

  it('dist-tags: set, moved, removed; refused for bad tags, unknown versions, latest removal and viewers', async () => {
    const w = world();
    await withCommon(w);
    w.save(commonSet([textPrompt('p-sig', 'signature', 'v2'), textPrompt('p-x', 'x', 'new')]), '1.1.0');
    published(await w.registry.publish(w.as.cy, request('set-common', '1.1.0')));
    const etag = w.registry.metadata(w.as.vi, '@acme/common').etag;

    expect(w.registry.setDistTag(w.as.cy, '@acme/common', 'beta', '1.1.0')).toEqual({ beta: '1.1.0', latest: '1.1.0' });
    expect(w.registry.metadata(w.as.vi, '@acme/common').etag).not.toBe(etag);
    expect(w.registry.setDistTag(w.as.cy, '@acme/common', 'latest', '1.0.0')).toEqual({
      beta: '1.1.0',
      latest: '1.0.0',
    });
    expect(w.registry.setDistTag(w.as.cy, '@acme/common', 'beta', null)).toEqual({ latest: '1.0.0' });
    // Removing a tag that is not there changes nothing (no event).
    expect(w.registry.setDistTag(w.as.cy, '@acme/common', 'beta', null)).toEqual({ latest: '1.0.0' });

    const badTag = await refusal(() => w.registry.setDistTag(w.as.cy, '@acme/common', '1.0', '1.0.0'));
    expect(badTag.code).toBe('invalid_request');
    expect(badTag.message).toContain('"1.0" reads as a version range');
    expect((await refusal(() => w.registry.setDistTag(w.as.cy, '@acme/common', 'Beta!', '1.0.0'))).code).toBe(
      'invalid_request',
    );
    expect((await refusal(() => w.registry.setDistTag(w.as.cy, '@acme/common', 'beta', '4.0.0'))).code).toBe(
      'unknown_version',
    );
    const latest = await refusal(() => w.registry.setDistTag(w.as.cy, '@acme/common', 'latest', null));
    expect(latest.message).toContain('latest tag of @acme/common cannot be removed');
    expect((await refusal(() => w.registry.setDistTag(w.as.vi, '@acme/common', 'beta', '1.0.0'))).code).toBe(
      'read_only',
    );
    expect((await refusal(() => w.registry.setDistTag(w.as.out, '@acme/common', 'beta', '1.0.0'))).code).toBe(
      'forbidden',
    );
    expect((await refusal(() => w.registry.setDistTag(w.as.cy, '@acme/nope', 'beta', '1.0.0'))).code).toBe(
      'unknown_package',
    );
    // Locked: admins only.
    w.registry.setEditMode(w.as.ed, 'p1', 'locked');
    expect((await refusal(() => w.registry.setDistTag(w.as.cy, '@acme/common', 'beta', '1.0.0'))).code).toBe(
      'project_locked',
    );
    expect(w.registry.setDistTag(w.as.ed, '@acme/common', 'stable', '1.0.0')).toMatchObject({ stable: '1.0.0' });

    const tags = w.registry.events(w.as.vi, { after: 0 }).events.filter((e) => e.type === 'dist-tag');
    expect(tags.map((e) => (e.type === 'dist-tag' ? [e.tag, e.version] : null))).toEqual([
      ['beta', '1.1.0'],
      ['latest', '1.0.0'],
      ['beta', null],
      ['stable', '1.0.0'],
    ]);
    expect(
      w.accounts.audit.query({ action: 'registry.dist_tag' }).map((a) => [a.details['before'], a.details['after']]),
    ).toEqual([
      [null, '1.0.0'],
      ['1.1.0', null],
      ['1.1.0', '1.0.0'],
      [null, '1.1.0'],
    ]);
  });
});

describe('registry: edit modes and reviews', () => {
  it('review flow: open → comment → request changes → new version → approve publishes; reject publishes nothing', async () => {
    const w = world();
    await withCommon(w);
    expect(w.registry.editMode(w.as.vi, 'p1')).toBe('open');
    expect((await refusal(() => w.registry.setEditMode(w.as.cy, 'p1', 'review'))).code).toBe('forbidden');
    expect((await refusal(() => w.registry.setEditMode(w.as.ed, 'p1', 'closed' as 'open'))).code).toBe(
      'invalid_request',
    );
    expect(w.registry.setEditMode(w.as.ed, 'p1', 'review')).toBe('review');
    expect(w.accounts.audit.query({ action: 'project.edit_mode' })[0]?.details).toMatchObject({
      before: 'open',
      after: 'review',
    });

    // cy asks to publish 1.1.0 (a breaking change, overridden): a review opens, nothing is published.
    w.save(commonSet([textPrompt('p-sig', 'sig', 'renamed')]), '1.1.0', { override: 'only we use it' });
    const opened = await w.registry.publish(w.as.cy, request('set-common', '1.1.0'));
    if (opened.status !== 'review') throw new Error('expected a review');
    const first = opened.review;
    expect(first).toMatchObject({ name: '@acme/common', version: '1.1.0', state: 'open', baseVersion: '1.0.0' });
    expect(first.notes.map((n) => n.code)).toEqual(['wrong_bump']);
    expect(first.notes[0]?.message).toContain('only we use it');
    const same = await w.registry.publish(w.as.cy, request('set-common', '1.1.0'));
    expect(same.status === 'review' && same.review.id).toBe(first.id);
    expect(Object.keys(meta(w, '@acme/common').versions)).toEqual(['1.0.0']);

    const detail = w.registry.review(w.as.ed, first.id);
    expect(detail.canDecide).toBe(true);
    expect(JSON.parse(detail.content).prompts[0].name).toBe('sig');
    expect(JSON.parse(detail.baseContent as string).prompts[0].name).toBe('signature');
    expect(w.registry.review(w.as.cy, first.id).canDecide).toBe(false);

    const c1 = w.registry.comment(w.as.ed, first.id, { body: 'Why rename it?' });
    const c2 = w.registry.comment(w.as.ed, first.id, {
      body: 'this line',
      anchor: { prompt: 'signature', side: 'before', line: 1 },
    });
    expect(c2.anchor).toEqual({ prompt: 'signature', side: 'before', line: 1 });
    expect((await refusal(() => w.registry.comment(w.as.ed, first.id, { body: '' }))).code).toBe('invalid_request');
    expect(
      (
        await refusal(() =>
          w.registry.comment(w.as.ed, first.id, { body: 'x', anchor: { prompt: 'ghost', side: 'after', line: 1 } }),
        )
      ).message,
    ).toContain('"ghost"');
    expect((await refusal(() => w.registry.comment(w.as.vi, first.id, { body: 'hi' }))).code).toBe('read_only');
    expect((await refusal(() => w.registry.decide(w.as.cy, first.id, { decision: 'approve' }))).code).toBe('forbidden');

    const changes = await w.registry.decide(w.as.ed, first.id, { decision: 'request_changes', note: 'keep the name' });
    expect(changes.published).toBeNull();
    expect(changes.review).toMatchObject({
      state: 'changes_requested',
      decidedBy: 'ed',
      decisionNote: 'keep the name',
    });
    expect(changes.review.comments.map((c) => c.id)).toEqual([c1.id, c2.id]);

    // A new version answers the request: the old one leaves the queue, the new one is approved and published.
    w.save(commonSet([textPrompt('p-sig', 'signature', 'The Acme team!'), textPrompt('p-x', 'x', 'y')]), '1.1.1');
    const second = await w.registry.publish(w.as.cy, request('set-common', '1.1.1'));
    if (second.status !== 'review') throw new Error('expected a review');
    expect(w.registry.reviews(w.as.ed, { projectId: 'p1' }).map((r) => [r.version, r.state, r.comments])).toEqual([
      ['1.1.1', 'open', 0],
      ['1.1.0', 'withdrawn', 2],
    ]);
    const seen: FeedEvent[] = [];
    const stop = w.registry.subscribe((e) => seen.push(e));
    const approved = await w.registry.decide(w.as.ed, second.review.id, { decision: 'approve' });
    stop();
    expect(approved.review).toMatchObject({ state: 'approved', decidedBy: 'ed' });
    expect(approved.published).toMatchObject({ status: 'published', version: '1.1.1', latest: true });
    expect(meta(w, '@acme/common').versions['1.1.1']).toMatchObject({ publishedBy: 'ed', author: 'cy' });
    expect(seen).toEqual([expect.objectContaining({ type: 'publish', name: '@acme/common', version: '1.1.1' })]);
    expect((await refusal(w.registry.decide(w.as.ed, second.review.id, { decision: 'reject' }))).code).toBe(
      'review_closed',
    );

    // Rejected: nothing published, no event.
    w.save(commonSet([textPrompt('p-sig', 'signature', 'again'), textPrompt('p-x', 'x', 'y')]), '1.1.2');
    const third = await w.registry.publish(w.as.cy, request('set-common', '1.1.2'));
    if (third.status !== 'review') throw new Error('expected a review');
    const before = w.registry.events(w.as.ed, { after: 0 }).events.length;
    const rejected = await w.registry.decide(w.as.ed, third.review.id, { decision: 'reject', note: 'no' });
    expect(rejected).toMatchObject({ review: { state: 'rejected' }, published: null });
    expect(Object.keys(meta(w, '@acme/common').versions)).toEqual(['1.0.0', '1.1.1']);
    expect(w.registry.events(w.as.ed, { after: 0 }).events).toHaveLength(before);

    // The author cannot approve their own request, unless a server admin.
    w.save(commonSet([textPrompt('p-sig', 'signature', 'ed says'), textPrompt('p-x', 'x', 'y')]), '1.1.3');
    const own = await w.registry.publish(w.as.ed, request('set-common', '1.1.3'));
    if (own.status !== 'review') throw new Error('expected a review');
    const self = await refusal(w.registry.decide(w.as.ed, own.review.id, { decision: 'approve' }));
    expect(self.code).toBe('forbidden');
    expect(self.message).toContain('another project admin decides it');
    expect(w.registry.reviews(w.as.ed, { mine: true, state: 'open' }).map((r) => r.version)).toEqual(['1.1.3']);
    expect(w.registry.reviews(w.as.out, {})).toEqual([]);
    expect((await refusal(() => w.registry.review(w.as.out, own.review.id))).code).toBe('forbidden');
    expect((await refusal(() => w.registry.review(w.as.ed, 'nope'))).code).toBe('unknown_review');

    const actions = w.accounts.audit
      .query({ entityKind: 'review', limit: 100 })
      .map((a) => a.action)
      .reverse();
    expect(actions).toEqual([
      'review.open',
      'review.comment',
      'review.comment',
      'review.request_changes',
      'review.open',
      'review.approve',
      'review.open',
      'review.reject',
      'review.open',
    ]);
  });
});

describe('registry: feed, search', () => {
  it('events come in id order to subscribers after commit, and resume after an id, filtered by visibility', async () => {
    const w = world();
    const seen: FeedEvent[] = [];
    const stop = w.registry.subscribe((e) => seen.push(e));
    await withCommon(w);
    w.save(supportSet(), '1.0.0');
    published(await w.registry.publish(w.as.cy, request('set-support', '1.0.0')));
    w.registry.setDistTag(w.as.cy, '@acme/common', 'stable', '1.0.0');
    w.registry.deprecate(w.as.cy, '@acme/support', '1.0.0', 'too early');
    stop();
    expect(seen.map((e) => [e.id, e.type, e.name])).toEqual([
      [1, 'publish', '@acme/common'],
      [2, 'publish', '@acme/support'],
      [3, 'dist-tag', '@acme/common'],
      [4, 'deprecate', '@acme/support'],
    ]);
    expect(seen[3]).toMatchObject({ projectId: 'p1', setId: 'set-support', version: '1.0.0', message: 'too early' });

    const all = w.registry.events(w.as.vi, { after: 0 });
    expect(all).toEqual({ events: seen, next: 4 });
    expect(w.registry.events(w.as.vi, { after: 2 }).events.map((e) => e.id)).toEqual([3, 4]);
    const page = w.registry.events(w.as.vi, { after: 0, limit: 3 });
    expect(page.next).toBe(3);
    expect(w.registry.events(w.as.vi, { after: page.next }).events.map((e) => e.id)).toEqual([4]);
    expect(w.registry.events(w.as.vi, { after: 0, name: '@acme/support' }).events.map((e) => e.id)).toEqual([2, 4]);
    expect(w.registry.events(w.as.vi, { after: 0, project: 'acme' }).events).toHaveLength(4);
    expect(w.registry.events(w.as.out, { after: 0 })).toEqual({ events: [], next: 4 });
    expect(w.registry.events(w.as.root, { after: 0 }).events).toHaveLength(4);
    expect(w.registry.canSee(w.as.out, 'p1')).toBe(false);
    expect(w.registry.canSee(w.as.vi, 'p1')).toBe(true);
    expect((await refusal(() => w.registry.events(w.as.vi, { after: -1 }))).code).toBe('invalid_request');

    // Events another process writes reach this process's subscribers too, in order.
    const other = w.another();
    const late: number[] = [];
    const stopLate = w.registry.subscribe((e) => late.push(e.id));
    other.setDistTag(w.as.cy, '@acme/common', 'beta', '1.0.0');
    other.setDistTag(w.as.cy, '@acme/common', 'beta', null);
    await until("the other process's events", () => late.length >= 2);
    stopLate();
    expect(late).toEqual([5, 6]);
  });

  it('searches package names, set descriptions and prompt names of the latest version, visible projects only', async () => {
    const w = world();
    await withCommon(w);
    w.save(supportSet(), '1.0.0');
    published(await w.registry.publish(w.as.cy, request('set-support', '1.0.0')));
    expect(w.registry.search(w.as.vi, { q: 'triage' })).toEqual([
      {
        name: '@acme/support',
        version: '1.0.0',
        description: 'Customer support prompts',
        prompts: ['triage'],
        deprecated: null,
      },
    ]);
    expect(w.registry.search(w.as.vi, { q: 'SUPPORT' }).map((r) => [r.name, r.prompts])).toEqual([
      ['@acme/support', ['greet', 'triage']],
    ]);
    expect(w.registry.search(w.as.vi, { q: 'shared' }).map((r) => r.name)).toEqual(['@acme/common']);
    expect(w.registry.search(w.as.vi, { q: 'acme' }).map((r) => r.name)).toEqual(['@acme/common', '@acme/support']);
    expect(w.registry.search(w.as.vi, { q: 'acme', limit: 1 })).toHaveLength(1);
    expect(w.registry.search(w.as.vi, { q: '%' })).toEqual([]);
    expect(w.registry.search(w.as.vi, { q: 'acme', project: 'elsewhere' })).toEqual([]);
    expect(w.registry.search(w.as.out, { q: 'acme' })).toEqual([]);
    expect((await refusal(() => w.registry.search(w.as.vi, { q: 'x'.repeat(201) }))).code).toBe('invalid_request');
    expect((await refusal(() => w.registry.projectPackages(w.as.out, 'acme'))).code).toBe('forbidden');
    expect((await refusal(() => w.registry.projectPackages(w.as.vi, 'nope'))).code).toBe('unknown_project');
    expect((await refusal(() => w.registry.metadata(w.as.out, '@acme/common'))).code).toBe('forbidden');
  });
});
