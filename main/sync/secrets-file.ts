import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AnvilError } from '../../shared/domain';

/**
 * The file both secret stores keep their encrypted values in (`secrets.json` in the data folder). Only
 * ciphertext goes in it, never a value in plain text; which scheme encrypted it is recorded (`kind`), so a
 * file written by the desktop app and opened in browser mode (or the reverse) is a clear error, not garbage.
 *
 *   { "format": 1, "kind": "file" | "os", "secrets": { "<name>": "<base64 ciphertext>" } }
 */
export interface SecretsFile {
  format: 1;
  kind: 'file' | 'os';
  secrets: Record<string, string>;
}

export function secretUnreadable(file: string, why: string): AnvilError {
  return new AnvilError({
    code: 'secret_unreadable',
    message: `The stored secrets in ${file} cannot be read (${why}). Enter the server token again in Settings to replace them.`,
    path: file,
  });
}

/** The file's content, or an empty one when it does not exist yet. Anything malformed is `secret_unreadable`. */
export function readSecretsFile(file: string, kind: 'file' | 'os'): SecretsFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return { format: 1, kind, secrets: {} };
    throw secretUnreadable(file, (err as Error).message);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw secretUnreadable(file, 'it is not valid JSON');
  }
  const p = parsed as Partial<SecretsFile> | null;
  if (typeof p !== 'object' || p === null || p.format !== 1 || typeof p.secrets !== 'object' || p.secrets === null)
    throw secretUnreadable(file, 'it is not an Anvil secrets file');
  if (p.kind !== kind)
    throw secretUnreadable(
      file,
      p.kind === 'os'
        ? "it was written by the desktop app with the system's secret storage, which browser mode cannot use"
        : 'it was written by browser mode with its own key, not with the system secret storage',
    );
  for (const value of Object.values(p.secrets))
    if (typeof value !== 'string') throw secretUnreadable(file, 'an entry is not a string');
  return { format: 1, kind, secrets: { ...(p.secrets as Record<string, string>) } };
}

export function writeSecretsFile(file: string, content: SecretsFile): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, `${JSON.stringify(content, null, 2)}\n`);
}

/**
 * Write a small file so that a crash leaves either the old or the new content, never a torn one: a temp file
 * (0600) beside it, fsync, rename over, fsync the folder so the rename itself is durable.
 */
export function writeFileAtomic(file: string, data: string | Buffer): void {
  const tmp = join(dirname(file), `.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(dirname(file));
}

function fsyncDir(dir: string): void {
  // Windows cannot open a folder for fsync; there the rename is as durable as the platform makes it.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Serialise the async calls of one store (each read-modify-write of the file runs alone). */
export function serialQueue(): <T>(task: () => T | Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => T | Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** Names are keys in the file: short, printable, no surprises. */
export function checkSecretName(name: string): void {
  if (!/^[A-Za-z0-9._:-]{1,200}$/.test(name) || name === '__proto__' || name === 'constructor')
    throw new AnvilError({
      code: 'invalid_argument',
      message: `"${name.slice(0, 50)}" is not a valid secret name (letters, digits, . _ : -, at most 200).`,
    });
}

/** The entry of `name` (own properties only: `toString` is not a stored secret). */
export function entryOf(content: SecretsFile, name: string): string | undefined {
  return Object.hasOwn(content.secrets, name) ? content.secrets[name] : undefined;
}

/** The file's content with `name` set to `blob`, or removed when `blob` is undefined. */
export function withEntry(content: SecretsFile, name: string, blob: string | undefined): SecretsFile {
  const rest = Object.entries(content.secrets).filter(([n]) => n !== name);
  return { ...content, secrets: Object.fromEntries(blob === undefined ? rest : [...rest, [name, blob]]) };
}
