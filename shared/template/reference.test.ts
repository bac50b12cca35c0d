import { describe, expect, it } from 'vitest';
import { ALLOWED_FILTERS, ALLOWED_TAGS } from './allow-list';
import { createEngine } from './engine';
import { FILTER_REFERENCE, TAG_REFERENCE, filterReference, tagReference } from './reference';

describe('template reference', () => {
  it('describes exactly the allowed filters and tags', () => {
    expect(FILTER_REFERENCE.map((e) => e.name).sort()).toEqual([...ALLOWED_FILTERS].sort());
    expect(TAG_REFERENCE.map((e) => e.name).sort()).toEqual([...ALLOWED_TAGS].sort());
  });

  it('every entry has a signature naming it, a description and an example', () => {
    for (const e of [...FILTER_REFERENCE, ...TAG_REFERENCE]) {
      expect(e.signature, e.name).toContain(e.name);
      expect(e.description.length, e.name).toBeGreaterThan(3);
      expect(e.example.length, e.name).toBeGreaterThan(3);
    }
  });

  it('every example parses with the engine (the part before any →)', () => {
    const engine = createEngine();
    for (const e of [...FILTER_REFERENCE, ...TAG_REFERENCE]) {
      const source = (e.example.split(' → ')[0] ?? '').replace(/\\n/g, '\n');
      const complete = source.startsWith('{% if') && !source.includes('endif') ? `${source}x{% endif %}` : source;
      expect(() => engine.parse(complete), `${e.name}: ${complete}`).not.toThrow();
    }
  });

  it('looks entries up by name', () => {
    expect(filterReference('truncate')?.kind).toBe('filter');
    expect(tagReference('for')?.kind).toBe('tag');
    expect(filterReference('nope')).toBeUndefined();
  });
});
