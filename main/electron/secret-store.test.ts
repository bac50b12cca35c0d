import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SafeStorageLike } from './secret-store';
import { createSafeStorageSecretStore, safeStorageUsable } from './secret-store';

/** Stands in for Electron's safeStorage: real AES with a key only this "OS" holds. */
function fakeSafeStorage(opts: { available?: boolean; backend?: string } = {}): SafeStorageLike {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => opts.available ?? true,
    ...(opts.backend ? { getSelectedStorageBackend: () => opts.backend ?? '' } : {}),
    encryptString(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), data]);
    },
    decryptString(buf) {
      const d = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
      d.setAuthTag(buf.subarray(12, 28));
      return Buffer.concat([d.update(buf.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

const TOKEN = 'anv_live_0123456789abcdef0123456789abcdef';
let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'anvil-safe-'));
  file = join(dir, 'secrets.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('createSafeStorageSecretStore', () => {
  it('round-trips through safeStorage; the file holds no plain text and is 0600', async () => {
    const safe = fakeSafeStorage({ backend: 'gnome_libsecret' });
    const store = createSafeStorageSecretStore(safe, file);
    expect(store.kind).toBe('os');
    expect(await store.get('sync.token')).toBeNull();
    await store.set('sync.token', TOKEN);
    expect(await createSafeStorageSecretStore(safe, file).get('sync.token')).toBe(TOKEN);
    const bytes = readFileSync(file);
    expect(bytes.includes(Buffer.from(TOKEN))).toBe(false);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    await store.delete('sync.token');
    expect(await store.get('sync.token')).toBeNull();
  });

  it('refuses to store where the system cannot encrypt (or only pretends to, basic_text)', async () => {
    for (const safe of [fakeSafeStorage({ available: false }), fakeSafeStorage({ backend: 'basic_text' })]) {
      expect(safeStorageUsable(safe)).toBe(false);
      await expect(createSafeStorageSecretStore(safe, file).set('t', TOKEN)).rejects.toMatchObject({
        code: 'secret_storage_unavailable',
      });
    }
    expect(() => readFileSync(file)).toThrow();
    expect(safeStorageUsable(fakeSafeStorage({ backend: 'kwallet5' }))).toBe(true);
  });

  it('answers tampering, swapped entries, another user and a browser-mode file with clear errors', async () => {
    const safe = fakeSafeStorage();
    const store = createSafeStorageSecretStore(safe, file);
    await store.set('a', TOKEN);
    await store.set('b', 'two');
    const good = JSON.parse(readFileSync(file, 'utf8')) as { secrets: Record<string, string> };
    const flipped = Buffer.from(good.secrets.a ?? '', 'base64');
    flipped[20] = (flipped[20] ?? 0) ^ 0xff;
    writeFileSync(file, JSON.stringify({ ...good, secrets: { ...good.secrets, a: flipped.toString('base64') } }));
    await expect(store.get('a')).rejects.toMatchObject({ code: 'secret_unreadable' });
    writeFileSync(file, JSON.stringify({ ...good, secrets: { a: good.secrets.b } }));
    await expect(store.get('a')).rejects.toMatchObject({ code: 'secret_unreadable', message: /changed/ });
    writeFileSync(file, JSON.stringify(good));
    await expect(createSafeStorageSecretStore(fakeSafeStorage(), file).get('a')).rejects.toMatchObject({
      code: 'secret_unreadable',
    });
    writeFileSync(file, JSON.stringify({ format: 1, kind: 'file', secrets: {} }));
    await expect(store.get('a')).rejects.toMatchObject({ code: 'secret_unreadable', message: /browser mode/ });
    writeFileSync(file, '{"format":');
    await expect(store.get('a')).rejects.toMatchObject({ code: 'secret_unreadable' });
  });
});
