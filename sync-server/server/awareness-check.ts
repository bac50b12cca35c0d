import * as decoding from 'lib0/decoding';

/** Most client states one awareness message may carry (a studio sends its own; the server relays many). */
export const MAX_AWARENESS_STATES = 1024;

/**
 * Why an awareness message (the part after the Hocuspocus document name and message type) is malformed, or
 * null when it decodes. y-protocols' `applyAwarenessUpdate` would throw on the same input inside Hocuspocus;
 * checking first lets the server close that one socket with a reason and never apply half of it.
 * Layout: varUint8Array( varUint count, count × (varUint clientID, varUint clock, varString JSON state) ).
 */
export function awarenessProblem(framed: Uint8Array): string | null {
  try {
    const outer = decoding.createDecoder(framed);
    const update = decoding.readVarUint8Array(outer);
    const d = decoding.createDecoder(update);
    const count = decoding.readVarUint(d);
    if (count > MAX_AWARENESS_STATES) return `invalid-awareness: ${count} states, at most ${MAX_AWARENESS_STATES}`;
    for (let i = 0; i < count; i++) {
      decoding.readVarUint(d);
      decoding.readVarUint(d);
      JSON.parse(decoding.readVarString(d));
    }
    if (decoding.hasContent(d)) return 'invalid-awareness: trailing bytes after the last state';
    return null;
  } catch (err) {
    return `invalid-awareness: ${(err as Error).message.slice(0, 80)}`;
  }
}
