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

/**
 * How a feature of the team's server (registry, usage analytics) reads a refusal: 401 is the sync token's fault,
 * a bare 404 means this server predates the feature, anything else keeps the server's own code and message.
 */
export function featureRefusal(feature: {
  base: string;
  /** Code and words for a server without the feature: "…has no <path>: <missing>". */
  unavailableCode: string;
  missing: string;
  /** Code of a refusal the server sent without one. */
  fallbackCode: string;
}): JsonRequestOptions['refusal'] {
  return (status, error, method, path) => {
    const route = path.split('?')[0] ?? path;
    if (status === 401)
      return new AnvilError({
        code: 'sync_unauthorized',
        message:
          'The sync server refused the token (unknown, expired or revoked): create a new one and save it in Settings → Sync.',
      });
    if (status === 404 && !error?.code)
      return new AnvilError({
        code: feature.unavailableCode,
        message: `${feature.base} has no ${route}: ${feature.missing}`,
      });
    const code = error?.code ?? (status === 403 ? 'forbidden' : status === 429 ? 'rate_limited' : feature.fallbackCode);
    const message = error?.message ?? `The sync server answered ${status} to ${method} ${route}.`;
    return new AnvilError({ code, message, ...(error?.details !== undefined ? { details: error.details } : {}) });
  };
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } } | null)?.cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
