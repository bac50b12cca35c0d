// `anvil export`, `anvil import` and `anvil push DIR` against a real server process (client/sdk/testing.ts).
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PromptSetContent } from '../../shared/domain/prompt-set';
import { toFolder } from '../../shared/registry/folder';
import { API_PATHS } from '../../shared/sync/api';
import { createAnvil } from '../sdk/anvil';
import { pull } from '../sdk/pull';
import type { TestRegistry } from '../sdk/testing';
import { PROJECT, commonSet, startRegistry, supportSet } from '../sdk/testing';
import { runConsumer } from './testing-in-process';

let root = '';
let server: TestRegistry;
let n = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'anvil-folder-cli-'));
  server = await startRegistry(join(root, 'server'));
  await server.publish(commonSet('c1'), '1.0.0');
  await server.publish(supportSet('s1'), '1.0.0');
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

const fresh = (): string => {
  const d = join(root, `w-${++n}`);
  mkdirSync(d);
  return d;
};
const cwd = fresh;
const run = (dir: string, args: string[]) =>
  runConsumer(args, { cwd: dir, env: { ANVIL_CONFIG_DIR: join(dir, '.config') } });
const auth = () => ['--registry', server.url, '--token', server.token];

const readAll = (dir: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );

function writeFolder(dir: string, content: PromptSetContent, version: string | null, changelog = ''): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of toFolder(content, { version, changelog })) writeFileSync(join(dir, name), text);
}

/** A new set (no studio ever synced it): `greet` renders a partial of @acme/common. */
function folderSet(template = "Hi {{ who }}!\n{% render '@acme/common/signature' %}"): PromptSetContent {
  return {
    id: 'set-folder',
    projectId: PROJECT.id,
    name: 'folderset',
    description: 'Written in git',
    dependencies: { '@acme/common': '^1.0.0' },
    prompts: [
      {
        id: 'p-hi',
        name: 'greet',
        description: '',
        kind: 'text',
        template,
        parameters: [{ name: 'who', type: { type: 'string' }, required: true, description: '' }],
        model: { provider: 'openai', model: 'gpt-4o', temperature: 0 },
        metadata: {},
      },
    ],
  };
}

