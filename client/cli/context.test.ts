import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { credentialsPath, normalizeRegistry, readCredentials, resolveContext, saveLogin } from './context';
import type { CliIO } from './io';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function io(env: Record<string, string>, manifest?: unknown): CliIO {
  const cwd = mkdtempSync(join(tmpdir(), 'anvil-context-'));
  dirs.push(cwd);
  if (manifest !== undefined) writeFileSync(join(cwd, 'anvil.json'), JSON.stringify(manifest));
  return {
    cwd,
    env: { ANVIL_CONFIG_DIR: join(cwd, 'config'), ...env },
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    stdin: Readable.from([]),
  };
}

const login = (token: string) => ({ token, account: 'a', savedAt: '2026-01-01T00:00:00.000Z' });

describe('resolveContext', () => {
  it('takes the registry and token from the flag, then the environment, then anvil.json, then the login', async () => {
    const x = io({}, { registry: 'http://manifest:1', dependencies: {} });
    await saveLogin(x.env, 'http://saved:1', login('saved-token'));
    await saveLogin(x.env, 'http://manifest:1', login('manifest-token'));
    expect(await resolveContext(x)).toMatchObject({
      registry: 'http://manifest:1',
      registrySource: 'manifest',
      token: 'manifest-token',
      tokenSource: 'credentials',
    });
    x.env.ANVIL_REGISTRY = 'ws://env:2/';
    x.env.ANVIL_TOKEN = 'env-token';
    expect(await resolveContext(x)).toMatchObject({
      registry: 'http://env:2',
      registrySource: 'env',
      token: 'env-token',
    });
    expect(await resolveContext(x, { registry: 'https://flag:3', token: 'flag-token' })).toMatchObject({
      registry: 'https://flag:3',
      registrySource: 'flag',
      token: 'flag-token',
      tokenSource: 'flag',
    });
    // Nothing names a registry: the last login's.
    const y = io({});
    y.env.ANVIL_CONFIG_DIR = x.env.ANVIL_CONFIG_DIR;
    expect(await resolveContext(y)).toMatchObject({ registry: 'http://manifest:1', registrySource: 'credentials' });
  });

  it('names a broken anvil.json and a bad registry URL', async () => {
    await expect(resolveContext(io({}, { dependencies: { nope: '^1' } }))).rejects.toThrow(/anvil\.json: dependencies/);
    expect(() => normalizeRegistry('not a url', '--registry')).toThrow(
      /--registry "not a url" is not an http\(s\) URL/,
    );
  });
});

describe('the credentials file', () => {
  it('is written 0600 in one rename (no temp file left) and refused once others may read it', async () => {
    const x = io({});
    await saveLogin(x.env, 'http://a:1', login('t1'));
    await saveLogin(x.env, 'http://b:1', login('t2'));
    const path = credentialsPath(x.env);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(x.cwd, 'config'))).toEqual(['credentials.json']);
    const saved = await readCredentials(x.env);
    expect(saved.default).toBe('http://b:1');
    expect(Object.keys(saved.registries)).toEqual(['http://a:1', 'http://b:1']);

    chmodSync(path, 0o640);
    await expect(readCredentials(x.env)).rejects.toThrow(/readable by others \(mode 0640\); run `chmod 600/);
    await expect(saveLogin(x.env, 'http://c:1', login('t3'))).rejects.toThrow(/readable by others/);
    // A token given outright needs no credentials file, readable or not.
    x.env.ANVIL_TOKEN = 'env';
    expect((await resolveContext(x, { registry: 'http://a:1' })).token).toBe('env');
  });

  it('a file that is not ours is named with what to do', async () => {
    const x = io({});
    await saveLogin(x.env, 'http://a:1', login('t1'));
    writeFileSync(credentialsPath(x.env), '{nope', { mode: 0o600 });
    await expect(readCredentials(x.env)).rejects.toThrow(/is not valid JSON .*run `anvil login` again/);
  });
});
