import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../shared/contract/contract';
import { SEEDED_KEY, createStudioHost } from './host';
import type { StudioClient, StudioHost } from './types';

/** A client whose replies the test can await by id. */
function connectRecorder(host: StudioHost) {
  const messages: ServerMessage[] = [];
  const waiting = new Map<number, (m: ServerMessage) => void>();
  const client: StudioClient = host.connect((m) => {
    messages.push(m);
    if (m.type === 'reply') waiting.get(m.id)?.(m);
  });
  let nextId = 1;
  const call = (op: string, args: unknown) =>
    new Promise<ServerMessage>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      client.receive({ type: 'invoke', id, op, args });
    });
  return { client, messages, call };
}

const settle = () => new Promise((r) => setTimeout(r, 30));

describe('createStudioHost', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'anvil-host-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('seeds the demo on first run only: a workspace emptied by its user stays empty', async () => {
    let host = await createStudioHost({ dataDir, mode: 'desktop', actor: 'ada', maxDelayMs: 2 });
    let r = connectRecorder(host);
    const list = await r.call('projects:list', {});
    const projects = list.type === 'reply' && list.reply.ok ? (list.reply.value as { id: string }[]) : [];
    expect(projects.length).toBeGreaterThan(0);
    expect(await r.call('settings:get', { key: SEEDED_KEY })).toMatchObject({ reply: { ok: true, value: true } });
    for (const p of projects) await r.call('projects:delete', { projectId: p.id });
    await host.close();

    // Trashed projects still count as content; remove the seeded flag's reason to exist: nothing live.
    host = await createStudioHost({ dataDir, mode: 'desktop', actor: 'ada', maxDelayMs: 2 });
    r = connectRecorder(host);
    const overview = await r.call('app:overview', {});
    expect(overview).toMatchObject({ reply: { ok: true, value: { counts: { projects: 0 } } } });
    await host.close();
  });

  it('does not seed when told not to', async () => {
    const host = await createStudioHost({ dataDir, mode: 'web', actor: 'ada', seed: false });
    const r = connectRecorder(host);
    expect(await r.call('projects:list', { includeTrashed: true })).toMatchObject({
      reply: { ok: true, value: [] },
    });
    await host.close();
  });

  describe('with a host', () => {
    let host: StudioHost;
    beforeEach(async () => {
      host = await createStudioHost({ dataDir, mode: 'web', actor: 'ada', seed: false, maxDelayMs: 2 });
    });
    afterEach(() => host.close());

    it('drops what is not a call it can answer, and keeps serving', async () => {
      const r = connectRecorder(host);
      for (const bad of [
        null,
        undefined,
        42,
        'invoke',
        [],
        { type: 'invoke' },
        { type: 'invoke', id: '1', op: 'projects:list' },
        { type: 'invoke', id: 1.5, op: 'projects:list' },
        { type: 'reply', id: 1, op: 'projects:list' },
        { type: 'invoke', id: Number.MAX_SAFE_INTEGER + 10, op: 'projects:list' },
      ])
        expect(() => r.client.receive(bad)).not.toThrow();
      await settle();
      expect(r.messages).toEqual([]);
      expect(await r.call('projects:list', {})).toMatchObject({ reply: { ok: true, value: [] } });
    });

    it('answers an unknown operation or bad arguments with an error reply', async () => {
      const r = connectRecorder(host);
      expect(await r.call('constructor', {})).toMatchObject({
        reply: { ok: false, error: { code: 'unknown_operation' } },
      });
      expect(await r.call('__proto__', {})).toMatchObject({
        reply: { ok: false, error: { code: 'unknown_operation' } },
      });
      expect(await r.call('projects:create', null)).toMatchObject({
        reply: { ok: false, error: { code: 'invalid_argument' } },
      });
      expect(await r.call('app:info', { extra: 1 })).toMatchObject({
        reply: { ok: false, error: { code: 'invalid_argument' } },
      });
      expect(await r.call('projects:get', { projectId: 'nope' })).toMatchObject({
        reply: { ok: false, error: { code: 'project_not_found' } },
      });
    });

    it('answers concurrent calls each under its own id', async () => {
      const r = connectRecorder(host);
      const names = Array.from({ length: 20 }, (_, i) => `p${i}`);
      const replies = await Promise.all(names.map((name) => r.call('projects:create', { name })));
      expect(
        replies.map((m) => (m.type === 'reply' && m.reply.ok ? (m.reply.value as { name: string }).name : '')),
      ).toEqual(names);
    });

    it('still answers a reply whose transport cannot carry it', async () => {
      let fail = true;
      const got: ServerMessage[] = [];
      const client = host.connect((m) => {
        if (fail && m.type === 'reply' && m.reply.ok) throw new Error('cannot clone');
        got.push(m);
      });
      client.receive({ type: 'invoke', id: 7, op: 'projects:list', args: {} });
      await settle();
      expect(got).toEqual([
        { type: 'reply', id: 7, reply: { ok: false, error: expect.objectContaining({ code: 'internal' }) } },
      ]);
      fail = false;
    });

    it('sends nothing to a disconnected client, and answers calls after close with an error', async () => {
      const r = connectRecorder(host);
      r.client.disconnect();
      r.client.receive({ type: 'invoke', id: 1, op: 'projects:list', args: {} });
      const other = connectRecorder(host);
      await other.call('projects:create', { name: 'x' });
      await settle();
      expect(r.messages).toEqual([]);
      const late = connectRecorder(host);
      await host.close();
      await host.close();
      late.client.receive({ type: 'invoke', id: 1, op: 'projects:list', args: {} });
      expect(late.messages).toEqual([]);
      const after = host.connect((m) => late.messages.push(m));
      after.receive({ type: 'invoke', id: 2, op: 'projects:list', args: {} });
      expect(late.messages).toEqual([
        { type: 'reply', id: 2, reply: { ok: false, error: expect.objectContaining({ code: 'closed' }) } },
      ]);
    });
  });
});
