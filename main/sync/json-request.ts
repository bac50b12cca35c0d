import { AnvilError } from '../../shared/domain';
import type { ApiErrorBody } from '../../shared/sync/api';

export type JsonMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface JsonRequestOptions {
  /** The server's HTTP base URL (no trailing slash). */
  base: string;
  token: string;
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Code of the error for a 2xx answer that is not JSON. */
  notJsonCode: string;
  /** The error for an answer that is not 2xx; `error` is the server's `{ code, message, details }` when it sent one. */
  refusal(
    status: number,
    error: Partial<ApiErrorBody['error']> | undefined,
    method: JsonMethod,
    path: string,
  ): AnvilError;
}

export type JsonRequest = <T>(method: JsonMethod, path: string, body?: unknown) => Promise<T>;

/**
 * One bearer-token JSON request to the sync server, shared by the sync and registry clients: a timeout on every
 * request, `sync_unreachable` (with the cause) when nothing answers, and each client's own reading of refusals.
 */
export function createJsonRequest(options: JsonRequestOptions): JsonRequest {
  const doFetch = options.fetch ?? fetch;
  const { base, timeoutMs } = options;
  return async <T>(method: JsonMethod, path: string, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const why =
        err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : causeOf(err);
      throw new AnvilError({
        code: 'sync_unreachable',
        message: `The sync server at ${base} cannot be reached (${why}).`,
      });
    }
    const text = await response.text().catch(() => '');
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (response.ok) {
      if (json === null)
        throw new AnvilError({
          code: options.notJsonCode,
          message: `${base} answered ${method} ${path} with something that is not JSON: is it an Anvil sync server?`,
        });
      return json as T;
    }
    throw options.refusal(response.status, (json as Partial<ApiErrorBody> | null)?.error, method, path);
  };
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } } | null)?.cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
