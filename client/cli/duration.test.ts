import { describe, expect, it } from 'vitest';
import { parseExpiry, parseMoment } from './duration';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('parseExpiry', () => {
  it('reads durations from now and dates', () => {
    expect(parseExpiry('90m', NOW)).toBe(NOW + 90 * 60_000);
    expect(parseExpiry('12h', NOW)).toBe(NOW + 12 * 3_600_000);
    expect(parseExpiry('30d', NOW)).toBe(NOW + 30 * 86_400_000);
    expect(parseExpiry('2w', NOW)).toBe(NOW + 14 * 86_400_000);
    expect(parseExpiry('2027-01-31', NOW)).toBe(Date.parse('2027-01-31'));
    expect(parseExpiry('2026-06-01T12:00:00Z', NOW)).toBe(Date.parse('2026-06-01T12:00:00Z'));
  });

  it('refuses anything else with the forms it accepts', () => {
    for (const bad of ['', '30', '3x', '-1d', '1.5h', 'tomorrow', '1e3d'])
      expect(() => parseExpiry(bad, NOW)).toThrow(/not a duration/);
    expect(() => parseExpiry('0d', NOW)).toThrow(/at least 1m/);
    expect(() => parseExpiry('2025-01-01', NOW)).toThrow(/in the past/);
    expect(() => parseExpiry('2026-02-31', NOW)).toThrow(/not a real date/);
    expect(() => parseExpiry('2026-13-01', NOW)).toThrow(/not a real date/);
  });
});

describe('parseMoment', () => {
  it('reads a duration ago or a date', () => {
    expect(parseMoment('2h', NOW)).toBe(NOW - 2 * 3_600_000);
    expect(parseMoment('2025-12-31', NOW)).toBe(Date.parse('2025-12-31'));
    expect(() => parseMoment('yesterday', NOW)).toThrow(/not a duration ago/);
  });
});
