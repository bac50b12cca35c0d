import * as Y from 'yjs';
import { decodeUpdate, encodeUpdate } from '../../shared/contract/base64';
import type { ServerMessage } from '../../shared/contract/contract';
import { ORIGIN } from '../../shared/doc';
import { AnvilError } from '../../shared/domain';
import type { DocStoreApi } from '../store/docs/types';

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

  constructor(private readonly docs: DocStoreApi) {}

  open(client: RelayClient, docId: string): string {
    const sub = this.subs.get(docId) ?? this.subscribe(docId);
    sub.clients.set(client.id, client);
    return encodeUpdate(Y.encodeStateAsUpdate(sub.doc));
  }

  close(client: RelayClient, docId: string): void {
    const sub = this.subs.get(docId);
    if (!sub) return;
    sub.clients.delete(client.id);
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
    const sub: Subscription = { doc, clients, off: () => doc.off('update', onUpdate) };
    this.subs.set(docId, sub);
    return sub;
  }
}
