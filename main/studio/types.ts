import type { ClientMessage, ServerMessage } from '../../shared/contract';

/**
 * The main process's side of the contract, shared by both transports. A transport (Electron IPC in
 * `main/electron/`, the WebSocket server in `main/web/`) registers each renderer as a client, passes its
 * messages to `receive`, and writes what `send` gets back to that renderer. Operations, validation, the doc
 * replica relay and events all live behind this, so both transports behave the same by construction.
 */
export interface StudioHost {
  /** A renderer connected; `send` delivers replies and events to it. */
  connect(send: (message: ServerMessage) => void): StudioClient;
  /** Flush pending writes and close the workspace. */
  close(): Promise<void>;
}

export interface StudioClient {
  readonly id: string;
  /** An untrusted message from the renderer: validated, dispatched, answered through `send`. */
  receive(message: unknown): void;
  /** The renderer is gone: drop its document subscriptions. */
  disconnect(): void;
}

export type { ClientMessage, ServerMessage };
