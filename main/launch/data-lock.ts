import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LaunchError, errorCode } from './launch-error';

/**
 * One studio per data folder. Each studio holds its documents in memory and writes them back, so two studios
 * on one workspace would each overwrite the other's drafts. The desktop app has Electron's single-instance
 * lock; this file extends the guard to the browser mode (and across the two modes): `studio.lock` in the data
 * folder, created atomically, naming the process that holds it (a lock whose process is gone is stale and
 * taken over). It is private to the user (0600): it holds the browser studio's address, secret included, so a
 * second `npm start` can point at the running one.
 */
export const LOCK_FILE = 'studio.lock';

export interface LockInfo {
  pid: number;
  mode: 'web' | 'desktop';
  /** The browser studio's address, once it listens. */
  url?: string;
}

export interface DataLock {
  /** Record the address once the server listens. */
  setUrl(url: string): void;
  release(): void;
}

export type LockAttempt = { ok: true; lock: DataLock } | { ok: false; holder: LockInfo };

/** Is there a process with this id (EPERM: there is, it belongs to someone else)? */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errorCode(err) === 'EPERM';
  }
}

export function readLock(file: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockInfo>;
    if (typeof info.pid !== 'number' || (info.mode !== 'web' && info.mode !== 'desktop')) return null;
    return { pid: info.pid, mode: info.mode, ...(typeof info.url === 'string' ? { url: info.url } : {}) };
  } catch {
    return null;
  }
}

/** Take the data folder's lock, or say who holds it. A stale or unreadable lock is taken over. */
export function acquireDataLock(
  dir: string,
  info: LockInfo,
  isAlive: (pid: number) => boolean = pidAlive,
): LockAttempt {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
      const holder = readLock(file);
      if (holder && holder.pid !== info.pid && isAlive(holder.pid)) return { ok: false, holder };
      rmSync(file, { force: true }); // Stale (its process is gone) or half-written: take it over.
      continue;
    }
    let current = info;
    const write = () => writeFileSync(file, `${JSON.stringify(current)}\n`, { mode: 0o600 });
    try {
      writeFileSync(fd, `${JSON.stringify(current)}\n`);
    } finally {
      closeSync(fd);
    }
    return {
      ok: true,
      lock: {
        setUrl(url) {
          current = { ...current, url };
          write();
        },
        release() {
          // Only our own lock: never one a later studio took over.
          if (readLock(file)?.pid === info.pid) rmSync(file, { force: true });
        },
      },
    };
  }
  throw new LaunchError(`Could not take the lock ${file}: it keeps changing. Is another studio starting?`);
}

/** The message for a folder another studio has open. */
export function lockedMessage(dir: string, holder: LockInfo): string {
  if (holder.mode === 'desktop')
    return `The desktop app (process ${holder.pid}) has the data folder ${dir} open: use it, or quit it first.`;
  return (
    `Another studio (process ${holder.pid}) is serving the data folder ${dir}` +
    (holder.url ? ` at ${holder.url}` : '') +
    ': open that one, or stop it first (Ctrl+C where it runs).'
  );
}
