import { describe, expect, it } from 'vitest';
import { moveItem, moveTo, untitledName } from './list-order';

describe('prompt list order', () => {
  it('moves up and down, clamped at the ends', () => {
    expect(moveItem(['a', 'b', 'c'], 'b', -1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 'b', 1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 'a', -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 'x', 1)).toEqual(['a', 'b', 'c']);
  });
  it('moves onto a drop target', () => {
    expect(moveTo(['a', 'b', 'c', 'd'], 'a', 'c')).toEqual(['b', 'c', 'a', 'd']);
    expect(moveTo(['a', 'b', 'c', 'd'], 'd', 'b')).toEqual(['a', 'd', 'b', 'c']);
  });
  it('names new prompts untitled, untitled-2, …', () => {
    expect(untitledName(new Set())).toBe('untitled');
    expect(untitledName(new Set(['untitled', 'untitled-2']))).toBe('untitled-3');
  });
});
