import { describe, expect, it } from 'vitest';
import { murmur3, murmur3String } from './hash';

// Published MurmurHash3_x86_32 vectors (SMHasher's reference implementation; the same values are listed with
// most ports, e.g. the verification table in the "MurmurHash3 test vectors" answer on Stack Overflow).
const VECTORS: [input: string, seed: number, hash: number][] = [
  ['', 0, 0x00000000],
  ['', 1, 0x514e28b7],
  ['', 0xffffffff, 0x81f16f39],
  ['a', 0x9747b28c, 0x7fa09ea6],
  ['aa', 0x9747b28c, 0x5d211726],
  ['aaa', 0x9747b28c, 0x283e0130],
  ['aaaa', 0x9747b28c, 0x5a97808a],
  ['ab', 0x9747b28c, 0x74875592],
  ['abc', 0x9747b28c, 0xc84a62dd],
  ['abcd', 0x9747b28c, 0xf0478627],
  ['abc', 0, 0xb3dd93fa],
  ['Hello, world!', 0x9747b28c, 0x24884cba],
  ['Hello, world!', 1234, 0xfaf6cdb3],
  ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
  ['The quick brown fox jumps over the lazy dog', 0, 0x2e4ff723],
];

describe('MurmurHash3 x86_32', () => {
  it.each(VECTORS)('hashes %j with seed %i to the published value', (input, seed, hash) => {
    expect(murmur3String(input, seed)).toBe(hash);
  });

  it('hashes bytes, including the all-zero and all-one blocks', () => {
    expect(murmur3(new Uint8Array([0, 0, 0, 0]), 0)).toBe(0x2362f9de);
    expect(murmur3(new Uint8Array([0xff, 0xff, 0xff, 0xff]), 0)).toBe(0x76293b50);
  });

  it('hashes a string as its UTF-8 bytes', () => {
    const text = 'Zoë 🙂';
    expect(murmur3String(text, 7)).toBe(murmur3(new TextEncoder().encode(text), 7));
    expect(murmur3String('ππππ', 0x9747b28c)).toBe(0x474dc9a8);
    // Every UTF-8 length (1 to 4 bytes), a lone surrogate (U+FFFD, as TextEncoder writes it), a long key.
    for (const t of ['a', 'é', '€', '🙂', 'x\ud800y', '\udc00', 'end\ud83d', 'ü'.repeat(500) + '🙂'.repeat(300)])
      expect(murmur3String(t, 42)).toBe(murmur3(new TextEncoder().encode(t), 42));
  });

  it('always answers an unsigned 32-bit integer', () => {
    for (let i = 0; i < 1000; i++) {
      const h = murmur3String(`k${i}`);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
    }
  });
});
