import { fromBase64, toBase64 } from 'lib0/buffer';

/** Yjs updates cross the contract as base64 text (both transports carry JSON). */
export const encodeUpdate = (update: Uint8Array): string => toBase64(update);
export const decodeUpdate = (text: string): Uint8Array => fromBase64(text);
