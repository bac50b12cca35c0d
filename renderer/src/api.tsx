import type { ReactNode } from 'react';
import { createContext, useContext } from 'react';
import type { AnvilApi } from '../../shared/contract';
import { createApi, socketChannel } from '../../shared/contract';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in browser mode. */
    anvil?: AnvilApi;
  }
}

const TOKEN_KEY = 'anvil.token';

/**
 * The contract's client: the preload's bridge in the desktop app, else a WebSocket to the studio server that
 * served this page. The per-launch secret arrives once in the URL (`?token=`); it is kept for this tab in
 * sessionStorage and removed from the address bar so it does not end up in history or screenshots.
 */
export function connectApi(): AnvilApi {
  if (window.anvil) return window.anvil;
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
  }
  const token = sessionStorage.getItem(TOKEN_KEY) ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${window.location.host}/api?token=${encodeURIComponent(token)}`);
  return createApi(socketChannel(socket));
}

const ApiContext = createContext<AnvilApi | null>(null);

export function ApiProvider({ api, children }: { api: AnvilApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): AnvilApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}
