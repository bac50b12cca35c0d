/// <reference lib="webworker" />
import { compareSets } from '../../../shared/compare';
import type { CompareReply, CompareRequest } from './compare-client';

/**
 * Runs `compareSets` off the page's thread: each text is bounded by the comparison's own limits, but a set of
 * many large prompts still adds up, and the page must keep answering keys and scrolling meanwhile.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (event: MessageEvent<CompareRequest>) => {
  const { id, before, after } = event.data;
  let reply: CompareReply;
  try {
    reply = { id, ok: true, comparison: compareSets(before, after) };
  } catch (err) {
    reply = { id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  scope.postMessage(reply);
};
