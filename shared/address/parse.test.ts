import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AnvilError } from '../domain/result';
import { tagProblem } from '../domain/names';
import { formatAddress, parseAddress, setKey, tryParseAddress } from './index';
import type { Address, Selector } from './index';

function errorOf(input: string): AnvilError {
  try {
    parseAddress(input);
  } catch (e) {
    if (e instanceof AnvilError) return e;
    throw e;
  }
  throw new Error(`"${input}" parsed`);
}

describe('parseAddress: the forms of MISSION.md', () => {
  it.each<[string, Address]>([
    [
      '@acme/support@^1.2/greeting',
      { project: 'acme', set: 'support', selector: { kind: 'range', range: '^1.2' }, prompt: 'greeting' },
    ],
    [
      '@acme/support@2.1.0/welcome',
      { project: 'acme', set: 'support', selector: { kind: 'exact', version: '2.1.0' }, prompt: 'welcome' },
    ],
    [
      '@acme/support@latest/welcome',
      { project: 'acme', set: 'support', selector: { kind: 'tag', tag: 'latest' }, prompt: 'welcome' },
    ],
    ['@acme/support/welcome', { project: 'acme', set: 'support', selector: { kind: 'none' }, prompt: 'welcome' }],
    ['@acme/support', { project: 'acme', set: 'support', selector: { kind: 'none' } }],
    ['@acme/support@^1.2', { project: 'acme', set: 'support', selector: { kind: 'range', range: '^1.2' } }],
    ['@acme/common/header', { project: 'acme', set: 'common', selector: { kind: 'none' }, prompt: 'header' }],
    [
      '@acme/support@3.0.0-beta.2/x',
      { project: 'acme', set: 'support', selector: { kind: 'exact', version: '3.0.0-beta.2' }, prompt: 'x' },
    ],
  ])('%s', (input, expected) => {
    expect(parseAddress(input)).toEqual(expected);
    expect(formatAddress(expected)).toBe(input);
  });

  it('reads 1.2, 1.x, 1, x, * and || as ranges, as npm does', () => {
    for (const r of ['1.2', '1.x', '1', 'x', '*', '~1.2.3', '>=1.0.0', '^1.0.0||^2.0.0', 'v1']) {
      expect(parseAddress(`@a/b@${r}/c`).selector).toEqual({ kind: 'range', range: r });
    }
  });

  it('reads names that are not ranges as tags', () => {
    for (const t of ['latest', 'beta', 'next', 'canary', 'v2-preview', '2024-release']) {
      expect(parseAddress(`@a/b@${t}`).selector).toEqual({ kind: 'tag', tag: t });
    }
  });

  it('gives the dependency key of an address', () => {
    expect(setKey(parseAddress('@acme/support@^1.2/greeting'))).toBe('@acme/support');
  });
});

describe('parseAddress: errors name the problem and the column', () => {
  it.each<[string, number, RegExp]>([
    ['', 1, /cannot be empty/],
    ['acme/support/greeting', 1, /starts with "@"/],
    ['@acme/support /greeting', 14, /no whitespace/],
    ['@acme/support@>=1.0.0 <2.0.0', 22, /no whitespace/],
    ['@/support', 2, /project name after "@" is empty/],
    ['@acme', 6, /set name are missing/],
    ['@acme/', 7, /set name is empty/],
    ['@acme//greeting', 7, /set name is empty/],
    ['@acme/support/', 15, /prompt name after "\/" is empty/],
    ['@acme/support/greeting/extra', 23, /too many "\/"/],
    ['@Acme/support', 2, /bad project name: .*capital/],
    ['@acme/sup port', 10, /whitespace/],
    ['@acme/sup!port', 7, /bad set name: .*"!"/],
    ['@acme/.support', 7, /bad set name: .*must start/],
    ['@acme/support/Greeting', 15, /bad prompt name: .*capital/],
    ['@acme/support@/greeting', 15, /selector after "@" is empty/],
    ['@acme/support@01.0.0/greeting', 15, /leading zero/],
    ['@acme/support@1.02.0/greeting', 17, /leading zero/],
    ['@acme/support@1.2.3.4', 15, /not a valid version .* or range/],
    ['@acme/support@1.0.0+build', 20, /build metadata/],
    ['@acme/support@Latest', 15, /bad tag: .*capital/],
    ['@acme/support@1.0.0@2.0.0', 15, /not a valid version/],
    [`@acme/${'s'.repeat(65)}`, 7, /65 characters/],
  ])('%j → column %i', (input, column, message) => {
    const error = errorOf(input);
    expect(error.code).toBe('invalid_address');
    expect(error.column).toBe(column);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`column ${column}`);
  });

  it('accepts a 64-character name', () => {
    expect(parseAddress(`@acme/${'s'.repeat(64)}`).set).toHaveLength(64);
  });

  it('tryParseAddress returns the same error as a value', () => {
    const result = tryParseAddress('@acme');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'invalid_address', column: 6 });
  });
});

// Generators of valid parts, to check the round trip over far more addresses than a table can list.
const name = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,63}$/);
const num = fc.nat({ max: 999 }).map(String);
const version = fc
  .tuple(num, num, num, fc.option(fc.constantFrom('alpha', 'beta.1', 'rc.2', '0'), { nil: undefined }))
  .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre === undefined ? '' : `-${pre}`}`);
const range = fc.oneof(
  version.map((v) => `^${v}`),
  version.map((v) => `~${v}`),
  version.map((v) => `>=${v}`),
  fc.tuple(num, num).map(([a, b]) => `${a}.${b}`),
  num.map((a) => `${a}.x`),
  fc.tuple(version, version).map(([a, b]) => `^${a}||~${b}`),
  fc.constant('*'),
);
const selector: fc.Arbitrary<Selector> = fc.oneof(
  fc.constant<Selector>({ kind: 'none' }),
  version.map<Selector>((v) => ({ kind: 'exact', version: v })),
  range.map<Selector>((r) => ({ kind: 'range', range: r })),
  name.filter((t) => tagProblem(t) === null).map<Selector>((t) => ({ kind: 'tag', tag: t })),
);
const address: fc.Arbitrary<Address> = fc
  .tuple(name, name, selector, fc.option(name, { nil: undefined }))
  .map(([project, set, sel, prompt]) =>
    prompt === undefined ? { project, set, selector: sel } : { project, set, selector: sel, prompt },
  );

describe('parseAddress and formatAddress: properties', () => {
  it('round-trip every canonical address', () => {
    fc.assert(
      fc.property(address, (a) => {
        const text = formatAddress(a);
        expect(parseAddress(text)).toEqual(a);
        expect(formatAddress(parseAddress(text))).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('either parse or fail with invalid_address and a column inside the input', () => {
    const noisy = fc.oneof(
      fc.string({ maxLength: 40 }),
      address
        .map(formatAddress)
        .chain((s) => fc.nat({ max: s.length }).map((i) => s.slice(0, i) + ' /@^.A'[i % 6] + s.slice(i))),
    );
    fc.assert(
      fc.property(noisy, (s) => {
        const result = tryParseAddress(s);
        if (result.ok) expect(formatAddress(result.value)).toBe(s);
        else {
          expect(result.error.code).toBe('invalid_address');
          expect(result.error.column).toBeGreaterThanOrEqual(1);
          expect(result.error.column).toBeLessThanOrEqual(s.length + 1);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
