import WebSocket from 'ws';

/**
 * The provider removes its listeners from a socket before closing it; `ws` then reports a close during the
 * handshake ("closed before the connection was established") as an 'error' with no listener, which would take the
 * whole studio down. The provider learns of every failure through 'close' as well, so that late error is dropped.
 */
export class GuardedWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    this.on('error', () => undefined);
  }
}
