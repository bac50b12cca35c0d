import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commonSet, startRegistry, supportSet } from '../sdk/testing';
import type { TestRegistry } from '../sdk/testing';
import { anvil as anvilChild } from './testing';
import { runConsumer } from './testing-in-process';

let root = '';
let registry: TestRegistry;
let n = 0;

/** A fresh consumer project folder and config folder (no credentials unless a test logs in). */
function project(): { cwd: string; env: Record<string, string> } {
  const cwd = join(root, `project-${++n}`);
  mkdirSync(cwd);
  return { cwd, env: { ANVIL_CONFIG_DIR: join(cwd, '.config') } };
}

const run = (
  p: { cwd: string; env: Record<string, string> },
  args: string[],
  extra: { stdin?: string; tty?: boolean } = {},
) => runConsumer(args, { cwd: p.cwd, env: p.env, ...extra });

/** One line on stderr, exit 2. */
function expectFailure(r: { code: number; err: string }, pattern: RegExp): void {
  expect(r.code, r.err).toBe(2);
  expect(r.err.trim().split('\n'), r.err).toHaveLength(1);
  expect(r.err).toMatch(pattern);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'anvil-consumer-'));
  registry = await startRegistry(join(root, 'server'));
  await registry.publish(commonSet('c1'), '1.0.0');
  await registry.publish(supportSet('v1'), '1.0.0');
  await registry.publish(supportSet('v2'), '1.1.0');
  await registry.deprecate('@acme/support', '1.0.0', 'use 1.1');
}, 60_000);

afterAll(async () => {
  await registry?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** init + add @acme/support with the registry in anvil.json and the token in the environment. */
async function initialised() {
  const p = project();
  p.env.ANVIL_TOKEN = registry.token;
  expect((await run(p, ['init', '--registry', registry.url])).code).toBe(0);
  return p;
}

describe('anvil init and add', () => {
  it('init writes anvil.json, refuses to overwrite it, refuses a bad registry URL', async () => {
    const p = project();
    const first = await run(p, ['init', '--registry', `${registry.url}/`]);
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(readFileSync(join(p.cwd, 'anvil.json'), 'utf8'))).toEqual({
      registry: registry.url,
      dependencies: {},
    });
    expectFailure(await run(p, ['init']), /anvil\.json already exists/);
    const q = project();
    const bad = await run(q, ['init', '--registry', 'ftp://x', '--json']);
    expectFailure(bad, /--registry "ftp:\/\/x" is not an http\(s\) URL/);
    expect(JSON.parse(bad.out)).toMatchObject({ error: { code: 'invalid_registry' } });
  });

  it('add writes ^latest, keeps a given range, and refuses unknown sets, unsatisfiable ranges, bad specs', async () => {
    const p = await initialised();
    const added = await run(p, ['add', '@acme/support', '--json']);
    expect(added.code, added.err).toBe(0);
    expect(JSON.parse(added.out).added).toEqual([{ name: '@acme/support', range: '^1.1.0', version: '1.1.0' }]);
    expect((await run(p, ['add', '@acme/common@~1.0'])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(p.cwd, 'anvil.json'), 'utf8')).dependencies).toEqual({
      '@acme/common': '~1.0',
      '@acme/support': '^1.1.0',
    });
    expectFailure(await run(p, ['add', '@acme/nope']), /@acme\/nope is not in the registry/);
    expectFailure(
      await run(p, ['add', '@acme/support@^2']),
      /no version of @acme\/support satisfies \^2 \(published: 1\.0\.0, 1\.1\.0\)/,
    );
    expectFailure(await run(p, ['add', 'support']), /"support" is not a set name/);
    expectFailure(await run(p, ['add', '@acme/support@>>1']), /is not a semver range/);
    expectFailure(await run(project(), ['add', '@acme/support', '--registry', registry.url]), /run `anvil init`/);
  });
});