describe('anvil export / import', () => {
  it('export → import → export gives identical files; a non-empty folder needs --force', async () => {
    const w = cwd();
    const first = await run(w, ['export', '@acme/support@1.0.0', '--out', 'a', ...auth()]);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^exported @acme\/support@1\.0\.0 to .*\/a$/m);
    const a = readAll(join(w, 'a'));
    expect(Object.keys(a)).toEqual(['.gitattributes', 'anvil-set.json', 'greet.liquid', 'triage.liquid']);
    expect(a['triage.liquid']).toBe(
      '---\nkind: chat\nid: p-triage\nparameters:\n  - name: ticket\n    type:\n      type: string\n    required: true\nmodel:\n  provider: openai\n  model: gpt-4o\n---\n--- system ---\nSort tickets.\n--- history conversation ---\n--- user ---\n{{ ticket }}',
    );

    const imported = await run(w, ['import', 'a']);
    expect(imported.code, imported.err).toBe(0);
    expect(imported.out).toContain('set support (id set-support, project p1), version 1.0.0');
    expect(imported.out).toMatch(/greet\s+text\s+customer/);
    expect(imported.out).toContain('depends on @acme/common ^1.0.0');
    const json = await run(w, ['import', 'a', '--json', '--check']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ version: '1.0.0', nonCanonical: [], saved: null });

    // The latest version by default, into another folder: the same bytes.
    expect((await run(w, ['export', '@acme/support', '--out', 'b', ...auth()])).code).toBe(0);
    expect(readAll(join(w, 'b'))).toEqual(a);

    const refused = await run(w, ['export', '@acme/support', '--out', 'a', ...auth()]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^anvil export: .*\/a is not empty; choose an empty folder or pass --force\n$/);
    writeFileSync(join(w, 'a', 'stale.liquid'), '---\nid: x\n---\n');
    expect((await run(w, ['export', '@acme/support', '--out', 'a', '--force', ...auth()])).code).toBe(0);
    expect(readAll(join(w, 'a'))).toEqual(a);

    const none = await run(w, ['export', '@acme/support@^7', '--out', 'c', ...auth()]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('no published version of @acme/support matches @acme/support@^7 (published: 1.0.0)');
  });

  it('import prints every problem of a broken folder, one per line with file:line:column, exit 2', async () => {
    const w = cwd();
    writeFolder(join(w, 'set'), supportSet(), '1.0.0');
    writeFileSync(join(w, 'set', 'greet.liquid'), '---\nid: p-greet\ncolour: red\n---\nHi');
    writeFileSync(join(w, 'set', 'triage.liquid'), '---\nkind: chat\nid: [\n---\n');
    const r = await run(w, ['import', 'set']);
    expect(r.code).toBe(2);
    const lines = r.err.trim().split('\n');
    expect(lines[0]).toMatch(/is not a valid set folder \(2 problems\):$/);
    expect(lines[1]).toMatch(/^ {2}set\/greet\.liquid:3:1: unknown key "colour"/);
    expect(lines[2]).toMatch(/^ {2}set\/triage\.liquid:\d+:\d+: invalid YAML/);
    const missing = await run(w, ['import', 'nowhere']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nowhere does not exist/);
  });

  it('import --server saves an edited export as a team version of its set; a set the server lacks is refused', async () => {
    const w = cwd();
    expect((await run(w, ['export', '@acme/common', '--out', 'common', ...auth()])).code).toBe(0);
    const file = join(w, 'common', 'signature.liquid');
    writeFileSync(file, readFileSync(file, 'utf8').replace('(c1)', '(edited in git)'));
    const saved = await run(w, [
      'import',
      'common',
      '--server',
      server.url,
      '--token',
      server.token,
      '--version',
      '1.1.0',
    ]);
    expect(saved.code, saved.err).toBe(0);
    expect(saved.out).toMatch(/saved as team version common@1\.1\.0 in project p1 \(seq \d+\)/);
    const res = await fetch(`${server.url}${API_PATHS.versions(PROJECT.id)}`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    const versions = (
      (await res.json()) as { versions: { setId: string; version: string; author: string; changeClass: string }[] }
    ).versions;
    expect(versions.find((v) => v.setId === 'set-common' && v.version === '1.1.0')).toMatchObject({
      author: 'admin',
      changeClass: 'patch',
    });

    writeFolder(join(w, 'new'), folderSet(), '1.0.0');
    const unknown = await run(w, ['import', 'new', '--server', server.url, '--token', server.token]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('`anvil push DIR` publishes a new set');
  });
});

describe('anvil push DIR', () => {
  it('publishes a folder; the SDK pulls it and renders it with its partial from another set', async () => {
    const w = cwd();
    writeFolder(join(w, 'set'), folderSet(), '1.0.0', 'First from git');
    const pushed = await run(w, ['push', 'set', ...auth()]);
    expect(pushed.err).toBe('');
    expect(pushed.code).toBe(0);
    expect(pushed.out).toMatch(/^published @acme\/folderset@1\.0\.0 \(latest\)\nintegrity sha512-/);

    const app = fresh();
    const files = {
      lockfile: join(app, 'anvil-lock.json'),
      cacheDir: join(app, 'cache'),
    };
    await pull({
      manifest: { dependencies: { '@acme/folderset': '^1.0.0' } },
      ...files,
      registry: server.url,
      token: server.token,
    });
    const anvil = createAnvil({ ...files, mode: 'locked' });
    try {
      const r = await anvil.getOrThrow('@acme/folderset/greet', { who: 'Ada' });
      expect(r).toMatchObject({ kind: 'text', text: 'Hi Ada!\n-- The Acme team (c1)', version: '1.0.0' });
      expect(r.model).toEqual({ provider: 'openai', model: 'gpt-4o', temperature: 0 });
    } finally {
      await anvil.close();
    }

    // And back out: export gives the folder that was pushed.
    expect((await run(w, ['export', '@acme/folderset@1.0.0', '--out', 'again', ...auth()])).code).toBe(0);
    expect(readAll(join(w, 'again'))).toEqual(readAll(join(w, 'set')));
  });

  it('prints refusals one per line and exits 2: broken template, unknown dependency, republish, bad folder', async () => {
    const w = cwd();
    const broken = folderSet("Hi {% if who %}\n{% render '@acme/nothing/x' %}");
    broken.id = 'set-broken';
    broken.name = 'broken';
    broken.dependencies = { '@acme/common': '^1.0.0', '@acme/nothing': '^1.0.0' };
    writeFolder(join(w, 'broken'), broken, '1.0.0');
    const r = await run(w, ['push', 'broken', ...auth()]);
    expect(r.code).toBe(2);
    const lines = r.err.trim().split('\n');
    expect(lines[0]).toMatch(/^anvil push: Publishing .* was refused/);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.slice(1).some((l) => /^ {2}template_error: .*\(prompt greet, line 1, column \d+\)$/.test(l))).toBe(
      true,
    );
    expect(lines.slice(1).some((l) => /^ {2}(missing|unsatisfiable)_dependency: .*@acme\/nothing/.test(l))).toBe(true);

    writeFolder(join(w, 'ok'), { ...folderSet(), id: 'set-twice', name: 'twice' }, '1.0.0');
    expect((await run(w, ['push', 'ok', ...auth()])).code).toBe(0);
    const again = await run(w, ['push', 'ok', ...auth()]);
    expect(again.code).toBe(2);
    expect(again.err).toContain('409 version_published');

    writeFileSync(join(w, 'ok', 'greet.liquid'), 'no front matter');
    const bad = await run(w, ['push', 'ok', ...auth()]);
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split('\n')[1]).toMatch(
      /^ {2}ok\/greet\.liquid:1:1: a prompt file starts with a front-matter block/,
    );

    const noVersion = fresh();
    writeFolder(join(noVersion, 'set'), { ...folderSet(), id: 'set-nov', name: 'nov' }, null);
    const nov = await run(noVersion, ['push', 'set', ...auth()]);
    expect(nov.code).toBe(2);
    expect(nov.err).toContain('has no version');

    // The team-version form still needs its three options (a usage error, 1).
    const usage = await run(w, ['push', '--project', 'p1', ...auth()]);
    expect(usage.code).toBe(1);
    expect(usage.err).toContain('--set, --version');
  });
});
