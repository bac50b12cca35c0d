/**
 * The version of Anvil's sync protocol (document layout and the messages around the Yjs sync protocol). A client
 * names the version it speaks in the WebSocket URL (`?protocol=N`); a different one is refused with a reason
 * naming both. A client that names none (the stock Hocuspocus provider) is served as speaking this version.
 * In shared/ so the server, the studio's sync client and the CLI all speak the same number.
 */
export const SYNC_PROTOCOL_VERSION = 1;

/** Query parameter of the WebSocket URL carrying the client's protocol version. */
export const PROTOCOL_PARAM = 'protocol';

/** Stateless message the server sends on each authenticated document connection. */
export interface HelloMessage {
  type: 'anvil:hello';
  protocol: number;
  accountId: string;
  readOnly: boolean;
}

/** Stateless message telling a read-only connection that its edit was dropped. */
export interface WriteRefusedMessage {
  type: 'anvil:write-refused';
  reason: string;
}

/** The reason a refused connection is given when the versions differ (the provider's authenticationFailed). */
export function protocolMismatchReason(client: string): string {
  return `protocol-mismatch: the client speaks protocol ${client}, this server speaks protocol ${SYNC_PROTOCOL_VERSION}`;
}
