// Test helpers: a real sync server process with its registry (`sync-server/server/main.ts`, as `anvil serve`
// runs it) on a temporary data folder, and publishing through its HTTP API as a studio would.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { canonicalJson, contentHash } from '../../shared/domain/hash';
import type { Prompt } from '../../shared/domain/prompt';
import type { PromptSetContent } from '../../shared/domain/prompt-set';
import type { Experiment } from '../../shared/experiments/types';
import { REGISTRY_PATHS } from '../../shared/registry/api';
import type { ExperimentDefinition, ExperimentRecord } from '../../shared/registry/api';
import { API_PATHS } from '../../shared/sync/api';
import { SERVER_MAIN } from '../cli/server';

export interface TestRegistry {
  url: string;
  token: string;
  /** Proposes the content as a team version and publishes it; throws unless published. */
  publish(content: PromptSetContent, version: string): Promise<{ integrity: string }>;
  setTag(name: string, tag: string, version: string): Promise<void>;
  deprecate(name: string, version: string, message: string | null): Promise<void>;
  /** Creates or changes an experiment of a package (`PUT …/experiments/<id>`), as the studio's publish does. */
  putExperiment(name: string, id: string, definition: ExperimentDefinition): Promise<Experiment>;
  /** Stops an experiment with its winner (`POST …/experiments/<id>/stop`). */
  stopExperiment(name: string, id: string, winner: string): Promise<Experiment>;
  /** Kills the server (SIGKILL: as a crash or a network cut looks to the SDK). */
  stop(): Promise<void>;
}

export const PROJECT = { id: 'p1', name: 'acme' };

export async function startRegistry(dataDir: string): Promise<TestRegistry> {
  const proc: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', SERVER_MAIN, '--port', '0', '--data', dataDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  proc.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const { url, token } = await new Promise<{ url: string; token: string }>((resolve, reject) => {
    let out = '';
    proc.stdout?.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /listening on ws:\/\/(\S+)/.exec(out);
      if (!m) return;
      const lines = out.split('\n');
      const i = lines.findIndex((l) => l.startsWith('Created the server admin account'));
      resolve({ url: `http://${m[1]}`, token: lines[i + 1] ?? '' });
    });
    proc.on('exit', (code) => reject(new Error(`the server exited ${code}: ${stderr}`)));
  });
  const call = async (method: string, path: string, body: unknown): Promise<{ status: number; text: string }> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  };
  const registered = await call('POST', API_PATHS.projects, PROJECT);
  if (registered.status !== 201 && registered.status !== 200) throw new Error(`register: ${registered.text}`);
  const synced = new Set<string>();
  let n = 0;
  return {
    url,
    token,
    async publish(content, version) {
      const doc = `${content.projectId}/${content.id}`;
      if (!synced.has(doc)) {
        await syncDocument(url.replace(/^http/, 'ws'), doc, token);
        synced.add(doc);
      }
      const proposed = await call('POST', API_PATHS.versions(content.projectId), {
        id: `tv-${++n}-${content.name}`,
        setId: content.id,
        version,
        changelog: `version ${version}`,
        author: 'admin',
        createdAt: '2026-11-25T10:00:00.000Z',
        contentHash: await contentHash(content),
        changeClass: 'minor',
        override: 'tests publish freely',
        content: canonicalJson(content),
      });
      if (proposed.status !== 201) throw new Error(`propose ${version}: ${proposed.status} ${proposed.text}`);
      const r = await call('POST', REGISTRY_PATHS.publish, {
        projectId: content.projectId,
        setId: content.id,
        version,
      });
      if (r.status !== 201) throw new Error(`publish ${content.name}@${version}: ${r.status} ${r.text}`);
      return { integrity: (JSON.parse(r.text) as { integrity: string }).integrity };
    },
    async setTag(name, tag, version) {
      const r = await call('PUT', REGISTRY_PATHS.distTag(name, tag), { version });
      if (r.status !== 200) throw new Error(`tag: ${r.status} ${r.text}`);
    },
    async deprecate(name, version, message) {
      const r = await call('POST', REGISTRY_PATHS.deprecate(name), { version, message });
      if (r.status !== 200) throw new Error(`deprecate: ${r.status} ${r.text}`);
    },
    async putExperiment(name, id, definition) {
      const r = await call('PUT', REGISTRY_PATHS.experiment(name, id), definition);
      if (r.status !== 200 && r.status !== 201) throw new Error(`experiment: ${r.status} ${r.text}`);
      return (JSON.parse(r.text) as ExperimentRecord).experiment;
    },
    async stopExperiment(name, id, winner) {
      const r = await call('POST', REGISTRY_PATHS.stopExperiment(name, id), { winner });
      if (r.status !== 200) throw new Error(`stop experiment: ${r.status} ${r.text}`);
      return (JSON.parse(r.text) as ExperimentRecord).experiment;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      }),
  };
}

/** The server accepts versions only of sets it holds: one edit of the set's document, as a studio's sync makes. */
async function syncDocument(wsUrl: string, name: string, token: string): Promise<void> {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({ url: wsUrl, WebSocketPolyfill: WebSocket });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: doc, token });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`syncing ${name} timed out`)), 10_000);
      provider.on('synced', () => {
        doc.getText('t').insert(0, 'x');
        const check = setInterval(() => {
          if (provider.hasUnsyncedChanges) return;
          clearInterval(check);
          clearTimeout(timer);
          resolve();
        }, 10);
      });
      provider.attach();
    });
  } finally {
    provider.destroy();
    socket.destroy();
  }
}

const text = (id: string, name: string, template: string, parameters: Prompt['parameters'] = []): Prompt => ({
  id,
  name,
  description: '',
  kind: 'text',
  template,
  parameters,
  model: null,
  metadata: {},
});

/** `@acme/common`: `signature`, whose text carries a marker so tests see which version rendered. */
export function commonSet(marker = 'v1'): PromptSetContent {
  return {
    id: 'set-common',
    projectId: PROJECT.id,
    name: 'common',
    description: 'Shared bits',
    dependencies: {},
    prompts: [text('p-sig', 'signature', `-- The Acme team (${marker})`)],
  };
}

/** `@acme/support`: `greet` renders `@acme/common/signature`; `triage` is a chat prompt with a history. */
export function supportSet(marker = 'v1', commonRange = '^1.0.0'): PromptSetContent {
  return {
    id: 'set-support',
    projectId: PROJECT.id,
    name: 'support',
    description: 'Support prompts',
    dependencies: { '@acme/common': commonRange },
    prompts: [
      text('p-greet', 'greet', `Hello {{ customer }} (${marker})\n{% render '@acme/common/signature' %}`, [
        { name: 'customer', type: { type: 'string' }, required: true, description: 'Who' },
      ]),
      {
        id: 'p-triage',
        name: 'triage',
        description: '',
        kind: 'chat',
        messages: [
          { type: 'message', role: 'system', content: 'Sort tickets.' },
          { type: 'history', name: 'conversation' },
          { type: 'message', role: 'user', content: '{{ ticket }}' },
        ],
        parameters: [{ name: 'ticket', type: { type: 'string' }, required: true, description: '' }],
        model: { provider: 'openai', model: 'gpt-4o' },
        metadata: {},
      },
    ],
  };
}
