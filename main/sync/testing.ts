// Helpers for the sync engine's tests: real `anvil serve` processes (sync-server/server/main.ts, started by
// path: main/ never imports the server's code) and studios (workspace + engine) in temp folders.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { connect as connectTcp, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { ORIGIN, templateText } from '../../shared/doc';
import type { SyncNotice } from '../../shared/sync/status';
import { AwarenessHub } from '../studio/awareness';
import type { Workspace } from '../store/workspace';
import { openWorkspace, workspaceFile } from '../store/workspace';
import type { SyncEngine, SyncTiming } from './engine';
import { createSyncEngine } from './engine';
import { memorySecretStore } from './memory-secrets';
import { createPendingTracker } from './pending';
import { createVersionSync } from './versions-sync';
import type { SecretStore } from './types';

const MAIN = fileURLToPath(new URL('../../sync-server/server/main.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../../client/cli/anvil.ts', import.meta.url));

export const FAST: Partial<SyncTiming> = {
  delay: 100,
  minDelay: 50,
  maxDelay: 400,
  statusMs: 20,
  refreshMs: 1_000,
  keepaliveMs: 2_000,
  httpTimeoutMs: 2_000,
};

export function tempDir(dirs: string[], prefix = 'anvil-sync-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

export function removeDirs(dirs: string[]): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  proc: ChildProcess;
  port: number;
  url: string;
  /** The admin token printed on the data folder's first start, else null. */
  adminToken: string | null;
  stderr(): string;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (clean close), resolved once the process is gone. */
  stop(): Promise<void>;
}

/** `anvil serve --port port --data dataDir`, resolved once it listens. */
export function startServer(dataDir: string, port: number): Promise<ServerProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', String(port), '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout?.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /listening on (ws:\/\/\S+)/.exec(out);
      if (!m) return;
      const lines = out.split('\n');
      const i = lines.findIndex((l) => l.startsWith('Created the server admin account'));
      resolve({
        proc,
        port,
        url: m[1] as string,
        adminToken: i >= 0 ? (lines[i + 1]?.trim() ?? null) : null,
        stderr: () => stderr,
        kill: () => end('SIGKILL'),
        stop: () => end('SIGTERM'),
      });
    });
    proc.once('exit', (code) => reject(new Error(`the sync server exited ${code}: ${stderr}`)));
  });
}

/** `anvil …` against a server data folder; resolves with stdout (throws on a non-zero exit). */
export function anvil(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`anvil ${args[0]} exited ${code}: ${err}`)),
    );
  });
}

export interface Studio {
  dir: string;
  ws: Workspace;
  engine: SyncEngine;
  awareness: AwarenessHub;
  secrets: SecretStore;
  notices: SyncNotice[];
  errors: string[];
  close(): Promise<void>;
}

/** A studio on `dir` (workspace + sync engine, as the host builds them), with fast timing. */
export async function openStudio(
  dir: string,
  options: { secrets?: SecretStore; protocol?: number; timing?: Partial<SyncTiming>; versions?: boolean } = {},
): Promise<Studio> {
  mkdirSync(dir, { recursive: true });
  const pending = createPendingTracker();
  const errors: string[] = [];
  const ws = await openWorkspace({
    file: workspaceFile(dir),
    actor: 'tester',
    maxDelayMs: 5,
    projectors: [pending.projector],
    onError: (e) => errors.push(e.message),
  });
  const awareness = new AwarenessHub();
  const secrets = options.secrets ?? memorySecretStore();
  // Version sync as the host wires it, when a test is about versions (the others keep to documents).
  const versions = options.versions ? createVersionSync({ ws }) : null;
  const engine = await createSyncEngine({
    ws,
    awareness,
    secrets,
    pending,
    ...(versions ? { versions } : {}),
    timing: { ...FAST, ...options.timing },
    ...(options.protocol !== undefined ? { protocol: options.protocol } : {}),
    onError: (e) => errors.push(e.message),
  });
  const notices: SyncNotice[] = [];
  engine.onNotice((n) => notices.push(n));
  return {
    dir,
    ws,
    engine,
    awareness,
    secrets,
    notices,
    errors,
    async close() {
      await engine.close();
      versions?.close();
      awareness.close();
      await ws.close();
    },
  };
}

