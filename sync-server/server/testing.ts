// Helpers for the sync server's tests: stock Hocuspocus providers in Node, raw protocol messages, temp folders.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as encoding from 'lib0/encoding';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { AuthResult } from './create';

/** Tokens the tests' `authenticate` knows: rw-* may write, ro-* may only read. */
/**
 * The provider removes its listeners before closing a socket; `ws` then reports a close during the handshake
 * (a test closing a client while the server is down) as an 'error' nobody hears, an uncaught exception that fails
 * the whole run. Every failure also arrives as 'close', so that late error is dropped (as the studio's
 * GuardedWebSocket does in main/sync/).
 */
class QuietWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    this.on('error', () => undefined);
  }
}

export function testAuthenticate(token: string): AuthResult | null {
  if (token.startsWith('rw-')) return { accountId: token.slice(3), readOnly: false };
  if (token.startsWith('ro-')) return { accountId: token.slice(3), readOnly: true };
  return null;
}

export function tempDir(dirs: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-sync-server-'));
  dirs.push(dir);
  return dir;
}

export function removeDirs(dirs: string[]): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface TestClient {
  provider: HocuspocusProvider;
  doc: Y.Doc;
  text: Y.Text;
  stateless: string[];
  /** Resolves on authenticated + synced; rejects with the refusal reason. */
  ready: Promise<void>;
  close(): void;
}

/** A stock provider (no Anvil code) on `url`, for document `name`, with `token` (null: none). */
export function connect(url: string, name: string, token: string | null): TestClient {
  const doc = new Y.Doc();
  const stateless: string[] = [];
  let resolveReady!: () => void;
  let rejectReady!: (err: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // The rejection is observed by the tests that expect it; others await `ready`.
  ready.catch(() => undefined);
  // Node has no global WebSocket the provider can use everywhere: give it `ws`, as a Node client would.
  const socket = new HocuspocusProviderWebsocket({
    url,
    WebSocketPolyfill: QuietWebSocket,
    delay: 100,
    minDelay: 50,
    maxDelay: 500,
  });
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name,
    document: doc,
    token,
    onSynced: () => resolveReady(),
    onAuthenticationFailed: ({ reason }) => rejectReady(new Error(reason)),
    onStateless: ({ payload }) => stateless.push(payload),
  });
  provider.attach();
  return {
    provider,
    doc,
    text: doc.getText('t'),
    stateless,
    ready,
    close: () => {
      provider.destroy();
      socket.destroy();
    },
  };
}

/** Polls `check` until it returns true, or fails after `ms` naming `what`. */
export async function until(what: string, check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Hocuspocus framing: document name, message type, then the body. */
export function authMessage(name: string, token: string): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, name);
  encoding.writeVarUint(e, 2); // Auth
  encoding.writeVarUint(e, 0); // Token
  encoding.writeVarString(e, token);
  return encoding.toUint8Array(e);
}

export function updateMessage(name: string, update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, name);
  encoding.writeVarUint(e, 0); // Sync
  encoding.writeVarUint(e, 2); // y-protocols update
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** Opens a raw WebSocket; resolves once open. */
export function rawSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

/** Resolves with the close code and reason (or after `ms` with code -1 if it stayed open). */
export function closed(ws: WebSocket, ms = 5_000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve({ code: 0, reason: 'already closed' });
    const timer = setTimeout(() => resolve({ code: -1, reason: 'still open' }), ms);
    ws.on('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}

export interface MainProcess {
  proc: ChildProcess;
  url: string;
  /** The admin token printed on a first start, else null. */
  adminToken: string | null;
  stderr: () => string;
}

/** Starts `main.ts --port 0 --data dataDir` in a child; resolves once it prints its URL. */
export function startMain(mainFile: string, dataDir: string): Promise<MainProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', mainFile, '--port', '0', '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout?.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /listening on (ws:\/\/\S+)/.exec(out);
      if (!m) return;
      const lines = out.split('\n');
      const i = lines.findIndex((l) => l.startsWith('Created the server admin account'));
      resolve({ proc, url: m[1] as string, adminToken: i >= 0 ? (lines[i + 1] ?? null) : null, stderr: () => stderr });
    });
    proc.on('exit', (code) => reject(new Error(`main.ts exited ${code}: ${stderr}`)));
  });
}

/** POST /api/projects on the server at `wsUrl` (documents of unregistered projects are refused). */
export async function registerProject(wsUrl: string, token: string, id: string, name = id): Promise<void> {
  const res = await fetch(`${wsUrl.replace(/^ws/, 'http')}/api/projects`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id, name }),
  });
  if (res.status !== 200 && res.status !== 201) throw new Error(`registering ${id}: ${res.status} ${await res.text()}`);
}
