import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { AnvilError } from '../../shared/domain';
import {
  checkSecretName,
  entryOf,
  readSecretsFile,
  secretUnreadable,
  serialQueue,
  withEntry,
  writeSecretsFile,
} from './secrets-file';
import type { SecretStore } from './types';

/** Where the encrypted values live, in the data folder. */
export const SECRETS_FILE = 'secrets.json';
const KEY_FILE = 'secret.key';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface FileSecretStoreOptions {
  /** The data folder: `secrets.json` (ciphertext only) is kept in it. */
  dir: string;
  /**
   * The folder of the key (`secret.key`), which must be outside the data folder. Default: `ANVIL_SECRET_KEY_DIR`,
   * else the per-user config folder (`$XDG_CONFIG_HOME/anvil`, `~/.config/anvil`; `%LOCALAPPDATA%\anvil`).
   */
  keyDir?: string;
}

/**
 * Browser mode's secret store (kind `file`): values encrypted with AES-256-GCM under a random 32-byte key kept
 * in the user's config folder, outside the data folder. So the data folder alone (a backup, a copy sent to a
 * colleague, a synced folder) never carries a usable token; reading it needs this user's key file too. This
 * does not protect against someone who can read the user's files (only the OS keychain can promise more: the
 * desktop app uses it, `main/electron/secret-store.ts`). Each value is bound to its name (GCM additional data),
 * so swapping entries in the file is detected like any other tampering: a `secret_unreadable` error.
 */
export function createFileSecretStore(options: FileSecretStoreOptions): SecretStore {
  const file = join(options.dir, SECRETS_FILE);
  const keyDir = options.keyDir ?? defaultKeyDir();
  if (isInside(keyDir, options.dir))
    throw new AnvilError({
      code: 'secret_key_location',
      message: `The secret key folder ${keyDir} is inside the data folder ${options.dir}; it must be outside it, so a copy of the data folder carries no usable token.`,
      path: keyDir,
    });
  const keyFile = join(keyDir, KEY_FILE);
  const queue = serialQueue();
  let key: Buffer | undefined;
  const theKey = (create: boolean): Buffer | undefined => (key ??= loadKey(keyDir, keyFile, create));

  return {
    kind: 'file',
    get: (name) =>
      queue(() => {
        checkSecretName(name);
        const blob = entryOf(readSecretsFile(file, 'file'), name);
        if (blob === undefined) return null;
        const k = theKey(false);
        if (!k)
          throw secretUnreadable(file, `its key ${keyFile} is missing (was the data folder copied from elsewhere?)`);
        return decrypt(k, name, blob, file);
      }),
    set: (name, value) =>
      queue(() => {
        checkSecretName(name);
        const content = readSecretsFile(file, 'file');
        writeSecretsFile(file, withEntry(content, name, encrypt(theKey(true) as Buffer, name, value)));
      }),
    delete: (name) =>
      queue(() => {
        checkSecretName(name);
        const content = readSecretsFile(file, 'file');
        if (entryOf(content, name) === undefined) return;
        writeSecretsFile(file, withEntry(content, name, undefined));
      }),
  };
}

export function defaultKeyDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ANVIL_SECRET_KEY_DIR) return env.ANVIL_SECRET_KEY_DIR;
  // Windows keeps the data folder in the roaming %APPDATA%\Anvil; the key stays on this machine (and apart).
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'anvil');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'anvil');
}

function encrypt(key: Buffer, name: string, value: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(name));
  const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64');
}

function decrypt(key: Buffer, name: string, blob: string, file: string): string {
  const bytes = Buffer.from(blob, 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES) throw secretUnreadable(file, `the entry "${name}" is truncated`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(aad(name));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw secretUnreadable(
      file,
      `the entry "${name}" was changed, or encrypted with another key than this user's (a data folder copied from elsewhere?)`,
    );
  }
}

const aad = (name: string) => Buffer.from(`anvil-secret:v1:${name}`, 'utf8');

/**
 * The key, created on first need (32 random bytes, 0600, folder 0700). Creation writes a temp file and links
 * it into place, so two studios starting at once agree on one key and nobody reads a half-written one.
 */
function loadKey(dir: string, keyFile: string, create: boolean): Buffer | undefined {
  const read = (): Buffer | undefined => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(keyFile);
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return undefined;
      throw keyUnreadable(keyFile, (err as Error).message);
    }
    if (bytes.length !== KEY_BYTES) throw keyUnreadable(keyFile, `it holds ${bytes.length} bytes, not ${KEY_BYTES}`);
    return bytes;
  };
  const existing = read();
  if (existing || !create) return existing;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${randomBytes(6).toString('hex')}.key`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, randomBytes(KEY_BYTES));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, keyFile);
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST') throw keyUnreadable(keyFile, (err as Error).message);
  } finally {
    rmSync(tmp, { force: true });
  }
  return read();
}

function keyUnreadable(keyFile: string, why: string): AnvilError {
  return new AnvilError({
    code: 'secret_key_unreadable',
    message: `The secret key ${keyFile} cannot be used (${why}). Move it aside and enter the server token again.`,
    path: keyFile,
  });
}

function isInside(child: string, parent: string): boolean {
  const fold = (p: string) => (process.platform === 'linux' ? resolve(p) : resolve(p).toLowerCase());
  const rel = relative(fold(parent), fold(child));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
