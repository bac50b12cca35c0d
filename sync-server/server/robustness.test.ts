import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createAccountsApiBackend } from '../api';
import { ACCOUNTS_FILE, createTokenAuthenticator, openAccountStore } from '../accounts';
import { openSqliteStorage } from '../storage/sqlite';
import { VERSIONS_FILE, openTeamVersionStore } from '../versions';
import { projectOfDocument } from './document-names';
import { awarenessMessage, awarenessUpdate } from './limits.test';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import type { SyncServer } from './create';
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

const FUZZ_MESSAGES = process.env.ANVIL_SOAK ? 5_000 : 200;
const dirs: string[] = [];
const servers: SyncServer[] = [];
const clients: TestClient[] = [];
const sockets: WebSocket[] = [];
const afterCleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
  for (const f of afterCleanup.splice(0)) await f();
  removeDirs(dirs);
});

async function start(extra: { maxMessageBytes?: number; authTimeoutMs?: number } = {}): Promise<SyncServer> {
  const server = await createSyncServer({ dataDir: tempDir(dirs), authenticate: testAuthenticate, ...extra });
  servers.push(server);
  return server;
}

async function socket(url: string): Promise<WebSocket> {
  const ws = await rawSocket(url);
  sockets.push(ws);
  return ws;
}

/** Two stock providers on `name`; `check(n)` makes the first type and waits for the second to see it. */
async function goodPair(url: string, name: string): Promise<(n: number) => Promise<void>> {
  const a = connect(url, name, 'rw-alice');
  const b = connect(url, name, 'rw-bob');
  clients.push(a, b);
  await Promise.all([a.ready, b.ready]);
  return async (n) => {
    a.text.insert(a.text.length, `${n};`);
    const expected = a.text.toString();
    await until(`the good client to sync edit ${n}`, () => b.text.toString() === expected);
  };
}

