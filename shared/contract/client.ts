import type { AnvilApi, ClientMessage, InvokeReply, ServerMessage, StudioEvent, StudioEvents } from './contract';
import { unwrapReply } from './contract';
import { AnvilError } from '../domain';

/**
 * The renderer's side of both transports: turns a message channel into `AnvilApi`. The Electron preload
 * passes `ipcRenderer`-backed functions; the browser passes a WebSocket (`socketChannel`). One implementation,
 * so the two transports cannot drift apart, and one contract test suite runs against both.
 */
export interface Channel {
  send(message: ClientMessage): void;
  /** Deliver every message from the main process; returns a function that stops delivery. */
  listen(onMessage: (message: ServerMessage) => void): () => void;
  /** Called when the channel is gone for good: pending calls reject with this reason. */
  onClose?(listener: (reason: string) => void): void;
}

export function createApi(channel: Channel): AnvilApi {
  let nextId = 1;
  let closed: string | null = null;
  const pending = new Map<number, { resolve: (r: InvokeReply) => void; reject: (e: Error) => void }>();
  const listeners = new Map<StudioEvent, Set<(payload: never) => void>>();

  channel.listen((message) => {
    if (message.type === 'reply') {
      const call = pending.get(message.id);
      pending.delete(message.id);
      call?.resolve(message.reply);
    } else {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload as never);
    }
  });
  channel.onClose?.((reason) => {
    closed = reason;
    const error = new AnvilError({ code: 'disconnected', message: reason });
    for (const call of pending.values()) call.reject(error);
    pending.clear();
    for (const listener of listeners.get('app:disconnected') ?? []) listener({ reason } as never);
  });

  return {
    async invoke(op, args) {
      if (closed !== null) throw new AnvilError({ code: 'disconnected', message: closed });
      const id = nextId++;
      const reply = await new Promise<InvokeReply>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        channel.send({ type: 'invoke', id, op, args });
      });
      return unwrapReply(reply) as never;
    },
    on<E extends StudioEvent>(event: E, listener: (payload: StudioEvents[E]) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
}

/** The subset of the WebSocket API the browser transport uses (the browser's, or the `ws` package's in tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: (event: unknown) => void): void;
}

/** A channel over a WebSocket carrying the contract's messages as JSON text. */
export function socketChannel(socket: SocketLike): Channel {
  const queue: string[] = [];
  socket.addEventListener('open', () => {
    for (const data of queue.splice(0)) socket.send(data);
  });
  return {
    send(message) {
      const data = JSON.stringify(message);
      if (socket.readyState === 1) socket.send(data);
      else queue.push(data);
    },
    listen(onMessage) {
      let active = true;
      socket.addEventListener('message', (event) => {
        if (!active || typeof event.data !== 'string') return;
        onMessage(JSON.parse(event.data) as ServerMessage);
      });
      return () => {
        active = false;
      };
    },
    onClose(listener) {
      socket.addEventListener('close', () => listener('The connection to the studio closed. Reload to reconnect.'));
    },
  };
}
