import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SECRETS_FILE, createFileSecretStore, defaultKeyDir } from './secrets';

const TOKEN = 'anv_live_7f3c9a1be04d4c2f8a6b5e1d0c9f8e7d';
let root: string;
let dataDir: string;
let keyDir: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'anvil-secrets-'));
  dataDir = join(root, 'data');
  keyDir = join(root, 'config', 'anvil');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Every file under a folder, recursively. */
function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('createFileSecretStore', () => {
  it('round-trips values, deletes them, and survives a new store on the same folders', async () => {
    const store = createFileSecretStore({ dir: dataDir, keyDir });
    expect(store.kind).toBe('file');
    expect(await store.get('sync.token')).toBeNull();
    await store.set('sync.token', TOKEN);
    await store.set('other', 'ünïcødé ✓');
    expect(await store.get('sync.token')).toBe(TOKEN);
    const again = createFileSecretStore({ dir: dataDir, keyDir });
    expect(await again.get('sync.token')).toBe(TOKEN);
    expect(await again.get('other')).toBe('ünïcødé ✓');
    await again.delete('sync.token');
    await again.delete('never-set');
    expect(await store.get('sync.token')).toBeNull();
    expect(await store.get('other')).toBe('ünïcødé ✓');
  });

  it('never writes the token in plain text (nor base64), and keeps key and values 0600', async () => {
    const store = createFileSecretStore({ dir: dataDir, keyDir });
    await store.set('sync.token', TOKEN);
    const files = [...allFiles(root)];
    expect(files.map((f) => f.slice(root.length)).sort()).toEqual([
      '/config/anvil/secret.key',
      `/data/${SECRETS_FILE}`,
    ]);
    for (const f of files) {
      const bytes = readFileSync(f);
      expect(bytes.includes(Buffer.from(TOKEN))).toBe(false);
      expect(bytes.includes(Buffer.from(Buffer.from(TOKEN).toString('base64').slice(0, 20)))).toBe(false);
      if (process.platform !== 'win32') expect(statSync(f).mode & 0o777).toBe(0o600);
    }
    expect(statSync(join(keyDir, 'secret.key')).size).toBe(32);
  });

  it('answers a tampered, truncated, swapped or foreign file with a clear error, not a crash', async () => {
    const store = createFileSecretStore({ dir: dataDir, keyDir });
    await store.set('a', TOKEN);
    await store.set('b', 'second');
    const file = join(dataDir, SECRETS_FILE);
    const good = readFileSync(file, 'utf8');
    const parsed = JSON.parse(good) as { secrets: Record<string, string> };

    // One flipped byte of ciphertext.
    const bytes = Buffer.from(parsed.secrets.a ?? '', 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    writeFileSync(file, JSON.stringify({ ...parsed, secrets: { ...parsed.secrets, a: bytes.toString('base64') } }));
    await expect(store.get('a')).rejects.toMatchObject({ code: 'secret_unreadable', message: /"a" was changed/ });
    expect(await store.get('b')).toBe('second');

    // Entries swapped between names: each is bound to its name.
    writeFileSync(file, JSON.stringify({ ...parsed, secrets: { a: parsed.secrets.b, b: parsed.secrets.a } }));
    await expect(store.get('a')).rejects.toMatchObject({ code: 'secret_unreadable' });

    writeFileSync(file, JSON.stringify({ ...parsed, secrets: { a: 'AAAA' } }));
    await expect(store.get('a')).rejects.toMatchObject({ code: 'secret_unreadable', message: /truncated/ });
    writeFileSync(file, good.slice(0, 30));
    await expect(store.get('a')).rejects.toMatchObject({ code: 'secret_unreadable', message: /not valid JSON/ });
    await expect(store.set('a', 'x')).rejects.toMatchObject({ code: 'secret_unreadable' });
    writeFileSync(file, JSON.stringify({ format: 1, kind: 'os', secrets: {} }));
    await expect(store.get('a')).rejects.toMatchObject({ code: 'secret_unreadable', message: /desktop app/ });
    writeFileSync(file, '[1,2]');
    await expect(store.get('a')).rejects.toMatchObject({ code: 'secret_unreadable' });

    // A data folder copied to a machine (or user) with another key.
    writeFileSync(file, good);
    const elsewhere = createFileSecretStore({ dir: dataDir, keyDir: join(root, 'other-user') });
    await expect(elsewhere.get('a')).rejects.toMatchObject({ code: 'secret_unreadable', message: /key/ });
    // A damaged key file.
    writeFileSync(join(keyDir, 'secret.key'), 'short');
    await expect(createFileSecretStore({ dir: dataDir, keyDir }).get('a')).rejects.toMatchObject({
      code: 'secret_key_unreadable',
    });
  });

  it('refuses a key folder inside the data folder, and bad names', async () => {
    expect(() => createFileSecretStore({ dir: dataDir, keyDir: join(dataDir, 'keys') })).toThrow(
      expect.objectContaining({ code: 'secret_key_location' }),
    );
    const store = createFileSecretStore({ dir: dataDir, keyDir });
    await expect(store.set('../x', 'v')).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(store.set('__proto__', 'v')).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(await store.get('toString')).toBeNull();
  });

  it('finds the key folder from ANVIL_SECRET_KEY_DIR, else XDG_CONFIG_HOME, else ~/.config', () => {
    expect(defaultKeyDir({ ANVIL_SECRET_KEY_DIR: '/k', XDG_CONFIG_HOME: '/x' })).toBe('/k');
    if (process.platform !== 'win32') {
      expect(defaultKeyDir({ XDG_CONFIG_HOME: '/x' })).toBe('/x/anvil');
      expect(defaultKeyDir({})).toMatch(/\.config[/\\]anvil$/);
    }
  });

  it('lets two stores created at once agree on one key', async () => {
    const a = createFileSecretStore({ dir: dataDir, keyDir });
    const b = createFileSecretStore({ dir: dataDir, keyDir });
    await Promise.all([a.set('x', '1'), b.set('y', '2')]);
    const c = createFileSecretStore({ dir: dataDir, keyDir });
    // Both wrote the whole file; whichever wrote last kept its entry, and it decrypts with the one key.
    const values = await Promise.all([c.get('x').catch(() => 'err'), c.get('y').catch(() => 'err')]);
    expect(values).not.toContain('err');
  });
});
