/**
 * Shortcut strings as commands declare them ('Mod+K', 'Mod+Shift+F', 'Alt+N', 'F8', 'Shift+F8'): matching a
 * keydown against one, and showing one the way the platform writes it. `Mod` is Cmd on macOS, Ctrl elsewhere.
 */
interface Parsed {
  ctrl: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
  key: string;
}

export function parseShortcut(shortcut: string, mac: boolean): Parsed {
  const parts = shortcut.split('+');
  // 'Mod++' ends in an empty part: the key is '+'.
  const key = parts[parts.length - 1] === '' ? '+' : (parts.pop() ?? '');
  const mods = new Set(parts.filter((p) => p !== '').map((p) => p.toLowerCase()));
  return {
    ctrl: mods.has('ctrl') || (!mac && mods.has('mod')),
    meta: mods.has('meta') || mods.has('cmd') || (mac && mods.has('mod')),
    alt: mods.has('alt') || mods.has('option'),
    shift: mods.has('shift'),
    key,
  };
}

interface KeyLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export function matchesShortcut(event: KeyLike, shortcut: string, mac: boolean): boolean {
  const want = parseShortcut(shortcut, mac);
  if (event.ctrlKey !== want.ctrl || event.metaKey !== want.meta) return false;
  if (event.altKey !== want.alt || event.shiftKey !== want.shift) return false;
  const key = want.key.toLowerCase();
  if (event.key.toLowerCase() === key) return true;
  // Alt and Shift change event.key ('Alt+N' is '˜' on a Mac, 'Shift+/' is '?'): fall back to the physical key.
  if (/^[a-z]$/.test(key)) return event.code === `Key${key.toUpperCase()}`;
  if (/^[0-9]$/.test(key)) return event.code === `Digit${key}`;
  const codes: Record<string, string> = {
    '/': 'Slash',
    '.': 'Period',
    ',': 'Comma',
    '[': 'BracketLeft',
    ']': 'BracketRight',
    ';': 'Semicolon',
    '-': 'Minus',
    '=': 'Equal',
    '\\': 'Backslash',
    '`': 'Backquote',
  };
  return codes[key] !== undefined && event.code === codes[key];
}

/** 'Mod+Shift+F' as '⌘⇧F' on macOS, 'Ctrl+Shift+F' elsewhere. */
export function formatShortcut(shortcut: string, mac: boolean): string {
  const p = parseShortcut(shortcut, mac);
  const key = p.key.length === 1 ? p.key.toUpperCase() : p.key;
  if (mac) return `${p.ctrl ? '⌃' : ''}${p.alt ? '⌥' : ''}${p.shift ? '⇧' : ''}${p.meta ? '⌘' : ''}${key}`;
  return [p.ctrl && 'Ctrl', p.meta && 'Meta', p.alt && 'Alt', p.shift && 'Shift', key].filter(Boolean).join('+');
}
