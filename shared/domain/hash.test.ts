import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, contentHash } from './index';

/** The same value with every object's keys in another order. */
function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => shuffleKeys(v, seed + i));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const rotated =
      entries.length === 0
        ? entries
        : [...entries.slice(seed % entries.length), ...entries.slice(0, seed % entries.length)].reverse();
    return Object.fromEntries(rotated.map(([k, v], i) => [k, shuffleKeys(v, seed + i)]));
  }
  return value;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });

  it('drops undefined properties, and writes undefined in arrays as null (as JSON.stringify does)', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });

  it('does not depend on key order (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (value, seed) => {
        expect(canonicalJson(shuffleKeys(value, seed))).toBe(canonicalJson(value));
      }),
    );
  });

  it('round-trips through JSON.parse to an equal value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(JSON.parse(canonicalJson(value)))).toBe(canonicalJson(value));
      }),
    );
  });
});

describe('contentHash', () => {
  it('is sha256 of the canonical JSON, in hex', async () => {
    // sha256("{}")
    expect(await contentHash({})).toBe('sha256-44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    expect(await contentHash({ z: 1, a: 2 })).toBe(await contentHash({ a: 2, z: 1 }));
    expect(await contentHash({ a: 1 })).not.toBe(await contentHash({ a: 2 }));
    expect(await contentHash([1, 2])).toMatch(/^sha256-[0-9a-f]{64}$/);
  });
});