describe('anvil pull, list, render', () => {
  it('pull locks and downloads; --frozen refuses an outdated lock; list shows deprecation; render prints', async () => {
    const p = await initialised();
    expect((await run(p, ['add', '@acme/support@1.0.0'])).code).toBe(0);
    const pulled = await run(p, ['pull', '--json']);
    expect(pulled.code, pulled.err).toBe(0);
    const summary = JSON.parse(pulled.out);
    expect(summary).toMatchObject({ changed: true, vendor: null });
    expect(
      summary.sets.map((s: { name: string; version: string; source: string }) => `${s.name}@${s.version} ${s.source}`),
    ).toEqual(['@acme/common@1.0.0 registry', '@acme/support@1.0.0 registry']);
    expect(summary.deprecated).toEqual([{ name: '@acme/support', version: '1.0.0', message: 'use 1.1' }]);
    const lock = readFileSync(join(p.cwd, 'anvil-lock.json'), 'utf8');

    // Plain lines when not a terminal; a second pull keeps the lock and downloads nothing.
    const again = await run(p, ['pull']);
    expect(again.code).toBe(0);
    expect(again.out).toContain('@acme/common@1.0.0 from cache');
    expect(again.out).toContain('kept anvil-lock.json (2 sets); downloaded 0 B');
    expect((await run(p, ['pull', '--frozen'])).code).toBe(0);

    // The manifest moves on: --frozen fails, saying why, and leaves the lock as it was.
    expect((await run(p, ['add', '@acme/support@^1.1.0'])).code).toBe(0);
    const frozen = await run(p, ['pull', '--frozen', '--json']);
    expectFailure(
      frozen,
      /the lock file would change \(anvil\.json wants @acme\/support \^1\.1\.0, the lock file was written for 1\.0\.0\)/,
    );
    expect(JSON.parse(frozen.out)).toMatchObject({ error: { code: 'lock_outdated' } });
    expect(readFileSync(join(p.cwd, 'anvil-lock.json'), 'utf8')).toBe(lock);

    const list = await run(p, ['list', '--json']);
    expect(list.code, list.err).toBe(0);
    expect(JSON.parse(list.out).sets).toMatchObject([
      { name: '@acme/common', version: '1.0.0', deprecated: null, checked: 'registry', direct: false },
      { name: '@acme/support', version: '1.0.0', deprecated: 'use 1.1', checked: 'registry', direct: true },
    ]);
    const text = await run(p, ['list']);
    expect(text.out).toMatch(/^@acme\/support@1\.0\.0\s+sha512-\S+…\s+DEPRECATED: use 1\.1$/m);

    const rendered = await run(p, ['render', '@acme/support/greet', '--param', 'customer=Ada']);
    expect(rendered.code, rendered.err).toBe(0);
    expect(rendered.out).toBe('Hello Ada (v1)\n-- The Acme team (c1)\n');
  }, 30_000);

  it('render: params from a file and JSON values, chat with history, --json, and its failures', async () => {
    const p = await initialised();
    expect((await run(p, ['add', '@acme/support'])).code).toBe(0);
    // On a terminal: a progress bar (cleared when done), then the summary.
    const pulled = await run(p, ['pull', '--vendor'], { tty: true });
    expect(pulled.code, pulled.err).toBe(0);
    expect(pulled.out).toContain('pulling [');
    expect(pulled.out).toMatch(/wrote anvil-lock\.json \(2 sets\); downloaded [\d.]+ kB; vendored in anvil_prompts\n$/);
    expect(statSync(join(p.cwd, 'anvil_prompts', '@acme', 'support', '1.1.0.json')).isFile()).toBe(true);

    writeFileSync(join(p.cwd, 'params.json'), JSON.stringify({ customer: 'File' }));
    const fromFile = await run(p, ['render', '@acme/support/greet', '--params-file', 'params.json']);
    expect(fromFile.out).toContain('Hello File (v2)');
    // --param wins over the file; a value that parses as JSON is JSON ("42" is the number 42: refused).
    const overridden = await run(p, [
      'render',
      '@acme/support/greet',
      '--params-file',
      'params.json',
      '--param',
      'customer="Ada"',
    ]);
    expect(overridden.out).toContain('Hello Ada (v2)');
    expectFailure(await run(p, ['render', '@acme/support/greet', '--param', 'customer=42']), /customer/);
    expectFailure(await run(p, ['render', '@acme/support/greet']), /customer/);

    writeFileSync(join(p.cwd, 'history.json'), JSON.stringify([{ role: 'user', content: 'earlier' }]));
    const chat = await run(p, [
      'render',
      '@acme/support/triage',
      '--param',
      'ticket=Broken',
      '--history',
      'history.json',
    ]);
    expect(chat.code, chat.err).toBe(0);
    expect(chat.out).toBe('[system]\nSort tickets.\n\n[user]\nearlier\n\n[user]\nBroken\n');

    const json = await run(p, ['render', '@acme/support/greet', '--param', 'customer=Ada', '--json']);
    expect(json.code, json.err).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({
      kind: 'text',
      text: 'Hello Ada (v2)\n-- The Acme team (c1)',
      name: '@acme/support',
      version: '1.1.0',
      source: 'vendor',
      tokens: { tokens: expect.any(Number) },
    });
    const unknown = await run(p, ['render', '@acme/support/nope', '--json']);
    expectFailure(unknown, /nope/);
    expect(JSON.parse(unknown.out).error.code).toBe('unknown_prompt');
    expectFailure(await run(p, ['render', 'acme/support/greet']), /an address starts with "@"/);
  }, 30_000);
});

