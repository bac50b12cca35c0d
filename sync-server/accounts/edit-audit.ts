import type { ServerAudit } from './audit';

/**
 * Edits go to the audit log coalesced per document, actor and minute: one `doc.edit` row saying how many
 * updates (and bytes) someone sent to a document in that minute, rather than one row per keystroke. The log
 * is append-only, so a window is kept in memory and appended once it closes (a later minute, the timer, or
 * `flush()` at shutdown). A crash loses at most the open minute of audit rows; the edits themselves are in
 * the document storage, which acknowledges them independently.
 */
export interface EditAuditor {
  /** One accepted update of `bytes` bytes from `actor` to `documentId`. */
  record(actor: string, documentId: string, bytes: number, at?: number): void;
  /** Appends every open window now (call it when the server stops). */
  flush(): void;
  /** Flushes and stops the timer. */
  close(): void;
}

export interface EditAuditorOptions {
  clock?: () => number;
  /** Window length, default one minute. */
  windowMs?: number;
}

interface Window {
  actor: string;
  documentId: string;
  start: number;
  first: number;
  last: number;
  updates: number;
  bytes: number;
}

export function createEditAuditor(audit: ServerAudit, options: EditAuditorOptions = {}): EditAuditor {
  const clock = options.clock ?? Date.now;
  const windowMs = options.windowMs ?? 60_000;
  const open = new Map<string, Window>();

  const write = (w: Window) =>
    audit.append({
      actor: w.actor,
      action: 'doc.edit',
      entityKind: 'document',
      entityId: w.documentId,
      at: w.start,
      details: { updates: w.updates, bytes: w.bytes, first: w.first, last: w.last },
    });
  const flushBefore = (limit: number) => {
    for (const [key, w] of open) {
      if (w.start + windowMs > limit) continue;
      open.delete(key);
      write(w);
    }
  };
  const timer = setInterval(() => flushBefore(clock()), windowMs);
  timer.unref();

  return {
    record(actor, documentId, bytes, at = clock()) {
      const key = JSON.stringify([documentId, actor]);
      const start = at - (at % windowMs);
      let w = open.get(key);
      if (w && w.start !== start) {
        open.delete(key);
        write(w);
        w = undefined;
      }
      if (!w) {
        w = { actor, documentId, start, first: at, last: at, updates: 0, bytes: 0 };
        open.set(key, w);
      }
      w.updates += 1;
      w.bytes += bytes;
      w.last = at;
    },
    flush() {
      flushBefore(Number.POSITIVE_INFINITY);
    },
    close() {
      clearInterval(timer);
      flushBefore(Number.POSITIVE_INFINITY);
    },
  };
}
