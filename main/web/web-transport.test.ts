import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApi, socketChannel } from '../../shared/contract/client';
import { runContractSuite } from '../studio/contract-suite';
import type { StudioHost } from '../studio/types';
import type { WebStudio } from './server';
import { startWebServer, startWebStudio } from './server';

const rendererDir = mkdtempSync(join(tmpdir(), 'anvil-renderer-'));
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Anvil</title>');
afterAll(() => rmSync(rendererDir, { recursive: true, force: true }));

const originOf = (s: WebStudio) => `http://127.0.0.1:${s.port}`;
const wsUrl = (s: WebStudio, token = s.token) => `ws://127.0.0.1:${s.port}/api?token=${encodeURIComponent(token)}`;

function openSocket(url: string, origin?: string): Promise<WebSocket> {
  const socket = new WebSocket(url, origin === undefined ? {} : { origin });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** The status and body of a refused WebSocket upgrade. */
function refusedUpgrade(url: string, origin?: string): Promise<{ status: number; body: string }> {
  const socket = new WebSocket(url, origin === undefined ? {} : { origin });
  return new Promise((resolve, reject) => {
    socket.once('open', () => reject(new Error('the upgrade was accepted')));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    socket.once('error', () => undefined);
  });
}

function closeOf(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
}

/** A raw HTTP GET with any Host header (fetch does not let a test set one). */
function get(port: number, path: string, hostHeader: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: hostHeader } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

runContractSuite('WebSocket', async (host: StudioHost) => {
  const server = await startWebServer({ host, rendererDir });
  return {
    async connect() {
      const socket = await openSocket(wsUrl(server), originOf(server));
      return {
        api: createApi(socketChannel(socket)),
        close: async () => {
          const closed = closeOf(socket);
          socket.close();
          await closed;
        },
      };
    },
    close: () => server.close(),
  };
});

describe('the browser server', () => {
  /** A host that answers every call with its op name, enough to see a connection works. */
  const echoHost: StudioHost = {
    connect(send) {
      return {
        id: 'echo',
        receive(m) {
          if (typeof m !== 'object' || m === null || Array.isArray(m)) return;
          const { id, op } = m as { id: number; op: string };
          send({ type: 'reply', id, reply: { ok: true, value: op } });
        },
        disconnect() {},
      };
    },
    close: async () => {},
  };
  let server: WebStudio;
  beforeAll(async () => {
    server = await startWebServer({ host: echoHost, rendererDir, maxMessageBytes: 4096 });
  });
  afterAll(() => server.close());

  const api = async () => createApi(socketChannel(await openSocket(wsUrl(server), originOf(server))));

  it('prints a 127.0.0.1 address carrying a 32-byte base64url token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('serves the page with the security headers', async () => {
    for (const hostHeader of [`127.0.0.1:${server.port}`, `localhost:${server.port}`]) {
      const res = await get(server.port, '/?token=x', hostHeader);
      expect(res.status).toBe(200);
      expect(res.body).toContain('<title>Anvil</title>');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
    const missing = await get(server.port, '/nothing-here.js', `127.0.0.1:${server.port}`);
    expect(missing.status).toBe(404);
    expect(missing.headers['x-frame-options']).toBe('DENY');
  });

  it('refuses a request whose Host is not this studio (DNS rebinding)', async () => {
    for (const hostHeader of [`evil.example:${server.port}`, '127.0.0.1:1', `127.0.0.1.nip.io:${server.port}`]) {
      const res = await get(server.port, '/', hostHeader);
      expect(res.status).toBe(403);
      expect(res.body).toContain('Host');
      expect(res.headers['content-security-policy']).toBeDefined();
    }
  });

  it('refuses a WebSocket with a missing or wrong token', async () => {
    const origin = originOf(server);
    const wrong = await refusedUpgrade(wsUrl(server, 'x'.repeat(43)), origin);
    expect(wrong).toMatchObject({ status: 403, body: expect.stringContaining('token') });
    const missing = await refusedUpgrade(`ws://127.0.0.1:${server.port}/api`, origin);
    expect(missing.status).toBe(403);
    const prefix = await refusedUpgrade(wsUrl(server, server.token.slice(0, 10)), origin);
    expect(prefix.status).toBe(403);
  });

  it('refuses a WebSocket from another origin, or none', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${server.port + 1}`, 'null', undefined]) {
      const res = await refusedUpgrade(wsUrl(server), origin);
      expect(res).toMatchObject({ status: 403, body: expect.stringContaining('Origin') });
    }
    const localhost = await openSocket(
      `ws://localhost:${server.port}/api?token=${server.token}`,
      `http://localhost:${server.port}`,
    );
    localhost.close();
  });

  it('listens on 127.0.0.1 only', async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
      .map((a) => a?.address as string);
    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const s = connect({ host: address, port: server.port });
        s.once('connect', () => {
          s.destroy();
          resolve('connected');
        });
        s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(outcome, address).toBe('ECONNREFUSED');
    }
  });

  it('closes only the connection that sent a malformed, binary or oversize frame', async () => {
    const good = await api();
    for (const bad of [
      (s: WebSocket) => s.send('{"type": "invoke", '),
      (s: WebSocket) => s.send(Buffer.from([1, 2, 3])),
      (s: WebSocket) => s.send(JSON.stringify({ type: 'invoke', id: 1, op: 'x', args: { pad: 'x'.repeat(8192) } })),
    ]) {
      const socket = await openSocket(wsUrl(server), originOf(server));
      const closed = closeOf(socket);
      bad(socket);
      expect([1003, 1007, 1009]).toContain((await closed).code);
      expect(await good.invoke('projects:list', {})).toBe('projects:list');
    }
  });

  it('drops messages that are JSON but not a call, and keeps the connection', async () => {
    const socket = await openSocket(wsUrl(server), originOf(server));
    for (const m of ['42', 'null', '[]', '"text"']) socket.send(m);
    const good = createApi(socketChannel(socket));
    expect(await good.invoke('projects:list', {})).toBe('projects:list');
    socket.close();
  });

  it("says how to build the page when the renderer's folder is missing", async () => {
    const other = await startWebServer({ host: echoHost, rendererDir: join(rendererDir, 'absent') });
    try {
      const res = await get(other.port, '/', `127.0.0.1:${other.port}`);
      expect(res.status).toBe(503);
      expect(res.body).toContain('npm run build:renderer');
    } finally {
      await other.close();
    }
  });
});

