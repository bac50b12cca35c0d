import type { SetComparison } from '../../../shared/compare';
import { compareSets } from '../../../shared/compare';
import type { PromptSetContent } from '../../../shared/domain';
import CompareWorker from './compare.worker?worker';

export interface CompareRequest {
  id: number;
  before: PromptSetContent;
  after: PromptSetContent;
}
export type CompareReply =
  { id: number; ok: true; comparison: SetComparison } | { id: number; ok: false; message: string };

let worker: Worker | null | undefined;
let nextId = 1;
const waiting = new Map<number, { resolve(c: SetComparison): void; reject(e: Error): void }>();

function compareWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    worker = new CompareWorker();
    worker.onmessage = (event: MessageEvent<CompareReply>) => {
      const reply = event.data;
      const entry = waiting.get(reply.id);
      waiting.delete(reply.id);
      if (!entry) return;
      if (reply.ok) entry.resolve(reply.comparison);
      else entry.reject(new Error(reply.message));
    };
    worker.onerror = (event) => {
      // A worker that cannot run (blocked, crashed): fail what waits, and compare on the page from now on.
      for (const entry of waiting.values()) entry.reject(new Error(event.message || 'the comparison worker failed'));
      waiting.clear();
      worker?.terminate();
      worker = null;
    };
  } catch {
    worker = null;
  }
  return worker;
}

/**
 * The structured comparison of two set contents, computed in a worker (on the page only where workers cannot
 * run). Answers arrive in order of the requests; callers drop the ones they no longer need.
 */
export function compareInBackground(before: PromptSetContent, after: PromptSetContent): Promise<SetComparison> {
  const w = compareWorker();
  if (!w) return Promise.resolve().then(() => compareSets(before, after));
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.postMessage({ id, before, after } satisfies CompareRequest);
  });
}
