import type { Channel } from '../../shared/contract/client';
import type { ServerMessage } from '../../shared/contract/contract';

/** Same names as `ipc-main.ts` (repeated, not imported: the preload bundle must not pull in main's code). */
const INVOKE_CHANNEL = 'anvil:invoke';
const MESSAGE_CHANNEL = 'anvil:message';

/** The part of Electron's `ipcRenderer` the preload's channel uses. */
export interface IpcRendererLike {
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * The contract's channel over Electron IPC, for the preload to wrap in `createApi` and expose with
 * `contextBridge`. Messages cross as structured clones, so they are the same plain objects the WebSocket
 * transport carries as JSON. An IPC channel never closes while the page lives, so there is no `onClose`.
 */
export function ipcChannel(ipcRenderer: IpcRendererLike): Channel {
  return {
    send(message) {
      ipcRenderer.send(INVOKE_CHANNEL, message);
    },
    listen(onMessage) {
      const listener = (_event: unknown, ...args: unknown[]): void => {
        const message = args[0];
        if (typeof message === 'object' && message !== null) onMessage(message as ServerMessage);
      };
      ipcRenderer.on(MESSAGE_CHANNEL, listener);
      return () => {
        ipcRenderer.removeListener(MESSAGE_CHANNEL, listener);
      };
    },
  };
}
