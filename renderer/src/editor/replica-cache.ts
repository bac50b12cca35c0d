import type { ReplicaApi } from './replica';
import { Replica } from './replica';
import type { SaveStatus } from './update-batcher';

/**
 * One replica per open set document, shared by whoever needs it and closed a moment after the last user
 * lets go. The main process subscribes a client to a document once (not per open), so opening twice and closing
 * once (React's StrictMode mounts effects twice; moving between prompts of a set remounts) would otherwise cut
 * this window off from the document's updates.
 */
interface Entry {
  promise: Promise<Replica>;
  refs: number;
  closeTimer: ReturnType<typeof setTimeout> | null;
  status: SaveStatus;
  listeners: Set<(s: SaveStatus) => void>;
}

const entries = new Map<string, Entry>();
const CLOSE_AFTER_MS = 300;

export interface ReplicaLease {
  replica: Promise<Replica>;
  status(): SaveStatus;
  onStatus(listener: (s: SaveStatus) => void): () => void;
  release(): void;
}

export function acquireReplica(api: ReplicaApi, docId: string): ReplicaLease {
  let entry = entries.get(docId);
  if (!entry) {
    const created: Entry = {
      refs: 0,
      closeTimer: null,
      status: { state: 'saved' },
      listeners: new Set(),
      promise: Promise.resolve(null as unknown as Replica),
    };
    created.promise = Replica.open(api, docId, (s) => {
      created.status = s;
      for (const l of created.listeners) l(s);
    });
    // A failed open is forgotten so the next attempt tries again.
    created.promise.catch(() => {
      if (entries.get(docId) === created) entries.delete(docId);
    });
    entries.set(docId, created);
    entry = created;
  }
  const e = entry;
  e.refs++;
  if (e.closeTimer) {
    clearTimeout(e.closeTimer);
    e.closeTimer = null;
  }
  let released = false;
  return {
    replica: e.promise,
    status: () => e.status,
    onStatus(listener) {
      e.listeners.add(listener);
      return () => e.listeners.delete(listener);
    },
    release() {
      if (released) return;
      released = true;
      e.refs--;
      if (e.refs > 0) return;
      e.closeTimer = setTimeout(() => {
        if (e.refs > 0 || entries.get(docId) !== e) return;
        entries.delete(docId);
        e.promise.then((r) => r.close()).catch(() => undefined);
      }, CLOSE_AFTER_MS);
    },
  };
}
