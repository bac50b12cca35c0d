// Test helpers for usage analytics: a locked SDK over a bundle written straight into its disk cache (no server
// process), and a `node:http` receiver that answers `POST /api/usage/events` as the spec says, records what it
// got, and can refuse connections (down) or answer 503 on demand.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contentHash } from '../../../shared/domain/hash';
import type { PromptSetContent } from '../../../shared/domain/prompt-set';
import { buildBundle } from '../../../shared/registry/bundle';
import type { Lockfile } from '../../../shared/registry/lockfile';
import type { UsageBatch, UsageBatchResult, UsageEvent } from '../../../shared/usage/types';
import { USAGE_PATHS } from '../../../shared/usage/types';
import { openDiskCache } from '../disk-cache';

/** `@acme/support`: `greet` (text, openai/gpt-4o), `triage` (chat, anthropic/claude-sonnet-4), `plain` (no model). */
export const SUPPORT: PromptSetContent = {
  id: 'set-support',
  projectId: 'p1',
  name: 'support',
  description: '',
  dependencies: {},
  prompts: [
    {
      id: 'p-greet',
      name: 'greet',
      description: '',
      kind: 'text',
      template: 'Hello {{ customer }}, thank you for writing to Acme support today.',
      parameters: [{ name: 'customer', type: { type: 'string' }, required: true, description: '' }],
      model: { provider: 'openai', model: 'gpt-4o' },
      metadata: {},
    },
    {
      id: 'p-triage',
      name: 'triage',
      description: '',
      kind: 'chat',
      messages: [
        { type: 'message', role: 'system', content: 'Sort tickets by urgency.' },
        { type: 'message', role: 'user', content: '{{ ticket }}' },
      ],
      parameters: [{ name: 'ticket', type: { type: 'string' }, required: true, description: '' }],
      model: { provider: 'anthropic', model: 'claude-sonnet-4' },
      metadata: {},
    },
    {
      id: 'p-plain',
      name: 'plain',
      description: '',
      kind: 'text',
      template: 'No model here.',
      parameters: [],
      model: null,
      metadata: {},
    },
  ],
};

/** Writes `@acme/support@1.0.0` into `cacheDir` and returns the lock file that pins it. */
export async function seedCache(cacheDir: string): Promise<Lockfile> {
  const bundle = await buildBundle({
    content: SUPPORT,
    projectName: 'acme',
    version: '1.0.0',
    author: 'test',
    createdAt: '2026-01-01T00:00:00.000Z',
    changelog: '',
    changeClass: 'minor',
    override: null,
    contentHash: await contentHash(SUPPORT),
  });
  await openDiskCache(cacheDir).writeBundle(bundle);
  return {
    lockfileVersion: 1,
    dependencies: { '@acme/support': '^1.0.0' },
    sets: { '@acme/support': { version: '1.0.0', integrity: bundle.integrity, ranges: ['^1.0.0'], dependencies: {} } },
  };
}

export interface Receiver {
  url: string;
  batches: UsageBatch[];
  headers: IncomingHttpHeaders[];
  /** Every event received, in order (a duplicate appears twice). */
  events(): UsageEvent[];
  /** Ids received more than once. */
  duplicates(): string[];
  /** Answer this status to usage posts (200 by default). */
  status: number;
  /** Stops listening and cuts open connections: the SDK gets ECONNREFUSED. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const batches: UsageBatch[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const seen = new Map<string, number>();
  let server: Server;
  let port = 0;
  const r: Receiver = {
    url: '',
    batches,
    headers,
    status: 200,
    events: () => batches.flatMap((b) => b.events),
    duplicates: () => [...seen].filter(([, n]) => n > 1).map(([id]) => id),
    async down() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    async up() {
      await listen();
    },
    close: () => r.down(),
  };
  const listen = (): Promise<void> => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const json = (status: number, value: unknown): void => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(value));
        };
        if (req.method !== 'POST' || req.url !== USAGE_PATHS.events)
          return json(404, { error: { code: 'not_found', message: `no route ${req.method} ${req.url}` } });
        if (r.status !== 200) return json(r.status, { error: { code: 'unavailable', message: 'try later' } });
        const batch = JSON.parse(body) as UsageBatch;
        batches.push(batch);
        headers.push(req.headers);
        let duplicates = 0;
        for (const e of batch.events) {
          const n = (seen.get(e.id) ?? 0) + 1;
          seen.set(e.id, n);
          if (n > 1) duplicates++;
        }
        const result: UsageBatchResult = { accepted: batch.events.length - duplicates, duplicates, rejected: [] };
        json(200, result);
      });
    });
    return new Promise((resolve) => {
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        r.url = `http://127.0.0.1:${port}`;
        resolve();
      });
    });
  };
  await listen();
  return r;
}

/** Polls `probe` until it returns true (every 10 ms, up to `ms`). */
export async function until(what: string, probe: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
