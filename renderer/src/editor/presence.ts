import type { Awareness } from 'y-protocols/awareness';

/**
 * Presence: what an editor tells the others through the document's awareness (y-protocols), and how what they
 * say is read. Remote states come from other studios through the server, so they are untrusted input: every
 * field is checked and clipped before it reaches the screen or a style sheet.
 */
export interface PresenceUser {
  name: string;
  /** `#rrggbb`, from PRESENCE_COLORS. */
  color: string;
}

/** The local state an editor publishes (y-monaco adds `selection` while a Monaco editor has focus). */
export interface PresenceState {
  user: PresenceUser;
  /** The prompt this person has open, or null (the set is open, no prompt shown). */
  promptId: string | null;
}

/** A remote person in the document. */
export interface Peer {
  clientId: number;
  user: PresenceUser;
  promptId: string | null;
}

/**
 * Cursor colours: mid tones that stay readable as a 2 px caret and as the background of a white name label on
 * both the light and the dark theme (each has at least 4.5:1 contrast with white).
 */
export const PRESENCE_COLORS = [
  '#c92a2a',
  '#a61e4d',
  '#862e9c',
  '#5f3dc4',
  '#1864ab',
  '#0b7285',
  '#2b8a3e',
  '#a34700',
] as const;

const MAX_NAME = 64;

/** The same name always gets the same colour, in every studio (FNV-1a over the name's UTF-16 units). */
export function colorFor(name: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return PRESENCE_COLORS[hash % PRESENCE_COLORS.length] ?? PRESENCE_COLORS[0];
}

export function presenceUser(name: string): PresenceUser {
  const clean = cleanName(name) || 'Anonymous';
  return { name: clean, color: colorFor(clean) };
}

/** A display name from anything: control characters dropped, whitespace collapsed, at most 64 characters. */
export function cleanName(value: unknown): string {
  if (typeof value !== 'string') return '';
  const text = value
    .replace(/[\p{Cc}\u2028\u2029]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return [...text].slice(0, MAX_NAME).join('');
}

/** A remote state as a peer, or null when it says nothing usable (no user, or not an object). */
export function readPeer(clientId: number, state: unknown): Peer | null {
  if (typeof state !== 'object' || state === null) return null;
  const s = state as Record<string, unknown>;
  if (typeof s.user !== 'object' || s.user === null) return null;
  const u = s.user as Record<string, unknown>;
  const name = cleanName(u.name) || `Guest ${clientId % 1000}`;
  const color = typeof u.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(u.color) ? u.color : colorFor(name);
  const promptId = typeof s.promptId === 'string' && s.promptId.length <= 128 ? s.promptId : null;
  return { clientId, user: { name, color }, promptId };
}

/** Everyone else in the document with a usable state, sorted by name (stable lists for people and tests). */
export function peersOf(awareness: Awareness): Peer[] {
  const peers: Peer[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const peer = readPeer(clientId, state);
    if (peer) peers.push(peer);
  }
  return peers.sort((a, b) => a.user.name.localeCompare(b.user.name) || a.clientId - b.clientId);
}

/** Initials for an avatar: first letters of the first two words. */
export function initials(name: string): string {
  const words = name.split(/[\s._@-]+/).filter(Boolean);
  const letters = words.slice(0, 2).map((w) => [...w][0] ?? '');
  return letters.join('').toUpperCase() || '?';
}

/**
 * A CSS string literal holding `text`: every character that is not a plain letter, digit or space is written
 * as a hex escape, so no name can close the string, the rule or the style element.
 */
export function cssString(text: string): string {
  let out = '"';
  for (const ch of text) {
    out += /^[A-Za-z0-9 ]$/.test(ch) ? ch : `\\${(ch.codePointAt(0) ?? 0xfffd).toString(16)} `;
  }
  return `${out}"`;
}

/**
 * Style rules for y-monaco's remote selection decorations (`yRemoteSelection-<clientId>` on the selected range,
 * `yRemoteSelectionHead-<clientId>` on the caret), one set per peer in its colour, with the name as a label
 * above the caret.
 */
export function cursorStyles(peers: readonly Peer[]): string {
  return peers
    .map(({ clientId, user }) => {
      const id = Math.trunc(clientId);
      return [
        `.yRemoteSelection-${id} { background-color: ${user.color}40; }`,
        `.yRemoteSelectionHead-${id} { border-left: 2px solid ${user.color}; }`,
        `.yRemoteSelectionHead-${id}::after { content: ${cssString(user.name)}; background: ${user.color}; }`,
      ].join('\n');
    })
    .join('\n');
}
