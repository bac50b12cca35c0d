import type { FeedEvent } from '../../shared/registry/types';
import { toFeedEvent } from './rows';
import type { Tables } from './tables';

/**
 * Tells subscribers every feed event once, in id order, after its transaction committed. Events this process
 * wrote are delivered right after their commit (`pump`); events another server process wrote on the same
 * registry.db are picked up by polling while anyone listens. Delivery reads from the table, so ids are never
 * skipped: SQLite serialises writers, so an id once visible has no uncommitted smaller id behind it.
 */
export interface Notifier {
  pump(): void;
  subscribe(listener: (event: FeedEvent) => void): () => void;
  close(): void;
}

export function createNotifier(t: Tables, log: (line: string) => void, pollMs: number): Notifier {
  const listeners = new Set<(event: FeedEvent) => void>();
  let delivered = t.lastEventId();
  let timer: ReturnType<typeof setInterval> | undefined;
  let pumping = false;
  let closed = false;

  const pump = () => {
    if (closed) return;
    if (listeners.size === 0) {
      delivered = t.lastEventId();
      return;
    }
    // A listener that publishes re-enters here: the loop below delivers its event after the current one.
    if (pumping) return;
    pumping = true;
    try {
      for (;;) {
        const rows = t.eventsAfter(delivered, 500);
        if (rows.length === 0) break;
        for (const row of rows) {
          delivered = row.id;
          const event = toFeedEvent(row);
          for (const listener of [...listeners]) {
            try {
              listener(event);
            } catch (err) {
              log(`registry: a feed listener failed on event ${row.id}: ${(err as Error).message}`);
            }
          }
        }
      }
    } catch (err) {
      log(`registry: reading the feed failed: ${(err as Error).message}`);
    } finally {
      pumping = false;
    }
  };

  return {
    pump,
    subscribe(listener) {
      if (listeners.size === 0) delivered = t.lastEventId();
      listeners.add(listener);
      timer ??= setInterval(pump, pollMs);
      timer.unref?.();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
    close() {
      closed = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      listeners.clear();
    },
  };
}
