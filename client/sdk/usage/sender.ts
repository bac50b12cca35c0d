import type { UsageBatchResult } from '../../../shared/usage/types';
import type { FetchLike } from '../registry-client';
import type { PreparedEvent } from './prepare';

/** The `client` field of every batch (kept equal to client/package.json's version by a test). */
export const SDK_CLIENT = '@anvil/client/0.1.0';

export type SendResult =
  | { kind: 'ok'; accepted: number; duplicates: number; rejected: number }
  /** Unreachable, timed out, 408, 429 or 5xx: the batch is kept and sent again later. */
  | { kind: 'retry'; reason: string }
  /** Any other refusal (400, 401, 403, 404, 413…): sending it again would get the same answer. */
  | { kind: 'refused'; reason: string; status: number };

const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);

/** POSTs one batch of prepared events (JSON lines, so a spooled batch is sent as it was written). */
export function createSender(o: {
  endpoint: string;
  token: string | null;
  fetch: FetchLike;
  timeoutMs: number;
}): (events: readonly PreparedEvent[], dropped: number) => Promise<SendResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  return async (events, dropped) => {
    const body = `{"client":${JSON.stringify(SDK_CLIENT)},"dropped":${dropped},"events":[${events.join(',')}]}`;
    let res: Response;
    try {
      res = await o.fetch(o.endpoint, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(o.timeoutMs),
      });
    } catch (err) {
      return { kind: 'retry', reason: `unreachable: ${reasonOf(err, o.timeoutMs)}` };
    }
    let text = '';
    try {
      text = await res.text();
    } catch (err) {
      return { kind: 'retry', reason: `unreachable: ${reasonOf(err, o.timeoutMs)}` };
    }
    if (res.status >= 200 && res.status < 300) {
      try {
        const r = JSON.parse(text) as Partial<UsageBatchResult>;
        const rejected = Array.isArray(r.rejected) ? r.rejected.length : 0;
        const duplicates = typeof r.duplicates === 'number' ? r.duplicates : 0;
        const accepted = typeof r.accepted === 'number' ? r.accepted : events.length - rejected - duplicates;
        return { kind: 'ok', accepted, duplicates, rejected };
      } catch {
        return { kind: 'ok', accepted: events.length, duplicates: 0, rejected: 0 };
      }
    }
    let message = `${res.status}`;
    try {
      const e = (JSON.parse(text) as { error?: { message?: string } }).error?.message;
      if (e) message = `${res.status} ${e}`;
    } catch {
      // Not our error shape (a proxy's page): the status says enough.
    }
    return RETRYABLE.has(res.status)
      ? { kind: 'retry', reason: message }
      : { kind: 'refused', reason: message, status: res.status };
  };
}

function reasonOf(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
    return `no answer within ${timeoutMs} ms`;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