describe('anvil diff and search', () => {
  it('diff prints the structured comparison as text and as JSON', async () => {
    const p = project();
    p.env.ANVIL_REGISTRY = registry.url;
    p.env.ANVIL_TOKEN = registry.token;
    const text = await run(p, ['diff', '@acme/support@1.0.0', '1.1.0']);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toContain('anvil diff a/@acme/support@1.0.0 b/@acme/support@1.1.0');
    expect(text.out).toContain('prompts: 0 added, 0 removed, 0 renamed, 1 changed, 1 unchanged');
    expect(text.out).toContain('-Hello {{ customer }} (v1)');
    expect(text.out).toContain('+Hello {{ customer }} (v2)');
    const json = await run(p, ['diff', '@acme/support@1.0.0', '@acme/support@latest', '--json']);
    expect(JSON.parse(json.out).summary).toMatchObject({ changed: 1, unchanged: 1 });
    expectFailure(await run(p, ['diff', '@acme/support@1.0.0', '9.9.9']), /@acme\/support has no version "9\.9\.9"/);
    // Not in a project: nothing is cached in the folder it runs in.
    expect(() => statSync(join(p.cwd, '.anvil'))).toThrow();
  });

  it('search finds sets; a bad token is refused', async () => {
    const p = project();
    p.env.ANVIL_REGISTRY = registry.url;
    const found = await run(p, ['search', 'support', '--token', registry.token, '--json']);
    expect(found.code, found.err).toBe(0);
    expect(JSON.parse(found.out).results.map((r: { name: string }) => r.name)).toContain('@acme/support');
    const lines = await run(p, ['search', 'support', '--token', registry.token]);
    expect(lines.out).toMatch(/^@acme\/support@1\.1\.0 {2}Support prompts$/m);
    expectFailure(await run(p, ['search', 'support', '--token', 'wrong']), /answered 401/);
    expectFailure(await run(project(), ['search', 'x']), /no registry: pass --registry/);
  });
});

describe('anvil login and the credentials file', () => {
  it('saves a checked token 0600 and uses it; a file readable by others is refused', async () => {
    const p = project();
    expectFailure(await run(p, ['login', '--registry', registry.url, '--token', 'wrong']), /answered 401/);
    const ok = await run(p, ['login', '--registry', registry.url, '--json'], { stdin: `${registry.token}\n` });
    expect(ok.code, ok.err).toBe(0);
    const { credentials, account } = JSON.parse(ok.out);
    expect(account).toBe('admin');
    expect(statSync(credentials).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(credentials, 'utf8')).registries[registry.url].token).toBe(registry.token);

    // No --registry, no --token: both from the login.
    const found = await run(p, ['search', 'support', '--json']);
    expect(found.code, found.err).toBe(0);

    chmodSync(credentials, 0o644);
    expectFailure(
      await run(p, ['search', 'support']),
      /credentials\.json is readable by others \(mode 0644\); run `chmod 600/,
    );
  });
});

describe('usage errors and --help', () => {
  it('exit 1 for commander errors (one line, JSON with --json); --help on every command', async () => {
    const p = project();
    const missing = await run(p, ['render']);
    expect(missing.code).toBe(1);
    expect(missing.err.trim().split('\n')).toHaveLength(1);
    expect(missing.err).toContain("missing required argument 'address'");
    const unknown = await run(p, ['pull', '--nope', '--json']);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.out).error.code).toBe('commander.unknownOption');
    expect((await run(p, ['render', '@a/b/c', '--param', 'novalue'])).code).toBe(1);
    const limit = await run(p, ['search', 'x', '--limit', '0']);
    expect(limit.code).toBe(1);
    expect(limit.err).toContain('a limit is a whole number from 1 to 100');
    for (const command of ['init', 'add', 'pull', 'push', 'list', 'search', 'render', 'diff', 'login', 'types']) {
      const help = await run(p, [command, '--help']);
      expect(help.code, command).toBe(0);
      expect(help.out, command).toContain(`Usage: anvil ${command}`);
    }
  });
});

describe('the anvil program as a child process', () => {
  it('pull --frozen with an outdated lock exits 2 with one clear line; list --json parses', async () => {
    const p = await initialised();
    expect((await run(p, ['add', '@acme/common@^1.0.0'])).code).toBe(0);
    expect((await run(p, ['pull'])).code).toBe(0);
    expect((await run(p, ['add', '@acme/support'])).code).toBe(0);
    const env = { ANVIL_CONFIG_DIR: p.env.ANVIL_CONFIG_DIR ?? '', ANVIL_TOKEN: registry.token };
    const [frozen, list] = await Promise.all([
      anvilChild(['pull', '--frozen'], { cwd: p.cwd, env }),
      anvilChild(['list', '--json', '--offline'], { cwd: p.cwd, env }),
    ]);
    expect(frozen.code).toBe(2);
    expect(frozen.err.trim().split('\n')).toHaveLength(1);
    expect(frozen.err).toMatch(
      /^anvil pull: the lock file would change \(anvil\.json depends on @acme\/support \^1\.1\.0, which the lock file does not have\); run `anvil pull` without --frozen/,
    );
    expect(list.code, list.err).toBe(0);
    expect(JSON.parse(list.out).sets).toMatchObject([{ name: '@acme/common', version: '1.0.0' }]);
  }, 30_000);
});
