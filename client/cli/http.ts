import { CliFailure } from './io';

/**
 * One GET of the registry's JSON API for a command (search, whoami): a timeout, the token, and failures as one
 * line naming the server and the cause (the API's own `{ error: { code, message } }` when it answered one).
 */
export async function getJson<T>(
  base: string,
  path: string,
  token: string | null,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const reason = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message);
    throw new CliFailure('registry_unreachable', `could not ${what}: ${base} is unreachable (${reason})`);
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  if (res.ok && body !== null) return body as T;
  const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
  const code =
    res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : (error?.code ?? 'registry_error');
  const message = error?.message ?? (res.ok ? 'an answer that is not JSON' : `status ${res.status}`);
  throw new CliFailure(code, `could not ${what}: ${base} answered ${res.status} (${message})`);
}
