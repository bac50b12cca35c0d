import { describe, expect, it } from 'vitest';
import { PRESENCE_COLORS, cleanName, colorFor, cssString, cursorStyles, initials, readPeer } from './presence';

describe('presence', () => {
  it('a name always gets the same colour from the palette', () => {
    expect(colorFor('Ada Lovelace')).toBe(colorFor('Ada Lovelace'));
    expect(PRESENCE_COLORS).toContain(colorFor('Ada Lovelace'));
    const spread = new Set(['ada', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'].map(colorFor));
    expect(spread.size).toBeGreaterThan(3);
  });

  it('remote states are read defensively', () => {
    expect(readPeer(1, null)).toBeNull();
    expect(readPeer(1, { user: 'x' })).toBeNull();
    expect(readPeer(7, { user: { name: 'Ada', color: 'red; } body { x' }, promptId: 5 })).toEqual({
      clientId: 7,
      user: { name: 'Ada', color: colorFor('Ada') },
      promptId: null,
    });
    expect(readPeer(1042, { user: { name: '\u0000\n ' } })?.user.name).toBe('Guest 42');
    expect(cleanName('x'.repeat(100))).toHaveLength(64);
    expect(cleanName('a\nb\u2028c')).toBe('a b c');
  });

  it('names cannot escape the CSS string they are put in', () => {
    const hostile = '"; } body { display: none } .x::after { content: "\\';
    const css = cursorStyles([{ clientId: 3, user: { name: hostile, color: '#1864ab' }, promptId: null }]);
    const literal = cssString(hostile);
    expect(literal.slice(1, -1)).not.toMatch(/["{};\\](?![0-9a-f]+ )/);
    expect(css).toContain(`content: ${literal}`);
    expect(css.match(/\{/g)).toHaveLength(3);
    expect(cssString('Ada 1')).toBe('"Ada 1"');
  });

  it('initials', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('bob')).toBe('B');
    expect(initials('')).toBe('?');
  });
});
