import type { ServerMessage } from '../../shared/contract/contract';
import type { StudioClient, StudioHost } from '../studio/types';

/** Renderer → main: a `ClientMessage` (fire and forget; the reply comes back on `MESSAGE_CHANNEL`). */
export const INVOKE_CHANNEL = 'anvil:invoke';
/** Main → renderer: every `ServerMessage`, replies and events alike. */
export const MESSAGE_CHANNEL = 'anvil:message';

/** The part of Electron's `WebContents` the IPC transport uses. */
export interface WebContentsLike {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

/** The part of Electron's `IpcMainEvent` the IPC transport uses. */
export interface IpcMainEventLike {
  readonly sender: WebContentsLike;
  /** The frame that sent the message (null once it navigated away or was destroyed). */
  readonly senderFrame: { readonly url: string } | null;
}

/** The part of Electron's `ipcMain` the IPC transport uses. */
export interface IpcMainLike {
  on(channel: string, listener: (event: IpcMainEventLike, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcMainEventLike, ...args: unknown[]) => void): unknown;
}

/**
 * Serve the studio over Electron IPC: one `StudioClient` per `webContents` (a window), created on its first
 * message and disconnected when it is destroyed (closed, crashed). A reload of the same `webContents` keeps
 * its client, whose document subscriptions then outlive the page: the new page opens its documents again and
 * receives their updates twice at worst, which Yjs ignores. `isAllowedSender` vets every message (the frame
 * must be our own page, not something the window navigated to); refused messages are dropped unanswered.
 * Returns the function that stops serving.
 */
export function serveIpc(
  host: StudioHost,
  ipcMain: IpcMainLike,
  isAllowedSender: (event: IpcMainEventLike) => boolean,
): () => void {
  const clients = new Map<number, StudioClient>();

  const clientOf = (sender: WebContentsLike): StudioClient => {
    let client = clients.get(sender.id);
    if (client) return client;
    const created = host.connect((message: ServerMessage) => {
      if (!sender.isDestroyed()) sender.send(MESSAGE_CHANNEL, message);
    });
    clients.set(sender.id, created);
    sender.once('destroyed', () => {
      clients.delete(sender.id);
      created.disconnect();
    });
    client = created;
    return client;
  };

  const onInvoke = (event: IpcMainEventLike, ...args: unknown[]): void => {
    let allowed = false;
    try {
      allowed = !event.sender.isDestroyed() && isAllowedSender(event);
    } catch {
      allowed = false;
    }
    if (!allowed) return;
    clientOf(event.sender).receive(args[0]);
  };

  ipcMain.on(INVOKE_CHANNEL, onInvoke);
  return () => {
    ipcMain.removeListener(INVOKE_CHANNEL, onInvoke);
    for (const client of clients.values()) client.disconnect();
    clients.clear();
  };
}
