import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mountSyncServer } from './create';
import { SYNC_PROTOCOL_VERSION } from './protocol';
import type { TestClient } from './testing';
import { connect, removeDirs, tempDir, until } from './testing';

const dirs: string[] = [];
const clients: TestClient[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const f of cleanups.splice(0).reverse()) await f();
  removeDirs(dirs);
});

describe('mountSyncServer', () => {
  it('serves sync under a path of a host HTTP server whose own login decides who may write', async () => {
    // The example host: its own route, its own sessions (session id → user and role).
    const sessions = new Map([
      ['session-ann', { user: 'ann', role: 'editor' }],
      ['session-vic', { user: 'vic', role: 'viewer' }],
    ]);
    const host = createServer((req, res) => {
      if (mount.handleRequest(req, res)) return;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('host page');
    });
    const mount = mountSyncServer(host, {
      path: '/anvil',
      dataDir: tempDir(dirs),
      authenticate: (token) => {
        const s = sessions.get(token);
        return s ? { accountId: s.user, readOnly: s.role !== 'editor' } : null;
      },
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () => new Promise<void>((resolve) => host.close(() => resolve())),
      async () => {
        host.closeAllConnections();
        await mount.close();
      },
    );
    const base = `127.0.0.1:${(host.address() as AddressInfo).port}`;

    expect(await (await fetch(`http://${base}/`)).text()).toBe('host page');
    expect(await (await fetch(`http://${base}/anvil/healthz`)).json()).toEqual({
      ok: true,
      protocol: SYNC_PROTOCOL_VERSION,
    });

    const ann = connect(`ws://${base}/anvil`, 'p1/doc', 'session-ann');
    const vic = connect(`ws://${base}/anvil`, 'p1/doc', 'session-vic');
    clients.push(ann, vic);
    await Promise.all([ann.ready, vic.ready]);
    ann.text.insert(0, 'from the host app');
    await until('vic reads', () => vic.text.toString() === 'from the host app');
    vic.text.insert(0, 'nope ');
    await until('refused', () => vic.stateless.some((m) => m.includes('anvil:write-refused')));
    expect(ann.text.toString()).toBe('from the host app');
    const stranger = connect(`ws://${base}/anvil`, 'p1/doc', 'session-unknown');
    clients.push(stranger);
    await expect(stranger.ready).rejects.toThrow(/unauthorized/);
  });
});
