import { afterEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import type { SyncServer, SyncServerOptions } from './create';
import { createSyncServer } from './create';
import type { TestClient } from './testing';
import {
  authMessage,
  closed,
  connect,
  rawSocket,
  removeDirs,
  tempDir,
  testAuthenticate,
  until,
  updateMessage,
} from './testing';

const dirs: string[] = [];
const servers: SyncServer[] = [];
const clients: TestClient[] = [];
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
  removeDirs(dirs);
});

async function start(extra: Partial<SyncServerOptions> = {}): Promise<{ server: SyncServer; log: string[] }> {
  const log: string[] = [];
  const server = await createSyncServer({
    dataDir: tempDir(dirs),
    authenticate: testAuthenticate,
    log: (line) => log.push(line),
    ...extra,
  });
  servers.push(server);
  return { server, log };
}

/** A raw socket authenticated (as a writer) for `name`. */
async function authedSocket(url: string, name: string): Promise<WebSocket> {
  const ws = await rawSocket(url);
  sockets.push(ws);
  const answered = new Promise((resolve) => ws.once('message', resolve));
  ws.send(authMessage(name, 'rw-raw'));
  await answered;
  return ws;
}

async function pair(url: string, name: string): Promise<[TestClient, TestClient]> {
  const a = connect(url, name, 'rw-alice');
  const b = connect(url, name, 'rw-bob');
  clients.push(a, b);
  await Promise.all([a.ready, b.ready]);
  return [a, b];
}

function validUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

/** Hocuspocus awareness message: document name, type 1, then the y-protocols awareness update as bytes. */
export function awarenessMessage(name: string, update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, name);
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** A y-protocols awareness update: count, then per client its id, clock and JSON state. */
export function awarenessUpdate(states: { client: number; clock: number; json: string }[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, states.length);
  for (const s of states) {
    encoding.writeVarUint(e, s.client);
    encoding.writeVarUint(e, s.clock);
    encoding.writeVarString(e, s.json);
  }
  return encoding.toUint8Array(e);
}

describe('per-connection message rate', () => {
  it('closes a flooding socket with 1008 rate-limit, and only that socket', async () => {
    const { server, log } = await start({ messageRateLimit: { perSecond: 50, burst: 100 } });
    const [a, b] = await pair(server.url, 'doc');
    const flood = await authedSocket(server.url, 'doc');
    const done = closed(flood);
    for (let i = 0; i < 400; i++) flood.send(updateMessage('doc', validUpdate(`f${i}`)));
    const { code, reason } = await done;
    expect(code).toBe(1008);
    expect(reason).toMatch(/^rate-limit: more than 50 messages per second/);
    expect(log.some((l) => l.includes('message rate'))).toBe(true);
    a.text.insert(0, 'still here');
    await until('b sees a', () => b.text.toString().includes('still here'));
    expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);
  });

  it('closes a socket over its byte rate with 1008 rate-limit, and only that socket', async () => {
    const { server, log } = await start({ byteRateLimit: { perSecond: 64 * 1024, burst: 256 * 1024 } });
    const [a, b] = await pair(server.url, 'doc');
    const flood = await authedSocket(server.url, 'doc');
    const done = closed(flood);
    // 20 messages of 32 KiB: few enough for the message rate, too many bytes for the byte rate.
    for (let i = 0; i < 20; i++) flood.send(updateMessage('doc', validUpdate('z'.repeat(32 * 1024))));
    const { code, reason } = await done;
    expect(code).toBe(1008);
    expect(reason).toBe(`rate-limit: more than ${64 * 1024} bytes per second`);
    expect(log.some((l) => l.includes('byte rate'))).toBe(true);
    a.text.insert(0, 'still here');
    await until('b sees a', () => b.text.toString().includes('still here'));
  });

  it('lets a fast typist and a reconnect with a big sync step through at the default limit', async () => {
    const { server, log } = await start();
    const [a, b] = await pair(server.url, 'doc');
    // 2,000 keystrokes as fast as the event loop allows, each its own update message (and presence moves).
    for (let i = 0; i < 2000; i++) {
      a.text.insert(a.text.length, 'k');
      if (i % 10 === 0) a.provider.setAwarenessField('cursor', { index: i });
    }
    // Generous waits: this checks that nothing is refused, not how fast (2,000 worker-checked updates on a busy CI).
    await until('b has every keystroke', () => b.text.length === 2000, 40_000);
    // Offline work: 5,000 edits made without a connection go out as one sync step when it connects.
    const offline = new Y.Doc();
    const t = offline.getText('t');
    for (let i = 0; i < 5000; i++) t.insert(t.length, `line ${i}\n`);
    const c = connect(server.url, 'doc', 'rw-carol');
    clients.push(c);
    Y.applyUpdate(c.doc, Y.encodeStateAsUpdate(offline));
    await c.ready;
    await until('b has the offline work', () => b.text.length === 2000 + t.length, 40_000);
    expect(log.filter((l) => l.includes('rate') || l.includes('awareness'))).toEqual([]);
  }, 100_000);
});

describe('awareness limits', () => {
  it('closes a socket sending an oversized awareness message (1009), others keep their presence', async () => {
    const { server } = await start({ maxAwarenessBytes: 4 * 1024 });
    const [a, b] = await pair(server.url, 'doc');
    const big = await authedSocket(server.url, 'doc');
    const done = closed(big);
    const json = JSON.stringify({ user: 'x'.repeat(8 * 1024) });
    big.send(awarenessMessage('doc', awarenessUpdate([{ client: 4242, clock: 1, json }])));
    const { code, reason } = await done;
    expect(code).toBe(1009);
    expect(reason).toMatch(/^awareness-too-large/);
    // Never applied: nobody sees client 4242's state.
    await new Promise((r) => setTimeout(r, 100));
    expect(b.provider.awareness?.getStates().has(4242)).toBe(false);
    a.provider.setAwarenessField('user', { name: 'alice' });
    await until('b sees alice', () =>
      [...(b.provider.awareness?.getStates().values() ?? [])].some(
        (s) => (s as { user?: { name?: string } }).user?.name === 'alice',
      ),
    );
  });

  it('closes a socket whose awareness message does not decode (1008 invalid-awareness), never the server', async () => {
    const { server, log } = await start();
    const [a, b] = await pair(server.url, 'doc');
    const crafted: [string, Uint8Array][] = [
      ['bad JSON state', awarenessUpdate([{ client: 7, clock: 1, json: '{not json' }])],
      ['truncated', awarenessUpdate([{ client: 7, clock: 1, json: '{}' }]).slice(0, 3)],
      ['huge count', Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 1])],
      ['trailing bytes', Uint8Array.from([...awarenessUpdate([{ client: 7, clock: 1, json: '{}' }]), 9, 9])],
      ['empty', new Uint8Array()],
    ];
    for (const [what, update] of crafted) {
      const ws = await authedSocket(server.url, 'doc');
      const done = closed(ws);
      ws.send(awarenessMessage('doc', update));
      const { code, reason } = await done;
      expect([code, reason.split(':')[0]], what).toEqual([1008, 'invalid-awareness']);
    }
    expect(log.filter((l) => l.includes('invalid-awareness'))).toHaveLength(crafted.length);
    expect(b.provider.awareness?.getStates().has(7)).toBe(false);
    a.text.insert(0, 'fine');
    await until('b syncs', () => b.text.toString() === 'fine');
  });
});