/** Deterministic PRNG (mulberry32): CI runs the same messages every time; the soak run varies the seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function validUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('sync server robustness', () => {
  it('closes only the connection that sends an oversized message', async () => {
    const server = await start({ maxMessageBytes: 64 * 1024 });
    const check = await goodPair(server.url, 'doc-1');
    const big = await socket(server.url);
    big.send(authMessage('doc-1', 'rw-mallory'));
    big.send(new Uint8Array(100 * 1024));
    const { code } = await closed(big);
    expect(code).toBe(1009); // ws: message too big
    await check(1);
  });

  it('closes a socket that sends too much before authenticating, or stays silent', async () => {
    const server = await start({ authTimeoutMs: 300 });
    const chatty = await socket(server.url);
    for (let i = 0; i < 100; i++) chatty.send(updateMessage('doc-1', validUpdate('x')));
    expect(await closed(chatty)).toEqual({ code: 1008, reason: 'too many messages before authentication' });
    // Authenticated for one document, flooding another it never authenticated: closed the same way.
    const sideways = await socket(server.url);
    sideways.send(authMessage('doc-1', 'rw-mallory'));
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 100; i++) sideways.send(updateMessage('other', validUpdate('x')));
    expect((await closed(sideways)).reason).toBe('too many messages before authentication');
    const silent = await socket(server.url);
    expect(await closed(silent)).toEqual({ code: 1008, reason: 'authentication timeout' });
  });

  it(`survives ${FUZZ_MESSAGES} random and mutated messages and HTTP requests while a good client keeps syncing`, async () => {
    // The real thing `anvil serve` runs: accounts, team versions, SQLite documents, the HTTP API.
    const dir = tempDir(dirs);
    const accounts = openAccountStore(join(dir, ACCOUNTS_FILE));
    const versions = openTeamVersionStore(join(dir, VERSIONS_FILE));
    const storage = openSqliteStorage(dir);
    const adminToken = accounts.bootstrap()?.token as string;
    accounts.registerProject(accounts.getUser('admin')?.id as string, 'p', 'Fuzzed');
    const byAccounts = createTokenAuthenticator(accounts, { projectOf: projectOfDocument });
    const server = await createSyncServer({
      storage,
      maxMessageBytes: 256 * 1024,
      // Test tokens for the sockets, the accounts for the API.
      authenticate: (token, name) => testAuthenticate(token) ?? byAccounts(token, name),
      api: createAccountsApiBackend({ accounts, versions, documentExists: (name) => storage.has(name) }),
    });
    servers.push(server);
    afterCleanup.push(async () => {
      await storage.close();
      versions.close();
      accounts.close();
    });
    const check = await goodPair(server.url, 'good');
    const seed = process.env.ANVIL_SOAK ? Date.now() : 20261125;
    const rand = prng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
    const valid = [
      authMessage('fuzz', 'rw-fuzzer'),
      updateMessage('fuzz', validUpdate('some text')),
      updateMessage('fuzz', validUpdate('ünïcødé ✓')),
      awarenessMessage('fuzz', awarenessUpdate([{ client: 99, clock: 3, json: '{"user":{"name":"f"}}' }])),
    ];
    const kinds = {
      random: () => bytes(Math.floor(rand() * 200)),
      truncated: () => {
        const m = pick(valid);
        return m.slice(0, Math.floor(rand() * m.length));
      },
      mutated: () => {
        const m = pick(valid).slice();
        for (let k = 0; k < 1 + rand() * 3; k++) m[Math.floor(rand() * m.length)] = Math.floor(rand() * 256);
        return m;
      },
      // A length prefix that promises far more than follows (varuint 0xffffffff).
      hugeLength: () => Uint8Array.from([4, 102, 117, 122, 122, 0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]),
      text: () => 'not a binary frame',
      awareness: () => awarenessMessage('fuzz', bytes(Math.floor(rand() * 60))),
    } as const;
    // HTTP garbage: random methods, paths, tokens and bodies against the API. Every answer is JSON, never a 5xx.
    const httpStatuses = new Map<number, number>();
    const httpGarbage = async () => {
      const path = pick([
        '/api/whoami',
        '/api/projects',
        '/api/projects/p/versions',
        `/api/projects/${encodeURIComponent(String.fromCharCode(...bytes(5)))}/versions`,
        '/api/projects/%E0%A4%A/versions',
        `/api/projects/p/versions?after=${Math.floor(rand() * 1e6) - 5}&limit=${pick(['0', '1', 'x', '99999'])}`,
        '/api/../../etc/passwd',
        '/healthz',
      ]);
      const body = pick([
        undefined,
        '',
        '{',
        'null',
        '[]',
        JSON.stringify({ id: 'p', name: 'x' }),
        JSON.stringify({ id: String.fromCharCode(...bytes(8)), name: 'x' }),
        JSON.stringify({ id: 'v', setId: 'good', version: '1.0.0', content: '{}', contentHash: 'sha256-0' }),
        Buffer.from(bytes(100)).toString('latin1'),
      ]);
      const method = body === undefined ? pick(['GET', 'DELETE', 'PUT']) : 'POST';
      const res = await fetch(`${server.httpUrl}${path}`, {
        method,
        headers: { authorization: pick([`Bearer ${adminToken}`, 'Bearer nope', 'Basic xyz', '']) },
        ...(body === undefined ? {} : { body }),
      });
      httpStatuses.set(res.status, (httpStatuses.get(res.status) ?? 0) + 1);
      expect(res.status, `${method} ${path}`).toBeLessThan(500);
      const text = await res.text();
      expect(() => JSON.parse(text) as unknown, `${method} ${path}: ${text.slice(0, 80)}`).not.toThrow();
    };
    const names = Object.keys(kinds) as (keyof typeof kinds)[];

    let ws: WebSocket | undefined;
    const closedCodes = new Map<number, number>();
    for (let i = 0; i < FUZZ_MESSAGES; i++) {
      if (!ws || ws.readyState !== ws.OPEN) {
        ws = await socket(server.url);
        ws.on('close', (code) => closedCodes.set(code, (closedCodes.get(code) ?? 0) + 1));
        // Half the sockets authenticate first, so the garbage reaches the document handlers too.
        if (rand() < 0.5) ws.send(authMessage('fuzz', 'rw-fuzzer'));
      }
      ws.send(kinds[pick(names)]());
      if (i % 5 === 4) await httpGarbage();
      if (i % 20 === 19) await check(i);
    }
    await check(FUZZ_MESSAGES);
    const health = await fetch(`${server.httpUrl}/healthz`);
    expect(health.status, `seed ${seed}, closes ${JSON.stringify([...closedCodes])}`).toBe(200);
    expect([...httpStatuses.keys()].every((status) => status < 500)).toBe(true);
    expect(
      (await fetch(`${server.httpUrl}/api/whoami`, { headers: { authorization: `Bearer ${adminToken}` } })).status,
    ).toBe(200);
  });
});
