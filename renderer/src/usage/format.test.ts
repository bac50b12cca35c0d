import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatInteger,
  formatMs,
  formatPercent,
  formatUsd,
  groupLabel,
  promptUsageText,
  rate,
  usdTicks,
} from './format';

describe('analytics formatting', () => {
  it('counts: short with at most three significant digits', () => {
    expect([0, 987, 1000, 1234, 12_000, 12_345, 123_456, 999_999].map(formatCount)).toEqual([
      '0',
      '987',
      '1k',
      '1.23k',
      '12k',
      '12.3k',
      '123k',
      '1M',
    ]);
    expect(formatCount(1_234_567)).toBe('1.23M');
    expect(formatCount(2_500_000_000)).toBe('2.5B');
    expect(formatInteger(12_345)).toBe('12,345');
  });

  it('latency: sub-millisecond, milliseconds, seconds, and a dash when there is none', () => {
    expect([0.424, 3, 3.24, 120.4, 1500, 12_345].map(formatMs)).toEqual([
      '0.42 ms',
      '3 ms',
      '3.2 ms',
      '120 ms',
      '1.5 s',
      '12.3 s',
    ]);
    expect(formatMs(null)).toBe('—');
  });

  it('cost: cents, thousands, and tiny costs that do not read as zero', () => {
    expect([0, 4.1, 12_345.678, 0.0042, 0.000123].map(formatUsd)).toEqual([
      '$0.00',
      '$4.10',
      '$12,345.68',
      '$0.0042',
      '$0.00012',
    ]);
  });

  it('cost axis ticks keep the decimals of their step', () => {
    expect(usdTicks([0, 0.025, 0.05, 0.075])).toEqual(['$0.000', '$0.025', '$0.050', '$0.075']);
    expect(usdTicks([0, 0.1 + 0.2, 0.6])).toEqual(['$0.00', '$0.30', '$0.60']);
    expect(usdTicks([0, 2, 4])).toEqual(['$0.00', '$2.00', '$4.00']);
    expect(usdTicks([1])).toEqual(['$1.00']);
  });

  it('rates: none without renders, a floor for tiny ones', () => {
    expect(formatPercent(rate(0, 0))).toBe('—');
    expect(formatPercent(rate(0, 10))).toBe('0%');
    expect(formatPercent(rate(1, 5000))).toBe('<0.1%');
    expect(formatPercent(rate(3, 250))).toBe('1.2%');
    expect(formatPercent(rate(1, 8))).toBe('13%');
    expect(formatPercent(1)).toBe('100%');
  });

  it("the editor's line reads like the issue's example", () => {
    expect(promptUsageText({ renders: 12_000, latencyP95Ms: 3, costUsd: 4.1 })).toBe(
      '12k renders last 7 days, p95 3 ms, $4.10',
    );
    expect(promptUsageText({ renders: 1, latencyP95Ms: 0.5, costUsd: 0 })).toBe(
      '1 render last 7 days, p95 0.5 ms, $0.00',
    );
    expect(promptUsageText({ renders: 0, latencyP95Ms: null, costUsd: 0 })).toBe('no renders in the last 7 days');
  });

  it('names groups without a key by what is missing', () => {
    expect(groupLabel('1.0.0', 'version')).toBe('1.0.0');
    expect(groupLabel(null, 'error')).toBe('no error');
    expect(groupLabel(null, 'variant')).toBe('no variant');
    expect(groupLabel(null, 'experiment')).toBe('no experiment');
    expect(groupLabel(null, 'version')).toBe('unresolved');
    expect(groupLabel('', 'model')).toBe('no model');
  });
});
