import { describe, expect, it } from 'vitest';
import { formatStats, formatValue } from './format';
import { compareHref, parseSide, sideLabel } from './sides';

describe('versions formatting', () => {
  it('writes comparison values as one short line', () => {
    expect(formatValue(undefined)).toBe('—');
    expect(formatValue(null)).toBe('—');
    expect(formatValue('')).toBe('(empty)');
    expect(formatValue(['free', 'pro'])).toBe('"free", "pro"');
    expect(formatValue({ model: 'gpt-4o' })).toBe('{"model":"gpt-4o"}');
    expect(formatValue(false)).toBe('false');
    expect(formatStats({ linesAdded: 2, linesRemoved: 1, wordsAdded: 6, wordsRemoved: 1 })).toBe(
      '+2 −1 lines, +6 −1 words',
    );
  });

  it('reads and writes the compare address', () => {
    expect(parseSide('draft')).toEqual({ kind: 'draft' });
    expect(parseSide('1.2.0')).toEqual({ kind: 'version', version: '1.2.0' });
    expect(parseSide('')).toBeNull();
    expect(sideLabel({ kind: 'draft' })).toBe('Draft');
    expect(compareHref('s1', '1.0.0', 'draft', 'p 1')).toBe('/sets/s1/compare?from=1.0.0&to=draft&prompt=p+1');
  });
});
