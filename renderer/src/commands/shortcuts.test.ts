import { describe, expect, it } from 'vitest';
import { formatShortcut, matchesShortcut } from './shortcuts';

const key = (k: string, code: string, mods: Partial<Record<'ctrl' | 'meta' | 'alt' | 'shift', boolean>> = {}) => ({
  key: k,
  code,
  ctrlKey: !!mods.ctrl,
  metaKey: !!mods.meta,
  altKey: !!mods.alt,
  shiftKey: !!mods.shift,
});

describe('shortcuts', () => {
  it('Mod is Ctrl elsewhere and Cmd on macOS', () => {
    expect(matchesShortcut(key('k', 'KeyK', { ctrl: true }), 'Mod+K', false)).toBe(true);
    expect(matchesShortcut(key('k', 'KeyK', { meta: true }), 'Mod+K', false)).toBe(false);
    expect(matchesShortcut(key('k', 'KeyK', { meta: true }), 'Mod+K', true)).toBe(true);
    expect(matchesShortcut(key('k', 'KeyK', { ctrl: true }), 'Mod+K', true)).toBe(false);
  });

  it('modifiers must match exactly', () => {
    expect(matchesShortcut(key('F', 'KeyF', { ctrl: true, shift: true }), 'Mod+Shift+F', false)).toBe(true);
    expect(matchesShortcut(key('f', 'KeyF', { ctrl: true }), 'Mod+Shift+F', false)).toBe(false);
    expect(matchesShortcut(key('K', 'KeyK', { ctrl: true, shift: true }), 'Mod+K', false)).toBe(false);
  });

  it('falls back to the physical key when Alt or Shift changes the character', () => {
    expect(matchesShortcut(key('˜', 'KeyN', { alt: true }), 'Alt+N', true)).toBe(true);
    expect(matchesShortcut(key('?', 'Slash', { ctrl: true, shift: true }), 'Mod+Shift+/', false)).toBe(true);
  });

  it('function keys', () => {
    expect(matchesShortcut(key('F8', 'F8'), 'F8', false)).toBe(true);
    expect(matchesShortcut(key('F8', 'F8', { shift: true }), 'Shift+F8', false)).toBe(true);
    expect(matchesShortcut(key('F8', 'F8', { shift: true }), 'F8', false)).toBe(false);
  });

  it('formats for the platform', () => {
    expect(formatShortcut('Mod+Shift+F', false)).toBe('Ctrl+Shift+F');
    expect(formatShortcut('Mod+Shift+F', true)).toBe('⇧⌘F');
    expect(formatShortcut('F8', false)).toBe('F8');
  });
});
