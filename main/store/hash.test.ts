import { describe, expect, it } from 'vitest';
import { contentHash } from '../../shared/domain';
import { hashOf } from './hash';

describe('hashOf', () => {
  it('equals the shared async contentHash for the same content, whatever the key order', async () => {
    const values = [
      { b: 1, a: [1, 'é', { z: null, y: undefined }] },
      { id: 'x', prompts: [{ name: 'greeting', template: 'Hello {{ name }} 👋' }] },
      'plain',
      [],
    ];
    for (const v of values) expect(hashOf(v)).toBe(await contentHash(v));
    expect(hashOf({ a: 1, b: 2 })).toBe(hashOf({ b: 2, a: 1 }));
    expect(hashOf({ a: 1 })).toMatch(/^sha256-[0-9a-f]{64}$/);
  });
});
