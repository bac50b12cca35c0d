import { AnvilError } from '../../shared/domain';
import type { Workspace } from '../store/workspace';
import { SYNC_KEYS } from './engine';
import type { ServerUrls } from './server-url';
import { parseServerUrl } from './server-url';
import type { SecretStore } from './types';

export interface ServerAccess {
  urls: ServerUrls;
  token: string;
  /** Changes when the server or the token does: callers rebuild their clients then. */
  key: string;
}

/**
 * The sync settings' server and token, read at each call so a change in Settings → Sync applies at once; shared
 * by every studio service that talks to the team's server (registry, usage). `off` is the error when sync is
 * not set up or switched off, in the words of the feature that needs it.
 */
export async function serverAccess(
  ws: Workspace,
  secrets: SecretStore,
  off: { code: string; message: string },
): Promise<ServerAccess> {
  const url = await ws.settings.get({ key: SYNC_KEYS.url });
  const enabled = (await ws.settings.get({ key: SYNC_KEYS.enabled })) === true;
  if (typeof url !== 'string' || !url || !enabled) throw new AnvilError(off);
  const token = await secrets.get(SYNC_KEYS.token);
  if (!token)
    throw new AnvilError({
      code: 'sync_no_token',
      message: 'No token is saved for the sync server: create one (anvil token create) and save it in Settings → Sync.',
    });
  const urls = parseServerUrl(url);
  return { urls, token, key: `${urls.http}\n${token}` };
}

/** What every client of the team's server may be given: a per-request limit, and a `fetch` for tests. */
export interface ClientTiming {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * A service's clients of the team's server, built for the sync settings' server and token and built again when
 * either changes (a change in Settings → Sync applies at the next call). `build` runs once per server and token;
 * a service that caches answers clears them there.
 */
export function serverClients<T>(
  ws: Workspace,
  secrets: SecretStore,
  off: { code: string; message: string },
  timing: ClientTiming,
  build: (access: ServerAccess, timing: ClientTiming) => T,
): () => Promise<T> {
  let cached: { key: string; value: T } | null = null;
  const given: ClientTiming = {
    ...(timing.timeoutMs ? { timeoutMs: timing.timeoutMs } : {}),
    ...(timing.fetch ? { fetch: timing.fetch } : {}),
  };
  return async () => {
    const access = await serverAccess(ws, secrets, off);
    if (cached?.key !== access.key) cached = { key: access.key, value: build(access, given) };
    return cached.value;
  };
}
