import { mergeMany } from '../../../shared/doc/merge-many';

/** Updates of one document waiting for their commit. */
export interface PendingDoc {
  docId: string;
  updates: Uint8Array[];
  origins: Set<unknown>;
  bytes: number;
}

/** Everyone waiting for the next commit: one promise shared by every edit of the group. */
export class Group {
  readonly promise: Promise<void>;
  resolve!: () => void;
  reject!: (err: unknown) => void;

  constructor() {
    this.promise = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Edits typed straight into a Y.Doc have no caller holding this promise; their failure reaches the
    // store's onError instead of crashing the process as an unhandled rejection.
    this.promise.catch(() => undefined);
  }
}

/**
 * The queue of updates not yet committed, per document. A commit `take`s it whole; if the commit fails it
 * `restore`s what it took in front of whatever was queued meanwhile, so nothing typed is ever dropped.
 */
export class PendingQueue {
  private docs = new Map<string, PendingDoc>();
  private total = 0;

  get size(): number {
    return this.docs.size;
  }

  get bytes(): number {
    return this.total;
  }

  has(docId: string): boolean {
    return this.docs.has(docId);
  }

  push(docId: string, update: Uint8Array, origin: unknown): void {
    let p = this.docs.get(docId);
    if (!p) {
      p = { docId, updates: [], origins: new Set(), bytes: 0 };
      this.docs.set(docId, p);
    }
    p.updates.push(update);
    p.origins.add(origin);
    p.bytes += update.byteLength;
    this.total += update.byteLength;
  }

  take(): PendingDoc[] {
    const out = [...this.docs.values()];
    this.docs = new Map();
    this.total = 0;
    return out;
  }

  /** Put back a failed commit's documents, older updates first. */
  restore(taken: readonly PendingDoc[]): void {
    const newer = this.docs;
    this.docs = new Map();
    this.total = 0;
    for (const p of taken) this.docs.set(p.docId, p);
    for (const p of newer.values()) {
      const old = this.docs.get(p.docId);
      if (!old) {
        this.docs.set(p.docId, p);
        continue;
      }
      old.updates.push(...p.updates);
      for (const o of p.origins) old.origins.add(o);
      old.bytes += p.bytes;
    }
    for (const p of this.docs.values()) this.total += p.bytes;
  }
}

/** One update per document: merged once, and kept merged so a retry after a failure does not merge again. */
export function mergePending(p: PendingDoc): Uint8Array {
  if (p.updates.length > 1) p.updates = [mergeMany(p.updates)];
  return p.updates[0] as Uint8Array;
}
