import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeUpdate, encodeUpdate } from '../../shared/contract/base64';
import type { AnvilApi, StudioEvent, StudioEvents } from '../../shared/contract/contract';
import { promptMap } from '../../shared/doc';
import { AnvilError } from '../../shared/domain';
import { createStudioHost } from './host';
import type { StudioHost } from './types';

/** A renderer connected through the transport under test. */
export interface ConnectedRenderer {
  api: AnvilApi;
  /** Close this renderer's connection (a window closed, a tab gone). */
  close(): Promise<void>;
}

/** A transport serving one host: both the IPC and the WebSocket transports are driven through this. */
export interface TransportUnderTest {
  connect(): Promise<ConnectedRenderer>;
  /** Stop serving (the host stays open: the suite closes it). */
  close(): Promise<void>;
}

export type TransportFactory = (host: StudioHost) => Promise<TransportUnderTest>;

/** Resolve with the next `event` whose payload passes `test`, or reject after `ms`. */
export function nextEvent<E extends StudioEvent>(
  api: AnvilApi,
  event: E,
  test: (payload: StudioEvents[E]) => boolean = () => true,
  ms = 5000,
): Promise<StudioEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} event within ${ms} ms`));
    }, ms);
    const off = api.on(event, (payload) => {
      if (!test(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** A renderer's replica of a document, as the editor keeps it: remote updates in, its own edits out. */
export async function openReplica(api: AnvilApi, docId: string) {
  const doc = new Y.Doc();
  const received: Uint8Array[] = [];
  api.on('docs:update', (p) => {
    if (p.docId !== docId) return;
    received.push(decodeUpdate(p.update));
    Y.applyUpdate(doc, decodeUpdate(p.update), 'main');
  });
  const state = await api.invoke('docs:open', { docId });
  Y.applyUpdate(doc, decodeUpdate(state.update), 'main');
  /** Make a local edit and send it to main; resolves when main acknowledged it durable. */
  const edit = (fn: (doc: Y.Doc) => void): Promise<void> => {
    const updates: Uint8Array[] = [];
    const collect = (u: Uint8Array, origin: unknown) => {
      if (origin !== 'main') updates.push(u);
    };
    doc.on('update', collect);
    doc.transact(() => fn(doc), 'renderer');
    doc.off('update', collect);
    return api.invoke('docs:apply', { docId, update: encodeUpdate(Y.mergeUpdates(updates)) });
  };
  return { doc, received, edit };
}

const templateOf = (doc: Y.Doc, promptId: string): Y.Text => promptMap(doc, promptId)?.get('template') as Y.Text;

/**
 * The contract, end to end through a transport: the renderer's `createApi` on one side, a real `StudioHost`
 * on a temporary workspace on the other. Run once per transport, so both behave the same.
 */
export function runContractSuite(name: string, factory: TransportFactory): void {
  describe(`studio contract over ${name}`, () => {
    let dataDir: string;
    let host: StudioHost;
    let transport: TransportUnderTest;
    const open: ConnectedRenderer[] = [];

    const start = async () => {
      host = await createStudioHost({ dataDir, mode: 'web', actor: 'tester', seed: false, maxDelayMs: 5 });
      transport = await factory(host);
    };
    const stop = async () => {
      for (const r of open.splice(0)) await r.close();
      await transport.close();
      await host.close();
    };
    const renderer = async () => {
      const r = await transport.connect();
      open.push(r);
      return r.api;
    };
    /** A project, a set and a text prompt to work on. */
    const fixture = async (api: AnvilApi) => {
      const project = await api.invoke('projects:create', { name: 'acme' });
      const set = await api.invoke('sets:create', { projectId: project.id, name: 'support' });
      const prompt = await api.invoke('prompts:create', {
        setId: set.id,
        name: 'greet',
        kind: 'text',
        template: 'Hello {{ name }}',
      });
      return { project, set, prompt };
    };

    beforeEach(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'anvil-contract-'));
      await start();
    });
    afterEach(async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('round-trips operations and their results', async () => {
      const api = await renderer();
      const { project, set, prompt } = await fixture(api);
      expect(await api.invoke('projects:get', { projectId: project.id })).toMatchObject({ name: 'acme' });
      expect(await api.invoke('sets:list', { projectId: project.id })).toEqual([
        expect.objectContaining({ id: set.id, promptCount: 1 }),
      ]);
      await api.invoke('prompts:setTemplate', { setId: set.id, promptId: prompt.id, text: 'Hi {{ name }}' });
      const content = await api.invoke('sets:content', { setId: set.id });
      expect(content.prompts[0]).toMatchObject({ name: 'greet', kind: 'text', template: 'Hi {{ name }}' });
      expect(await api.invoke('prompts:delete', { setId: set.id, promptId: prompt.id })).toBeNull();
      await api.invoke('settings:set', { key: 'theme', value: { dark: true } });
      expect(await api.invoke('settings:get', { key: 'theme' })).toEqual({ dark: true });
      const info = await api.invoke('app:info', {});
      expect(info).toMatchObject({ name: 'Anvil', mode: 'web', dataDir, actor: 'tester' });
    });

    it('answers the studio operations: overview, catalog, duplicate, reorder', async () => {
      const api = await renderer();
      const { set, prompt } = await fixture(api);
      const copy = await api.invoke('prompts:duplicate', { setId: set.id, promptId: prompt.id });
      expect(copy).toMatchObject({ name: 'greet-copy', template: 'Hello {{ name }}' });
      expect(copy.id).not.toBe(prompt.id);
      await api.invoke('prompts:reorder', { setId: set.id, promptIds: [copy.id, prompt.id] });
      const overview = await api.invoke('app:overview', {});
      expect(overview.counts).toEqual({ projects: 1, sets: 1, prompts: 2, versions: 0, trashed: 0 });
      expect(overview.recent.map((r) => r.promptName).sort()).toEqual(['greet', 'greet-copy']);
      const catalog = await api.invoke('app:catalog', {});
      expect(catalog.map((c) => `${c.kind}:${c.name}`)).toEqual([
        'project:acme',
        'set:support',
        'prompt:greet',
        'prompt:greet-copy',
      ]);
    });

    it('rejects with the error code and message; bad arguments and unknown operations are errors too', async () => {
      const api = await renderer();
      const { set } = await fixture(api);
      await expect(api.invoke('sets:create', { projectId: set.projectId, name: 'support' })).rejects.toMatchObject({
        code: 'name_taken',
        message: expect.stringContaining('support'),
      });
      await expect(api.invoke('projects:create', { name: 'Bad Name' })).rejects.toMatchObject({
        code: 'invalid_name',
      });
      const invalid = api.invoke('projects:get', { projectId: 42 } as never);
      await expect(invalid).rejects.toBeInstanceOf(AnvilError);
      await expect(invalid).rejects.toMatchObject({ code: 'invalid_argument' });
      await expect(api.invoke('nope:nope' as never, {} as never)).rejects.toMatchObject({
        code: 'unknown_operation',
      });
      await expect(api.invoke('docs:open', { docId: 'missing' })).rejects.toMatchObject({ code: 'doc_not_found' });
      const garbage = encodeUpdate(new Uint8Array([255, 255, 255, 255, 1, 2, 3]));
      await expect(api.invoke('docs:apply', { docId: set.id, update: garbage })).rejects.toMatchObject({
        code: 'invalid_update',
      });
      await expect(api.invoke('docs:apply', { docId: set.id, update: 'not base64!' })).rejects.toMatchObject({
        code: 'invalid_argument',
      });
      // The connection is still good after every failure.
      expect(await api.invoke('projects:list', {})).toHaveLength(1);
    });

    it('keeps line and column of an error across the transport', async () => {
      const stub: StudioHost = {
        connect(send) {
          return {
            id: 'stub',
            receive(message) {
              const { id } = message as { id: number };
              const error = { code: 'template_syntax', message: 'Unclosed tag', line: 3, column: 7, path: 'greet' };
              send({ type: 'reply', id, reply: { ok: false, error } });
            },
            disconnect() {},
          };
        },
        close: async () => {},
      };
      const other = await factory(stub);
      const r = await other.connect();
      try {
        await expect(r.api.invoke('projects:list', {})).rejects.toMatchObject({
          code: 'template_syntax',
          message: 'Unclosed tag',
          line: 3,
          column: 7,
          path: 'greet',
        });
      } finally {
        await r.close();
        await other.close();
      }
    });

    it('sends store:changed after each committed group', async () => {
      const api = await renderer();
      const changed = nextEvent(api, 'store:changed');
      const project = await api.invoke('projects:create', { name: 'evented' });
      expect((await changed).docIds).toContain(project.id);
    });

    it("relays a renderer's update to the other renderers, never back to it; operation edits reach all", async () => {
      const a = await renderer();
      const b = await renderer();
      const { set, prompt } = await fixture(a);
      const ra = await openReplica(a, set.id);
      const rb = await openReplica(b, set.id);
      expect(templateOf(rb.doc, prompt.id).toString()).toBe('Hello {{ name }}');

      const reachedB = nextEvent(b, 'docs:update');
      await ra.edit((doc) => templateOf(doc, prompt.id).insert(0, 'A: '));
      await reachedB;
      expect(templateOf(rb.doc, prompt.id).toString()).toBe('A: Hello {{ name }}');

      // An operation's edit reaches both; messages are ordered, so an echo to A would have come first.
      const bothA = nextEvent(a, 'docs:update');
      const bothB = nextEvent(b, 'docs:update', () => true);
      await b.invoke('prompts:editTemplate', {
        setId: set.id,
        promptId: prompt.id,
        index: 0,
        deleteCount: 0,
        insert: 'op ',
      });
      await Promise.all([bothA, bothB]);
      expect(ra.received).toHaveLength(1);
      expect(templateOf(ra.doc, prompt.id).toString()).toBe('op A: Hello {{ name }}');
      expect(templateOf(rb.doc, prompt.id).toString()).toBe('op A: Hello {{ name }}');
      expect((await a.invoke('sets:content', { setId: set.id })).prompts[0]).toMatchObject({
        template: 'op A: Hello {{ name }}',
      });

      // Typing in a replica is audited as the actor's edit, like any local change.
      const audit = await a.invoke('audit:list', { entityId: prompt.id });
      expect(audit.map((e) => e.action)).toContain('edit');

      // After docs:close, B hears nothing more of the document.
      await b.invoke('docs:close', { docId: set.id });
      const before = rb.received.length;
      const reachedA = nextEvent(a, 'docs:update');
      await b.invoke('prompts:setTemplate', { setId: set.id, promptId: prompt.id, text: 'closed' });
      await reachedA;
      await b.invoke('projects:list', {});
      expect(rb.received).toHaveLength(before);
    });

    it('a closed renderer stops receiving; the others carry on', async () => {
      const a = await renderer();
      const b = await renderer();
      const { set, prompt } = await fixture(a);
      await openReplica(a, set.id);
      const rb = await openReplica(b, set.id);
      const gone = open.shift();
      await gone?.close();
      const reached = nextEvent(b, 'docs:update');
      await b.invoke('prompts:setTemplate', { setId: set.id, promptId: prompt.id, text: 'still here' });
      await reached;
      expect(templateOf(rb.doc, prompt.id).toString()).toBe('still here');
    });

    it('makes docs:apply durable before it resolves (the workspace reopened shows it)', async () => {
      const api = await renderer();
      const { set, prompt } = await fixture(api);
      const replica = await openReplica(api, set.id);
      await replica.edit((doc) => templateOf(doc, prompt.id).insert(0, 'Durable: '));
      await stop();
      await start();
      const again = await renderer();
      const content = await again.invoke('sets:content', { setId: set.id });
      expect(content.prompts[0]).toMatchObject({ template: 'Durable: Hello {{ name }}' });
    });
  });
}
