import * as Y from 'yjs';
import { decodeUpdate, encodeUpdate } from '../../shared/contract/base64';
import type { ServerMessage } from '../../shared/contract/contract';
import { ORIGIN } from '../../shared/doc';
import { AnvilError } from '../../shared/domain';
import type { DocStoreApi } from '../store/docs/types';
import type { AwarenessHub } from './awareness';
import { applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import type { Awareness } from 'y-protocols/awareness';

/** Who receives a document's updates: a connected renderer. */
export interface RelayClient {
  readonly id: string;
  send(message: ServerMessage): void;
}

interface Subscription {
  doc: Y.Doc;
  clients: Map<string, RelayClient>;
  off: () => void;
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

/**
 * The Yjs replica relay. A renderer opens a document (its full state as one update) and from then on gets
 * every update made to the canonical document by anyone else: operations, restores, other windows or tabs,
 * later sync. Its own updates come back through `apply` and are never echoed to it.
 *
 * Renderer updates are applied with origin `local`, so the audit log counts them as the actor's edits exactly
 * like an operation's; which client made them is known another way: `DocStore.applyUpdate` applies
 * synchronously, so the doc's `update` event fires while `applying` names that client.
 */
export class DocRelay {
  private readonly subs = new Map<string, Subscription>();
  private applying: string | null = null;
  /** Awareness client ids each renderer introduced, per document, so they go when the renderer goes. */
  private readonly presence = new Map<string, Map<string, Set<number>>>();

  constructor(
    private readonly docs: DocStoreApi,
    private readonly awareness: AwarenessHub,
  ) {}

  open(client: RelayClient, docId: string): string {
    const sub = this.subs.get(docId) ?? this.subscribe(docId);
    sub.clients.set(client.id, client);
    // Who is already here: sent before the reply, so the editor has names and cursors as soon as it has text.
    const aw = this.awareness.get(docId, sub.doc);
    const others = [...aw.getStates().keys()];
    if (others.length > 0)
      client.send({
        type: 'event',
        event: 'docs:awareness',
        payload: { docId, update: encodeUpdate(encodeAwarenessUpdate(aw, others)) },
      });
    return encodeUpdate(Y.encodeStateAsUpdate(sub.doc));
  }

  /**
   * A renderer's awareness update (its editor's presence and cursor): applied to the document's awareness, which
   * passes it to the other renderers and, when syncing, the server. The client must have the document open.
   */
  applyAwareness(client: RelayClient, docId: string, update: string): void {
    const sub = this.subs.get(docId);
    if (!sub?.clients.has(client.id))
      throw new AnvilError({
        code: 'doc_not_open',
        message: `Open the document ${JSON.stringify(docId)} before sending its awareness.`,
        path: docId,
      });
    let bytes: Uint8Array;
    try {
      bytes = decodeUpdate(update);
    } catch {
      throw new AnvilError({ code: 'invalid_update', message: `The awareness update for ${docId} is not base64.` });
    }
    try {
      applyAwarenessUpdate(this.awareness.get(docId, sub.doc), bytes, client.id);
    } catch (err) {
      throw new AnvilError({
        code: 'invalid_update',
        message: `The awareness update for ${docId} could not be read: ${err instanceof Error ? err.message : String(err)}.`,
      });
    }
  }

  close(client: RelayClient, docId: string): void {
    const sub = this.subs.get(docId);
    if (!sub) return;
    sub.clients.delete(client.id);
    this.forgetPresence(client.id, docId);
    if (sub.clients.size === 0) {
      sub.off();
      this.subs.delete(docId);
    }
  }

  /** Apply a renderer's update; resolves once durable. The client need not have the document open. */
  apply(client: RelayClient, docId: string, update: string): Promise<void> {
    let bytes: Uint8Array;
    try {
      bytes = decodeUpdate(update);
    } catch {
      return Promise.reject(
        new AnvilError({ code: 'invalid_update', message: `The update for ${docId} is not base64.` }),
      );
    }
    this.applying = client.id;
    try {
      return this.docs.applyUpdate(docId, bytes, ORIGIN.local);
    } finally {
      this.applying = null;
    }
  }

  /** The client is gone: drop all its subscriptions. */
  disconnect(client: RelayClient): void {
    for (const docId of [...this.subs.keys()]) this.close(client, docId);
  }

  /** Stop listening to every document (the workspace is closing). */
  stop(): void {
    for (const sub of this.subs.values()) sub.off();
    this.subs.clear();
  }

  private subscribe(docId: string): Subscription {
    const doc = this.docs.get(docId);
    if (!doc)
      throw new AnvilError({
        code: 'doc_not_found',
        message: `There is no document ${JSON.stringify(docId)} in this workspace.`,
        path: docId,
      });
    const clients = new Map<string, RelayClient>();
    const onUpdate = (update: Uint8Array): void => {
      const from = this.applying;
      let encoded: string | undefined;
      for (const client of clients.values()) {
        if (client.id === from) continue;
        encoded ??= encodeUpdate(update);
        client.send({ type: 'event', event: 'docs:update', payload: { docId, update: encoded } });
      }
    };
    doc.on('update', onUpdate);
    const aw = this.awareness.get(docId, doc);
    const onAwareness = (change: AwarenessChange, origin: unknown): void =>
      this.relayAwareness(docId, aw, clients, change, origin);
    aw.on('update', onAwareness);
    const sub: Subscription = {
      doc,
      clients,
      off: () => {
        doc.off('update', onUpdate);
        aw.off('update', onAwareness);
      },
    };
    this.subs.set(docId, sub);
    return sub;
  }

  private relayAwareness(
    docId: string,
    aw: Awareness,
    clients: Map<string, RelayClient>,
    { added, updated, removed }: AwarenessChange,
    origin: unknown,
  ): void {
    const changed = [...added, ...updated, ...removed];
    if (typeof origin === 'string' && clients.has(origin)) {
      // Remember which awareness ids this renderer speaks for (added), and forget the ones it removed.
      const mine = this.presenceOf(origin, docId);
      for (const id of added) mine.add(id);
      for (const id of removed) mine.delete(id);
    }
    let encoded: string | undefined;
    for (const client of clients.values()) {
      if (client.id === origin) continue;
      encoded ??= encodeUpdate(encodeAwarenessUpdate(aw, changed));
      client.send({ type: 'event', event: 'docs:awareness', payload: { docId, update: encoded } });
    }
  }

  private presenceOf(clientId: string, docId: string): Set<number> {
    let byDoc = this.presence.get(clientId);
    if (!byDoc) this.presence.set(clientId, (byDoc = new Map()));
    let ids = byDoc.get(docId);
    if (!ids) byDoc.set(docId, (ids = new Set()));
    return ids;
  }

  /** A renderer closed the document or went away: its cursors go too, for everyone. */
  private forgetPresence(clientId: string, docId: string): void {
    const byDoc = this.presence.get(clientId);
    const ids = byDoc?.get(docId);
    byDoc?.delete(docId);
    if (byDoc?.size === 0) this.presence.delete(clientId);
    const aw = this.awareness.peek(docId);
    if (ids && ids.size > 0 && aw) removeAwarenessStates(aw, [...ids], 'closed');
  }
}
