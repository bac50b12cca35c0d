import { describe, expect, it } from 'vitest';
import { LruCache } from './parse-cache';

describe('LruCache', () => {
  it('evicts the least recently used entry past its entry bound', () => {
    const c = new LruCache<number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the most recent
    c.set('c', 3);
    expect([c.get('a'), c.get('b'), c.get('c')]).toEqual([1, undefined, 3]);
  });

  it('evicts past its character bound, and never stores a key larger than the bound', () => {
    const c = new LruCache<number>(100, 10);
    c.set('aaaa', 1);
    c.set('bbbb', 2);
    c.set('cccc', 3);
    expect([c.get('aaaa'), c.get('bbbb'), c.get('cccc')]).toEqual([undefined, 2, 3]);
    c.set('x'.repeat(11), 4);
    expect(c.get('x'.repeat(11))).toBeUndefined();
    expect(c.size).toBe(2);
  });

  it('a size of 0 caches nothing', () => {
    const c = new LruCache<number>(0);
    c.set('a', 1);
    expect(c.get('a')).toBeUndefined();
  });
});
