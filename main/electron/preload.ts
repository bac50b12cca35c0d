import { contextBridge, ipcRenderer } from 'electron';
import type { Channel } from '../../shared/contract/client';
import { ipcChannel } from './preload-channel';

/**
 * The sandboxed preload: the only bridge between the page and the main process. It exposes a message channel
 * with two functions (never `ipcRenderer` itself, nor any Node API): `send` a contract message, `listen` for
 * the main process's. The page builds its `AnvilApi` on it with `createApi` (`renderer/src/api.tsx`), the
 * same client the browser mode runs over its WebSocket. The client runs in the page rather than here because
 * contextBridge copies only an Error's message across worlds: an `AnvilError`'s code, line and column would
 * not survive a rejection that crossed it, whereas plain reply objects do.
 */
const channel = ipcChannel(ipcRenderer);

const bridge: Pick<Channel, 'send' | 'listen'> = {
  send: (message) => channel.send(message),
  listen: (onMessage) => channel.listen(onMessage),
};

contextBridge.exposeInMainWorld('anvilIpc', bridge);
