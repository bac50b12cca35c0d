import { AnvilError } from '../../shared/domain';

/** A sync server's two addresses: the HTTP base of its API and the WebSocket URL of its documents. */
export interface ServerUrls {
  /** e.g. http://127.0.0.1:4321 or https://example.com/anvil (no trailing slash). */
  http: string;
  /** e.g. ws://127.0.0.1:4321 or wss://example.com/anvil */
  ws: string;
}

/**
 * Read a server URL as a user types it: ws://, wss://, http:// or https://, with an optional path (a server
 * mounted under `/anvil`). Anything else is a clear error naming what was wrong.
 */
export function parseServerUrl(input: string): ServerUrls {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badUrl(`"${text}" is not a URL; write it like ws://host:4321 or https://example.com/anvil.`);
  }
  const secure = url.protocol === 'wss:' || url.protocol === 'https:';
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol))
    throw badUrl(
      `"${text}" uses ${url.protocol.replace(/:$/, '')}; a sync server URL starts with ws://, wss://, http:// or https://.`,
    );
  if (url.username || url.password) throw badUrl('Put the token in the token field, not in the URL.');
  if (url.search || url.hash) throw badUrl(`"${text}" has a query or fragment; give the server's address only.`);
  const path = url.pathname.replace(/\/+$/, '');
  const rest = `${url.host}${path}`;
  return { http: `${secure ? 'https' : 'http'}://${rest}`, ws: `${secure ? 'wss' : 'ws'}://${rest}` };
}

function badUrl(message: string): AnvilError {
  return new AnvilError({ code: 'sync_bad_url', message });
}