describe('startWebStudio', () => {
  let dataDir: string;
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('seeds a new data directory once, serves it, and reopens it after a restart', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'anvil-web-'));
    mkdirSync(dataDir, { recursive: true });
    let studio = await startWebStudio({ dataDir, rendererDir, actor: 'tester' });
    let socket = await openSocket(wsUrl(studio), originOf(studio));
    let client = createApi(socketChannel(socket));
    const first = await client.invoke('app:overview', {});
    expect(first.counts.projects).toBeGreaterThan(0);
    expect(await client.invoke('app:info', {})).toMatchObject({ mode: 'web', actor: 'tester' });
    // A sync token (nobody listens at that URL: sync just stays offline) is kept encrypted, never in plain text.
    const token = 'anvil_tok_kept-across-restarts';
    await client.invoke('sync:configure', { url: 'ws://127.0.0.1:9', token, enabled: false });
    socket.close();
    await studio.close();
    const onDisk = readdirSync(dataDir).map((f) =>
      statSync(join(dataDir, f)).isFile() ? readFileSync(join(dataDir, f)) : Buffer.alloc(0),
    );
    expect(onDisk.some((bytes) => bytes.includes(token))).toBe(false);

    studio = await startWebStudio({ dataDir, rendererDir, actor: 'tester' });
    socket = await openSocket(wsUrl(studio), originOf(studio));
    client = createApi(socketChannel(socket));
    expect((await client.invoke('app:overview', {})).counts).toEqual(first.counts);
    expect(await client.invoke('sync:status', {})).toMatchObject({ hasToken: true, secretStorage: 'file' });
    socket.close();
    await studio.close();
  });

  it('stops within seconds even while a connection holds a request that never finishes', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'anvil-web-'));
    const studio = await startWebStudio({ dataDir, rendererDir, actor: 'tester', seed: false });
    const socket = await openSocket(wsUrl(studio), originOf(studio));
    // Half a request: without the cut, the server would wait for Node's headers timeout (60 s) before closing.
    const raw = connect(studio.port, '127.0.0.1');
    await new Promise<void>((resolve) => raw.once('connect', () => resolve()));
    raw.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${studio.port}\r\n`);
    raw.on('error', () => undefined);
    const start = performance.now();
    await studio.close();
    expect(performance.now() - start).toBeLessThan(10_000);
    socket.terminate();
    raw.destroy();
  }, 30_000);
});
