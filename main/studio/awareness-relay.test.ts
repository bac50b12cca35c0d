import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { describe, expect, it } from 'vitest';
import { decodeUpdate, encodeUpdate } from '../../shared/contract/base64';
import type { ServerMessage } from '../../shared/contract/contract';
import { openWorkspace } from '../store/workspace';
import { AwarenessHub } from './awareness';
import { DocRelay } from './relay';
import type { RelayClient } from './relay';

function recorder(id: string) {
  const messages: ServerMessage[] = [];
  const client: RelayClient = { id, send: (m) => messages.push(m) };
  const awarenessEvents = () =>
    messages.flatMap((m) =>
      m.type === 'event' && m.event === 'docs:awareness' ? [m.payload as { docId: string; update: string }] : [],
    );
  return { client, messages, awarenessEvents };
}

async function setup() {
  const ws = await openWorkspace({ file: ':memory:', actor: 'ada', maxDelayMs: 1 });
  const project = await ws.projects.create({ name: 'p' });
  const set = await ws.sets.create({ projectId: project.id, name: 's' });
  const hub = new AwarenessHub();
  const relay = new DocRelay(ws.internals.docs, hub);
  return { ws, hub, relay, setId: set.id };
}

/** A renderer's own awareness (its own doc, so its own client id), encoded as it would send it. */
function rendererPresence(name: string) {
  const aw = new Awareness(new Y.Doc());
  aw.setLocalState({ user: { name, color: '#336699' } });
  return { aw, update: encodeUpdate(encodeAwarenessUpdate(aw, [aw.clientID])) };
}

describe('DocRelay awareness', () => {
  it("passes one renderer's presence to the others, not back to itself, and removes it when it closes", async () => {
    const { ws, hub, relay, setId } = await setup();
    const a = recorder('a');
    const b = recorder('b');
    relay.open(a.client, setId);
    relay.open(b.client, setId);
    const ada = rendererPresence('ada');
    relay.applyAwareness(a.client, setId, ada.update);
    expect(a.awarenessEvents()).toHaveLength(0);
    expect(b.awarenessEvents()).toHaveLength(1);

    const seenByB = new Awareness(new Y.Doc());
    for (const e of b.awarenessEvents()) applyAwarenessUpdate(seenByB, decodeUpdate(e.update), 'main');
    expect(seenByB.getStates().get(ada.aw.clientID)).toEqual({ user: { name: 'ada', color: '#336699' } });

    // A third renderer opening later gets who is already there at once.
    const c = recorder('c');
    relay.open(c.client, setId);
    expect(c.awarenessEvents()).toHaveLength(1);

    relay.close(a.client, setId);
    for (const e of b.awarenessEvents().slice(1)) applyAwarenessUpdate(seenByB, decodeUpdate(e.update), 'main');
    expect(seenByB.getStates().has(ada.aw.clientID)).toBe(false);
    expect(hub.peek(setId)?.getStates().has(ada.aw.clientID)).toBe(false);

    relay.stop();
    hub.close();
    await ws.close();
  });

  it('refuses awareness for a document the client has not opened, and garbage, with clear errors', async () => {
    const { ws, hub, relay, setId } = await setup();
    const a = recorder('a');
    expect(() => relay.applyAwareness(a.client, setId, rendererPresence('x').update)).toThrow(/Open the document/);
    relay.open(a.client, setId);
    expect(() => relay.applyAwareness(a.client, setId, 'BQ==' /* five states announced, none there */)).toThrow(
      /could not be read/,
    );
    relay.stop();
    hub.close();
    await ws.close();
  });

  it('a disconnected renderer takes its cursors with it', async () => {
    const { ws, hub, relay, setId } = await setup();
    const a = recorder('a');
    const b = recorder('b');
    relay.open(a.client, setId);
    relay.open(b.client, setId);
    const ada = rendererPresence('ada');
    relay.applyAwareness(a.client, setId, ada.update);
    relay.disconnect(a.client);
    expect(hub.peek(setId)?.getStates().has(ada.aw.clientID)).toBe(false);
    relay.stop();
    hub.close();
    await ws.close();
  });
});
