import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocumentStorage } from '../storage/types';
import { openSqliteStorage } from '../storage/sqlite';
import type { SyncServer } from './create';
import { createSyncServer } from './create';
import { SYNC_PROTOCOL_VERSION } from './protocol';
import type { TestClient } from './testing';
import { connect, removeDirs, tempDir, testAuthenticate, until } from './testing';

const dirs: string[] = [];
const servers: SyncServer[] = [];
const clients: TestClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
  removeDirs(dirs);
});

async function start(dataDir = tempDir(dirs), storage?: DocumentStorage): Promise<SyncServer> {
  const server = await createSyncServer(
    storage ? { storage, authenticate: testAuthenticate } : { dataDir, authenticate: testAuthenticate },
  );
  servers.push(server);
  return server;
}

function client(url: string, name: string, token: string | null): TestClient {
  const c = connect(url, name, token);
  clients.push(c);
  return c;
}

describe('createSyncServer', () => {
  it('answers /healthz with its protocol version, and 404 elsewhere', async () => {
    const server = await start();
    const res = await fetch(`${server.httpUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, protocol: SYNC_PROTOCOL_VERSION });
    expect((await fetch(`${server.httpUrl}/nope`)).status).toBe(404);
  });

  it('syncs a Y.Doc between two stock providers, and greets each with the protocol version', async () => {
    const server = await start();
    const alice = client(server.url, 'doc-1', 'rw-alice');
    const bob = client(server.url, 'doc-1', 'rw-bob');
    await Promise.all([alice.ready, bob.ready]);
    alice.text.insert(0, 'hello from alice');
    await until('bob sees alice', () => bob.text.toString() === 'hello from alice');
    bob.text.insert(bob.text.length, ', and bob');
    await until('alice sees bob', () => alice.text.toString() === 'hello from alice, and bob');
    await until('hello', () => alice.stateless.length > 0);
    expect(JSON.parse(alice.stateless[0] as string)).toEqual({
      type: 'anvil:hello',
      protocol: SYNC_PROTOCOL_VERSION,
      accountId: 'alice',
      readOnly: false,
    });
  });

  it('reports each applied edit with its account, and none for a read-only connection', async () => {
    const edits: { documentName: string; name: string }[] = [];
    const server = await createSyncServer({
      dataDir: tempDir(dirs),
      authenticate: testAuthenticate,
      onEdit: ({ documentName, name }) => edits.push({ documentName, name }),
    });
    servers.push(server);
    const alice = client(server.url, 'doc-1', 'rw-alice');
    const viewer = client(server.url, 'doc-1', 'ro-victor');
    await Promise.all([alice.ready, viewer.ready]);
    viewer.text.insert(0, 'nope');
    alice.text.insert(0, 'yes');
    await until('the edit', () => edits.length > 0);
    expect(edits).toEqual([{ documentName: 'doc-1', name: 'alice' }]);
  });

  it('refuses no token and an unknown token, with a reason', async () => {
    const server = await start();
    await expect(client(server.url, 'doc-1', null).ready).rejects.toThrow(/no token/);
    await expect(client(server.url, 'doc-1', 'stolen').ready).rejects.toThrow(/unknown/);
  });

  it('lets a token reach only the documents authenticate allows', async () => {
    const server = await createSyncServer({
      dataDir: tempDir(dirs),
      authenticate: (token, doc) =>
        token === 'rw-alice' && doc === 'mine' ? { accountId: 'alice', readOnly: false } : null,
    });
    servers.push(server);
    await client(server.url, 'mine', 'rw-alice').ready;
    await expect(client(server.url, 'theirs', 'rw-alice').ready).rejects.toThrow(/no access/);
  });

  it('refuses a client of another protocol version, naming both', async () => {
    const server = await start();
    const old = client(`${server.url}/?protocol=99`, 'doc-1', 'rw-alice');
    await expect(old.ready).rejects.toThrow(
      `client speaks protocol 99, this server speaks protocol ${SYNC_PROTOCOL_VERSION}`,
    );
    // The current version, named explicitly, is welcome.
    await client(`${server.url}/?protocol=${SYNC_PROTOCOL_VERSION}`, 'doc-1', 'rw-alice').ready;
  });

  it("drops a read-only connection's write, tells it why, and keeps it from the others", async () => {
    const server = await start();
    const writer = client(server.url, 'doc-1', 'rw-alice');
    await writer.ready;
    writer.text.insert(0, 'original');
    const viewer = client(server.url, 'doc-1', 'ro-victor');
    await viewer.ready;
    await until('viewer reads', () => viewer.text.toString() === 'original');
    viewer.text.insert(0, 'VANDAL ');
    await until('refusal', () => viewer.stateless.some((m) => m.includes('anvil:write-refused')));
    // A marker edit after the vandal's: once the writer sees the viewer get it, the vandal's would have arrived.
    writer.text.insert(writer.text.length, '!');
    await until('viewer gets the marker', () => viewer.text.toString().endsWith('!'));
    expect(writer.text.toString()).toBe('original!');
    const later = client(server.url, 'doc-1', 'rw-carol');
    await later.ready;
    expect(later.text.toString()).toBe('original!');
  });

  it('serves the previous content after a restart on the same data folder', async () => {
    const dataDir = tempDir(dirs);
    const first = await start(dataDir);
    const alice = client(first.url, 'doc-1', 'rw-alice');
    await alice.ready;
    alice.text.insert(0, 'kept across restarts');
    await until('acknowledged', () => !alice.provider.hasUnsyncedChanges);
    alice.close();
    await first.close();

    const second = await start(dataDir);
    const bob = client(second.url, 'doc-1', 'rw-bob');
    await bob.ready;
    expect(bob.text.toString()).toBe('kept across restarts');
  });

  it('stores an update before acknowledging it', async () => {
    const storage = openSqliteStorage(tempDir(dirs));
    const server = await start(undefined, storage);
    const alice = client(server.url, 'doc-1', 'rw-alice');
    await alice.ready;
    alice.text.insert(0, 'durable');
    await until('acknowledged', () => !alice.provider.hasUnsyncedChanges);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, (await storage.load('doc-1')) as Uint8Array);
    expect(stored.getText('t').toString()).toBe('durable');
    await server.close();
    await storage.close();
  });

  it('keeps serving other documents when one fails to load', async () => {
    const inner = openSqliteStorage(tempDir(dirs));
    const flaky: DocumentStorage = {
      load: (name) => (name === 'broken' ? Promise.reject(new Error('disk on fire')) : inner.load(name)),
      append: (name, update) => inner.append(name, update),
      list: () => inner.list(),
      close: () => inner.close(),
    };
    const server = await start(undefined, flaky);
    await expect(client(server.url, 'broken', 'rw-alice').ready).rejects.toThrow(/document-unavailable/);
    const a = client(server.url, 'fine', 'rw-alice');
    const b = client(server.url, 'fine', 'rw-bob');
    await Promise.all([a.ready, b.ready]);
    a.text.insert(0, 'still working');
    await until('b sees a', () => b.text.toString() === 'still working');
    await server.close();
    await inner.close();
  });

  it('retries a failed store until it succeeds, losing nothing', async () => {
    const inner = openSqliteStorage(tempDir(dirs));
    let failures = 3;
    const failing: DocumentStorage = {
      load: (name) => inner.load(name),
      append: (name, update) => (failures-- > 0 ? Promise.reject(new Error('disk full')) : inner.append(name, update)),
      list: () => inner.list(),
      close: () => inner.close(),
    };
    const server = await start(undefined, failing);
    const alice = client(server.url, 'doc-1', 'rw-alice');
    await alice.ready;
    alice.text.insert(0, 'abc');
    await until('retried', () => failures < 0 && server.pendingWrites() === 0);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, (await inner.load('doc-1')) as Uint8Array);
    expect(stored.getText('t').toString()).toBe('abc');
    await server.close();
    await inner.close();
  });
});