/**
 * Copy a closed studio's workspace to a new folder as another machine would have it: same documents and ids,
 * but its own sync id (a copied folder is a different studio).
 */
export function copyWorkspace(fromDir: string, toDir: string): void {
  mkdirSync(toDir, { recursive: true });
  copyFileSync(workspaceFile(fromDir), workspaceFile(toDir));
  const db = new Database(workspaceFile(toDir));
  db.prepare("DELETE FROM sync_state WHERE key = 'studioId'").run();
  db.close();
}

/** A project with one set holding one text prompt: the ids. */
export async function makePrompt(
  ws: Workspace,
  names = { project: 'team', set: 'support', prompt: 'greet' },
  template = '',
): Promise<{ projectId: string; setId: string; promptId: string }> {
  const project = await ws.projects.create({ name: names.project });
  const set = await ws.sets.create({ projectId: project.id, name: names.set });
  const prompt = await ws.prompts.create({ setId: set.id, name: names.prompt, kind: 'text', template });
  return { projectId: project.id, setId: set.id, promptId: prompt.id };
}

/** Type `text` at `index` (clamped) of the prompt's template, as a local edit; resolves once durable. */
export function typeAt(ws: Workspace, setId: string, promptId: string, index: number, text: string): Promise<void> {
  return ws.internals.docs.transact(
    setId,
    (doc) => {
      const t = templateText(doc, promptId);
      t.insert(Math.min(Math.max(0, index), t.length), text);
    },
    ORIGIN.local,
  );
}

export function templateOf(ws: Workspace, setId: string, promptId: string): string {
  const doc = ws.internals.docs.get(setId);
  return doc ? templateText(doc, promptId).toString() : '';
}

export function stateVector(ws: Workspace, docId: string): string {
  const doc = ws.internals.docs.get(docId);
  if (!doc) return '';
  return JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(doc))].sort((a, b) => a[0] - b[0]));
}

/** Polls `check` until true, or fails after `ms` naming `what` (and what `detail` says then). */
export async function until(what: string, check: () => boolean, ms = 8_000, detail?: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${detail ? `: ${detail()}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `until` for a check that has to ask the store (projections land a group commit after the document). */
export async function untilAsync(what: string, check: () => Promise<boolean>, ms = 8_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface NetworkLink {
  /** ws://127.0.0.1:<port>: the server as seen through this link. */
  url: string;
  /** The network goes away: open connections are reset, new ones are dropped at once. */
  cut(): void;
  /** The network is back. */
  restore(): void;
  close(): Promise<void>;
}

/**
 * A TCP relay to `127.0.0.1:targetPort` that a test can cut and restore: a studio behind it goes offline the way
 * a laptop does (connections reset, nothing answers), with its engine and the server none the wiser.
 */
export function networkLink(targetPort: number): Promise<NetworkLink> {
  const open = new Set<Socket>();
  let up = true;
  const server = createServer((inbound) => {
    if (!up) return void inbound.destroy();
    const outbound = connectTcp(targetPort, '127.0.0.1');
    open.add(inbound);
    open.add(outbound);
    const drop = () => {
      inbound.destroy();
      outbound.destroy();
      open.delete(inbound);
      open.delete(outbound);
    };
    inbound.on('error', drop).on('close', drop);
    outbound.on('error', drop).on('close', drop);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `ws://127.0.0.1:${port}`,
        cut() {
          up = false;
          for (const s of open) s.resetAndDestroy();
          open.clear();
        },
        restore() {
          up = true;
        },
        close() {
          for (const s of open) s.destroy();
          return new Promise((done) => server.close(() => done()));
        },
      });
    });
  });
}
