import { AnvilError } from '../../shared/domain';
import {
  checkSecretName,
  entryOf,
  readSecretsFile,
  secretUnreadable,
  serialQueue,
  withEntry,
  writeSecretsFile,
} from '../sync/secrets-file';
import type { SecretStore } from '../sync/types';

/**
 * The part of Electron's `safeStorage` this store uses, so it is typed (and tested) without Electron.
 * `getSelectedStorageBackend` exists on Linux only.
 */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/**
 * The desktop app's secret store (kind `os`): values encrypted by Electron's `safeStorage` (macOS Keychain,
 * Windows DPAPI, libsecret/kwallet on Linux), the ciphertext kept in `file` (`secrets.json` in the data folder,
 * 0600, written atomically). Where the system offers no encryption it refuses to store rather than fall back
 * to plain text: that includes Linux's `basic_text` backend, whose "encryption" uses a fixed, public password.
 * Each value is encrypted together with its name and checked on the way out, so swapped entries are detected.
 */
export function createSafeStorageSecretStore(safeStorage: SafeStorageLike, file: string): SecretStore {
  const queue = serialQueue();
  return {
    kind: 'os',
    get: (name) =>
      queue(() => {
        checkSecretName(name);
        const blob = entryOf(readSecretsFile(file, 'os'), name);
        if (blob === undefined) return null;
        requireEncryption(safeStorage);
        let plain: string;
        try {
          plain = safeStorage.decryptString(Buffer.from(blob, 'base64'));
        } catch {
          throw secretUnreadable(
            file,
            `the system secret storage cannot decrypt the entry "${name}" (changed, or from another user or machine)`,
          );
        }
        const parsed = parseEntry(plain);
        if (!parsed || parsed.n !== name) throw secretUnreadable(file, `the entry "${name}" was changed`);
        return parsed.v;
      }),
    set: (name, value) =>
      queue(() => {
        checkSecretName(name);
        requireEncryption(safeStorage);
        const content = readSecretsFile(file, 'os');
        const blob = safeStorage.encryptString(JSON.stringify({ n: name, v: value })).toString('base64');
        writeSecretsFile(file, withEntry(content, name, blob));
      }),
    delete: (name) =>
      queue(() => {
        checkSecretName(name);
        const content = readSecretsFile(file, 'os');
        if (entryOf(content, name) === undefined) return;
        writeSecretsFile(file, withEntry(content, name, undefined));
      }),
  };
}

/** Whether `safeStorage` really encrypts here (the desktop app falls back to the file store where it does not). */
export function safeStorageUsable(safeStorage: SafeStorageLike): boolean {
  return safeStorage.isEncryptionAvailable() && safeStorage.getSelectedStorageBackend?.() !== 'basic_text';
}

function requireEncryption(safeStorage: SafeStorageLike): void {
  if (!safeStorage.isEncryptionAvailable())
    throw new AnvilError({
      code: 'secret_storage_unavailable',
      message:
        "The system's secret storage is not available (on Linux: no keyring such as GNOME Keyring or KWallet is running), so the token cannot be stored safely. Start a keyring, or use the studio in browser mode.",
    });
  if (safeStorage.getSelectedStorageBackend?.() === 'basic_text')
    throw new AnvilError({
      code: 'secret_storage_unavailable',
      message:
        "The system's secret storage has no keyring here (Electron's basic_text fallback, which is not real encryption), so the token cannot be stored safely. Start a keyring such as GNOME Keyring or KWallet.",
    });
}

function parseEntry(plain: string): { n: string; v: string } | null {
  try {
    const e = JSON.parse(plain) as { n?: unknown; v?: unknown };
    return typeof e.n === 'string' && typeof e.v === 'string' ? { n: e.n, v: e.v } : null;
  } catch {
    return null;
  }
}
