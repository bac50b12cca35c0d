import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseServeArgs } from './args';
import { SYNC_PROTOCOL_VERSION } from './protocol';
import type { TestClient } from './testing';
import { connect, removeDirs, startMain, tempDir, until } from './testing';
import { ACCOUNTS_FILE, openAccountStore } from '../accounts';
import { projectOfDocument } from './document-names';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const dirs: string[] = [];
let child: ChildProcess | undefined;
let client: TestClient | undefined;

afterEach(() => {
  client?.close();
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  removeDirs(dirs);
});

describe('parseServeArgs', () => {
  it('reads port, data and host, with defaults', () => {
    expect(parseServeArgs(['--port', '4000', '--data', '/d'])).toEqual({
      port: 4000,
      host: '127.0.0.1',
      dataDir: '/d',
    });
    expect(parseServeArgs(['--data', '/d', '--host', '::1'])).toEqual({ port: 0, host: '::1', dataDir: '/d' });
  });

  it('refuses bad arguments with a coded error', () => {
    for (const argv of [[], ['--port', 'x', '--data', '/d'], ['--data'], ['--verbose', 'yes', '--data', '/d']]) {
      expect(() => parseServeArgs(argv)).toThrow(expect.objectContaining({ code: 'invalid_arguments' }));
    }
  });
});

describe('main.ts', () => {
  it(
    'starts, prints the admin token once and its URL, serves, and exits 0 on SIGTERM',
    { timeout: 20_000 },
    async () => {
      const dataDir = tempDir(dirs);
      const first = await startMain(MAIN, dataDir);
      child = first.proc;
      expect(first.adminToken).toMatch(/\S{16,}/);
      const token = first.adminToken as string;
      const health = await fetch(`${first.url.replace('ws:', 'http:')}/healthz`);
      expect(await health.json()).toEqual({ ok: true, protocol: SYNC_PROTOCOL_VERSION });
      // The HTTP API: who the token is, and registering the project its documents belong to.
      const http = first.url.replace('ws:', 'http:');
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const who = (await (await fetch(`${http}/api/whoami`, { headers })).json()) as { name: string };
      expect(who).toMatchObject({ name: 'admin', serverAdmin: true, protocol: SYNC_PROTOCOL_VERSION });
      // Documents of a project nobody registered are refused, even to the server admin.
      const early = connect(first.url, 'p1/doc-1', token);
      await expect(early.ready).rejects.toThrow(/unauthorized/);
      early.close();
      const registered = await fetch(`${http}/api/projects`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ id: 'p1', name: 'Project one' }),
      });
      expect(registered.status).toBe(201);
      client = connect(first.url, 'p1/doc-1', token);
      await client.ready;
      client.text.insert(0, 'audited');
      await until('acknowledged', () => !(client as TestClient).provider.hasUnsyncedChanges);
      const intruder = connect(first.url, 'p1/doc-1', 'wrong-token');
      await expect(intruder.ready).rejects.toThrow(/unknown/);
      intruder.close();
      // A name outside the <project>/<document> scheme belongs to no project: refused even for the admin.
      const stray = connect(first.url, 'no-project', token);
      await expect(stray.ready).rejects.toThrow(/unauthorized/);
      stray.close();
      client.close();
      client = undefined;
      const exit = new Promise<number | null>((resolve) => first.proc.on('exit', (code) => resolve(code)));
      first.proc.kill('SIGTERM');
      expect(await exit).toBe(0);
      expect(first.stderr()).not.toContain(token);

      // The edit was audited (coalesced per minute, flushed at shutdown).
      const accounts = openAccountStore(join(dataDir, ACCOUNTS_FILE));
      const audited = accounts.audit.query({ entityId: 'p1/doc-1' }).map((e) => e.action);
      const projectRows = accounts.audit.query({ entityId: 'p1' }).map((e) => e.action);
      accounts.close();
      expect(audited).toContain('doc.edit');
      expect(projectRows).toContain('project.register');

      // The token is printed on the first start only.
      const second = await startMain(MAIN, dataDir);
      child = second.proc;
      expect(second.adminToken).toBeNull();
    },
  );
});

describe('projectOfDocument', () => {
  it('takes the project id before the first slash', () => {
    expect(projectOfDocument('p1/doc')).toBe('p1');
    expect(projectOfDocument('p1/set/x')).toBe('p1');
    for (const bad of ['', 'doc', '/doc', 'p1/']) expect(projectOfDocument(bad)).toBeNull();
  });
});
