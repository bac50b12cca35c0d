import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { expect, it } from 'vitest';
import WebSocket from 'ws';
import { GuardedWebSocket } from './guarded-websocket';

it('closing a socket still in its handshake, with no listener of ours, does not throw an unhandled error', async () => {
  // A server that takes the TCP connection and never answers the upgrade: the socket stays CONNECTING.
  const held: Socket[] = [];
  const tcp = createServer((c) => held.push(c));
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  const url = `ws://127.0.0.1:${(tcp.address() as AddressInfo).port}`;
  try {
    const plain = new WebSocket(url);
    const thrown = new Promise<Error>((resolve) => plain.once('error', resolve));
    plain.close();
    // What the stock socket does: an 'error' that, without a listener, would have crashed the process.
    expect((await thrown).message).toMatch(/closed before the connection was established/);

    const guarded = new GuardedWebSocket(url);
    const closed = new Promise<void>((resolve) => guarded.once('close', () => resolve()));
    guarded.close();
    await closed;
    expect(guarded.readyState).toBe(WebSocket.CLOSED);
  } finally {
    for (const c of held) c.destroy();
    tcp.close();
  }
});
