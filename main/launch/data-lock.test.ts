import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, acquireDataLock, lockedMessage, pidAlive, readLock } from './data-lock';

const base = mkdtempSync(join(tmpdir(), 'anvil-lock-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const folder = (name: string) => mkdtempSync(join(base, `${name}-`));

describe('acquireDataLock', () => {
  it('takes a free folder, records the address privately, and releases it', () => {
    const dir = folder('free');
    const attempt = acquireDataLock(dir, { pid: 101, mode: 'web' }, () => true);
    if (!attempt.ok) throw new Error('expected the lock');
    attempt.lock.setUrl('http://127.0.0.1:5219/?token=t');
    expect(readLock(join(dir, LOCK_FILE))).toEqual({ pid: 101, mode: 'web', url: 'http://127.0.0.1:5219/?token=t' });
    if (process.platform !== 'win32') expect(statSync(join(dir, LOCK_FILE)).mode & 0o777).toBe(0o600);
    attempt.lock.release();
    expect(readLock(join(dir, LOCK_FILE))).toBeNull();
  });

  it('says who holds a folder whose studio is running', () => {
    const dir = folder('held');
    const first = acquireDataLock(dir, { pid: 101, mode: 'web' }, () => true);
    if (!first.ok) throw new Error('expected the lock');
    first.lock.setUrl('http://127.0.0.1:5219/?token=t');
    const second = acquireDataLock(dir, { pid: 202, mode: 'web' }, () => true);
    expect(second).toEqual({ ok: false, holder: { pid: 101, mode: 'web', url: 'http://127.0.0.1:5219/?token=t' } });
  });

  it("takes over a lock whose process is gone, or that cannot be read, and never releases another's", () => {
    const dir = folder('stale');
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 101, mode: 'desktop' }));
    const took = acquireDataLock(dir, { pid: 202, mode: 'web' }, () => false);
    expect(took.ok).toBe(true);
    expect(readLock(join(dir, LOCK_FILE))?.pid).toBe(202);

    writeFileSync(join(dir, LOCK_FILE), '{"pid": 3'); // half-written
    const again = acquireDataLock(dir, { pid: 303, mode: 'web' }, () => true);
    expect(again.ok).toBe(true);
    if (took.ok) took.lock.release(); // 202's release must leave 303's lock alone
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toEqual({ pid: 303, mode: 'web' });
  });
});

describe('pidAlive', () => {
  it('knows this process, and not a process id that cannot exist', () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(2 ** 30)).toBe(false);
  });
});

describe('lockedMessage', () => {
  it('points at the running studio', () => {
    expect(lockedMessage('/d', { pid: 7, mode: 'web', url: 'http://127.0.0.1:1/?token=t' })).toBe(
      'Another studio (process 7) is serving the data folder /d at http://127.0.0.1:1/?token=t: open that one, ' +
        'or stop it first (Ctrl+C where it runs).',
    );
    expect(lockedMessage('/d', { pid: 7, mode: 'desktop' })).toMatch(/^The desktop app \(process 7\) has/);
  });
});
