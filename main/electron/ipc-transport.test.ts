import type { IpcMain, IpcRenderer } from 'electron';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../shared/contract/client';
import type { ServerMessage } from '../../shared/contract/contract';
import { runContractSuite } from '../studio/contract-suite';
import type { StudioHost } from '../studio/types';
import type { IpcMainEventLike, IpcMainLike, WebContentsLike } from './ipc-main';
import { INVOKE_CHANNEL, MESSAGE_CHANNEL, serveIpc } from './ipc-main';
import type { IpcRendererLike } from './preload-channel';
import { ipcChannel } from './preload-channel';

// Electron's own objects fit the structural types the transport is written against.
const _main: IpcMainLike = null as unknown as IpcMain;
const _renderer: IpcRendererLike = null as unknown as IpcRenderer;
void _main;
void _renderer;

type Listener = (event: never, ...args: unknown[]) => void;

/** In-process stand-ins for Electron's IPC: asynchronous, ordered, and every message a structured clone. */
class FakeIpcMain implements IpcMainLike {
  readonly listeners = new Map<string, Set<Listener>>();
  on(channel: string, listener: (event: IpcMainEventLike, ...args: unknown[]) => void) {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener as Listener);
    return this;
  }
  removeListener(channel: string, listener: (event: IpcMainEventLike, ...args: unknown[]) => void) {
    this.listeners.get(channel)?.delete(listener as Listener);
    return this;
  }
}

let nextWebContentsId = 1;

class FakeWindow {
  readonly webContents: WebContentsLike & { destroy(): void };
  readonly ipcRenderer: IpcRendererLike;
  url = 'app://anvil/index.html';

  constructor(ipcMain: FakeIpcMain) {
    const rendererListeners = new Map<string, Set<Listener>>();
    const destroyedListeners: (() => void)[] = [];
    let destroyed = false;
    const frameUrl = () => this.url;
    const webContents: FakeWindow['webContents'] = {
      id: nextWebContentsId++,
      send(channel, ...args) {
        const cloned = structuredClone(args);
        setImmediate(() => {
          if (destroyed) return;
          for (const l of rendererListeners.get(channel) ?? []) l({} as never, ...cloned);
        });
      },
      isDestroyed: () => destroyed,
      once(_event: 'destroyed', listener: () => void) {
        destroyedListeners.push(listener);
      },
      destroy() {
        destroyed = true;
        for (const l of destroyedListeners.splice(0)) l();
      },
    };
    this.webContents = webContents;
    this.ipcRenderer = {
      send(channel, ...args) {
        const cloned = structuredClone(args);
        setImmediate(() => {
          if (destroyed) return;
          const event: IpcMainEventLike = { sender: webContents, senderFrame: { url: frameUrl() } };
          for (const l of ipcMain.listeners.get(channel) ?? []) l(event as never, ...cloned);
        });
      },
      on(channel, listener) {
        let set = rendererListeners.get(channel);
        if (!set) rendererListeners.set(channel, (set = new Set()));
        set.add(listener as Listener);
      },
      removeListener(channel, listener) {
        rendererListeners.get(channel)?.delete(listener as Listener);
      },
    };
  }
}

const ourPage = (event: IpcMainEventLike) => event.senderFrame?.url.startsWith('app://anvil/') === true;

runContractSuite('Electron IPC', async (host: StudioHost) => {
  const ipcMain = new FakeIpcMain();
  const stop = serveIpc(host, ipcMain, ourPage);
  return {
    async connect() {
      const window = new FakeWindow(ipcMain);
      return {
        api: createApi(ipcChannel(window.ipcRenderer)),
        close: async () => window.webContents.destroy(),
      };
    },
    close: async () => stop(),
  };
});

describe('serveIpc', () => {
  /** A host that records what reaches it. */
  const recordingHost = () => {
    const log: string[] = [];
    const host: StudioHost = {
      connect(send) {
        const id = `client-${log.length}`;
        log.push(`connect ${id}`);
        return {
          id,
          receive(message) {
            log.push(`receive ${id} ${JSON.stringify(message)}`);
            send({ type: 'reply', id: (message as { id: number }).id, reply: { ok: true, value: null } });
          },
          disconnect: () => log.push(`disconnect ${id}`),
        };
      },
      close: async () => {},
    };
    return { host, log };
  };
  const settle = () => new Promise((r) => setTimeout(r, 20));

  it('drops messages from a frame that is not our page, unanswered', async () => {
    const { host, log } = recordingHost();
    const ipcMain = new FakeIpcMain();
    serveIpc(host, ipcMain, ourPage);
    const window = new FakeWindow(ipcMain);
    window.url = 'https://evil.example/';
    const replies: ServerMessage[] = [];
    ipcChannel(window.ipcRenderer).listen((m) => replies.push(m));
    ipcChannel(window.ipcRenderer).send({ type: 'invoke', id: 1, op: 'projects:list', args: {} });
    await settle();
    expect(log).toEqual([]);
    expect(replies).toEqual([]);
  });

  it('gives each webContents one client and disconnects it when destroyed', async () => {
    const { host, log } = recordingHost();
    const ipcMain = new FakeIpcMain();
    const stop = serveIpc(host, ipcMain, ourPage);
    const one = new FakeWindow(ipcMain);
    const two = new FakeWindow(ipcMain);
    const replies: ServerMessage[] = [];
    ipcChannel(one.ipcRenderer).listen((m) => replies.push(m));
    for (const id of [1, 2]) ipcChannel(one.ipcRenderer).send({ type: 'invoke', id, op: 'x', args: {} });
    ipcChannel(two.ipcRenderer).send({ type: 'invoke', id: 1, op: 'x', args: {} });
    await settle();
    expect(log.filter((l) => l.startsWith('connect'))).toHaveLength(2);
    expect(replies.map((r) => r.type === 'reply' && r.id)).toEqual([1, 2]);
    one.webContents.destroy();
    expect(log).toContain('disconnect client-0');
    stop();
    expect(log.filter((l) => l.startsWith('disconnect'))).toHaveLength(2);
    expect(ipcMain.listeners.get(INVOKE_CHANNEL)?.size).toBe(0);
    expect(MESSAGE_CHANNEL).toBe('anvil:message');
  });

  it('hands any payload to the host as it came (the host validates it)', async () => {
    const { host, log } = recordingHost();
    const ipcMain = new FakeIpcMain();
    serveIpc(host, ipcMain, ourPage);
    const window = new FakeWindow(ipcMain);
    window.ipcRenderer.send(INVOKE_CHANNEL, 'not an object');
    await settle();
    expect(log).toEqual(['connect client-0', 'receive client-0 "not an object"']);
  });
});
