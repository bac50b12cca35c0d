import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { base64, integrityOf, isIntegrity, sameIntegrity } from './index';

describe('base64', () => {
  it('encodes the RFC 4648 test vectors', () => {
    const enc = (s: string): string => base64(new TextEncoder().encode(s));
    expect(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map(enc)).toEqual([
      '',
      'Zg==',
      'Zm8=',
      'Zm9v',
      'Zm9vYg==',
      'Zm9vYmE=',
      'Zm9vYmFy',
    ]);
  });

  it('agrees with Node for any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(base64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      }),
    );
  });
});

describe('integrityOf', () => {
  it('is sha512 over the exact bytes in SRI form, as npm writes dist.integrity', async () => {
    const bytes = new TextEncoder().encode('{"a":1}');
    const expected = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
    expect(await integrityOf(bytes)).toBe(expected);
    expect(isIntegrity(expected)).toBe(true);
  });

  it('changes when a single byte changes', async () => {
    const a = new TextEncoder().encode('hello world');
    const b = a.slice();
    b[3] = (b[3] as number) ^ 1;
    expect(await integrityOf(a)).not.toBe(await integrityOf(b));
  });
});

describe('sameIntegrity', () => {
  it('matches equal digests only', async () => {
    const a = await integrityOf(new TextEncoder().encode('a'));
    const b = await integrityOf(new TextEncoder().encode('b'));
    expect(sameIntegrity(a, a)).toBe(true);
    expect(sameIntegrity(a, `${a}`)).toBe(true);
    expect(sameIntegrity(a, b)).toBe(false);
  });

  it('never matches a malformed, truncated, empty or weaker integrity', async () => {
    const a = await integrityOf(new TextEncoder().encode('a'));
    for (const bad of ['', 'sha512-', a.slice(0, -4), `sha1-${a.slice(7)}`, ` ${a}`, a.replace('sha512', 'SHA512')])
      expect(sameIntegrity(a, bad)).toBe(false);
    expect(sameIntegrity('garbage', 'garbage')).toBe(false);
  });
});
