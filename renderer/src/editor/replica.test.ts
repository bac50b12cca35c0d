import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AnvilApi, StudioEvents } from '../../../shared/contract';
import { decodeUpdate, encodeUpdate } from '../../../shared/contract';
import { createSetDoc, templateText } from '../../../shared/doc';
import { Replica } from './replica';

/** A fake main process: holds the canonical doc, answers docs:* and can push docs:update events. */
function fakeMain() {
  const canonical = createSetDoc({
    id: 'set1',
    projectId: 'p1',
    name: 'greetings',
    description: '',
    dependencies: {},
    prompts: [
      {
        id: 'pr1',
        name: 'hello',
        description: '',
        kind: 'text',
        template: 'Hello {{ name }}',
        parameters: [],
        model: null,
        metadata: {},
      },
    ],
  });
  const listeners = new Set<(p: StudioEvents['docs:update']) => void>();
  const calls: string[] = [];
  let failApply = false;
  const api = {
    async invoke(op: string, args: { docId: string; update?: string }) {
      calls.push(op);
      if (op === 'docs:open') return { docId: args.docId, update: encodeUpdate(Y.encodeStateAsUpdate(canonical)) };
      if (op === 'docs:apply') {
        if (failApply) throw new Error('disk full');
        Y.applyUpdate(canonical, decodeUpdate(args.update ?? ''), 'client');
        return undefined;
      }
      return undefined;
    },
    on(event: string, listener: (p: StudioEvents['docs:update']) => void) {
      if (event === 'docs:update') listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as AnvilApi;
  canonical.on('update', (u: Uint8Array, origin: unknown) => {
    if (origin === 'client') return;
    for (const l of listeners) l({ docId: 'set1', update: encodeUpdate(u) });
  });
  return {
    api,
    canonical,
    calls,
    listeners,
    setFail: (v: boolean) => (failApply = v),
  };
}

describe('Replica', () => {
  it('opens with the main process state', async () => {
    const main = fakeMain();
    const r = await Replica.open(main.api, 'set1');
    expect(templateText(r.doc, 'pr1').toString()).toBe('Hello {{ name }}');
    await r.close();
  });

  it('local edits reach the main process in one batch; remote edits are applied and not echoed', async () => {
    const main = fakeMain();
    const r = await Replica.open(main.api, 'set1', () => {}, { delayMs: 5 });
    const text = templateText(r.doc, 'pr1');
    for (const ch of '!!!') text.insert(text.length, ch);
    await r.flush();
    expect(templateText(main.canonical, 'pr1').toString()).toBe('Hello {{ name }}!!!');
    expect(main.calls.filter((c) => c === 'docs:apply')).toHaveLength(1);

    templateText(main.canonical, 'pr1').insert(0, '> ');
    expect(text.toString()).toBe('> Hello {{ name }}!!!');
    await new Promise((res) => setTimeout(res, 20));
    expect(main.calls.filter((c) => c === 'docs:apply')).toHaveLength(1);
    await r.close();
  });

  it('close flushes, unsubscribes and calls docs:close', async () => {
    const main = fakeMain();
    const r = await Replica.open(main.api, 'set1', () => {}, { delayMs: 1000 });
    templateText(r.doc, 'pr1').insert(0, 'x');
    await r.close();
    expect(templateText(main.canonical, 'pr1').toString()).toBe('xHello {{ name }}');
    expect(main.calls.at(-1)).toBe('docs:close');
    expect(main.listeners.size).toBe(0);
  });

  it('shows an error status when applying fails, and catches up once it works', async () => {
    const main = fakeMain();
    const states: string[] = [];
    const r = await Replica.open(main.api, 'set1', (s) => states.push(s.state), { delayMs: 1 });
    main.setFail(true);
    templateText(r.doc, 'pr1').insert(0, 'x');
    await new Promise((res) => setTimeout(res, 20));
    expect(r.status.state).toBe('error');
    main.setFail(false);
    await r.flush();
    expect(templateText(main.canonical, 'pr1').toString()).toBe('xHello {{ name }}');
    expect(states).toContain('error');
    await r.close();
  });

  it('a failed open is an error, not a half-open replica', async () => {
    const main = fakeMain();
    const api = {
      ...main.api,
      invoke: () => Promise.reject(new Error('no such document')),
    } as unknown as AnvilApi;
    await expect(Replica.open(api, 'nope')).rejects.toThrow('no such document');
  });
});
