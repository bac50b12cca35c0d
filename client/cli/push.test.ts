import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { PromptSetContent } from '../../shared/domain';
import { canonicalJson, contentHash } from '../../shared/domain/hash';
import { REGISTRY_PATHS } from '../../shared/registry/api';
import type { ProposedVersion } from '../../shared/sync/api';
import { API_PATHS } from '../../shared/sync/api';

const CLI = fileURLToPath(new URL('./anvil.ts', import.meta.url));
let data = '';
let serve: ChildProcess | undefined;
let url = '';
let token = '';

/** `anvil …` with an environment; resolves with the exit code and both streams. */
function anvil(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err: err.replace(/^npm warn.*\n/gm, '') }));
  });
}

const http = () => url.replace(/^ws/, 'http');
async function call(method: string, path: string, body?: unknown): Promise<number> {
  const res = await fetch(`${http()}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await res.arrayBuffer();
  return res.status;
}

function content(template: string, description = 'Support'): PromptSetContent {
  return {
    id: 'set-a',
    projectId: 'p1',
    name: 'support',
    description,
    dependencies: {},
    prompts: [
      { id: 'p-1', name: 'greet', description: '', kind: 'text', template, parameters: [], model: null, metadata: {} },
    ],
  };
}

/** Saves a version as the studio's version sync does: the server accepts it as a team version. */
async function teamVersion(version: string, c: PromptSetContent): Promise<void> {
  const proposal: ProposedVersion = {
    id: `v-${version.replace(/\./g, '_')}`,
    setId: c.id,
    version,
    changelog: '',
    author: 'admin',
    createdAt: '2026-11-25T10:00:00.000Z',
    contentHash: await contentHash(c),
    changeClass: 'minor',
    override: null,
    content: canonicalJson(c),
  };
  expect(await call('POST', API_PATHS.versions('p1'), proposal)).toBe(201);
}

/** The set's document must be on the server before its versions: one stock provider syncs it. */
async function syncSetDocument(): Promise<void> {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: 'p1/set-a', document: doc, token });
  provider.attach();
  try {
    await until('the set document to sync', () => provider.isSynced);
    // An edit once synced: the server acknowledges it after storing it.
    doc.getMap('set').set('name', 'support');
    await until('the edit to be stored', () => !provider.hasUnsyncedChanges);
  } finally {
    provider.destroy();
    socket.destroy();
  }
}

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'anvil-cli-push-'));
  serve = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--port', '0', '--data', data]);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`anvil serve did not start: ${out}`)), 20_000);
    serve?.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (ws:\/\/\S+)/.exec(out);
      if (!m) return;
      const lines = out.split('\n');
      token = lines[lines.findIndex((l) => l.startsWith('Created the server admin account')) + 1] ?? '';
      url = m[1] as string;
      clearTimeout(timer);
      resolve();
    });
  });
  expect(await call('POST', API_PATHS.projects, { id: 'p1', name: 'acme' })).toBe(201);
  await syncSetDocument();
}, 40_000);

afterAll(async () => {
  if (serve && serve.exitCode === null) {
    const exited = new Promise((r) => serve?.once('exit', r));
    serve.kill('SIGTERM');
    await exited;
  }
  rmSync(data, { recursive: true, force: true });
});

const push = (version: string, env: Record<string, string> = { ANVIL_TOKEN: token }) =>
  anvil(['push', '--server', url, '--project', 'p1', '--set', 'set-a', '--version', version], env);

describe('anvil push against anvil serve', () => {
  it('publishes, refuses a republish (409) and a broken template (422, each problem on a line), opens a review', async () => {
    await teamVersion('1.0.0', content('Hello {{ name }}'));
    const published = await push('1.0.0');
    expect(published.err).toBe('');
    expect(published.code).toBe(0);
    expect(published.out).toContain('published @acme/support@1.0.0');
    expect(published.out).toMatch(/^integrity sha512-[A-Za-z0-9+/]+=*$/m);

    const again = await push('1.0.0');
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/1\.0\.0/);
    expect(again.err).toContain('409 version_published');

    await teamVersion('1.1.0', content('Hello {% if name %}', 'broken'));
    const refused = await push('1.1.0');
    expect(refused.code).toBe(2);
    const lines = refused.err.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.slice(1).some((l) => /template_error: .*\(prompt greet, line 1/.test(l))).toBe(true);

    expect(await call('PUT', REGISTRY_PATHS.editMode('p1'), { editMode: 'review' })).toBe(200);
    await teamVersion('1.2.0', content('Hello {{ name }}, welcome', 'reviewed'));
    const review = await push('1.2.0');
    expect(review.code).toBe(0);
    expect(review.out).toMatch(/^review opened: \S+$/m);

    const noToken = await push('1.2.0', { ANVIL_TOKEN: '' });
    expect(noToken.code).toBe(2);
    expect(noToken.err).toContain('no token');
    const badToken = await anvil([
      'push',
      '--server',
      url,
      '--token',
      'nope',
      '--project',
      'p1',
      '--set',
      'set-a',
      '--version',
      '1.2.0',
    ]);
    expect(badToken.code).toBe(2);
    expect(badToken.err).toContain('401 unauthorized');
  }, 60_000);
});
