import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { createProjectDoc, createSetDoc, meta } from '../../../shared/doc';
import { openDatabase } from '../db';
import { createProjector } from '../projection';
import type { ProjectedDoc } from '../projection';
import { commitDocs, setContent, textPrompt } from '../projection/testing';
import { RANK_CAP, search } from './index';
import type { SearchHit, SearchOptions } from './index';

const project = (id: string, name: string): ProjectedDoc => ({
  docId: id,
  kind: 'project',
  doc: createProjectDoc({ id, name, description: '', editMode: 'open' }),
});
const set = (id: string, projectId: string, name: string, prompts: Parameters<typeof setContent>[3]): ProjectedDoc => ({
  docId: id,
  kind: 'set',
  doc: createSetDoc(setContent(id, projectId, name, prompts)),
});

let db: Database;
const docs: ProjectedDoc[] = [
  project('proj-a', 'acme'),
  project('proj-b', 'globex'),
  set('set-a', 'proj-a', 'support', [
    textPrompt('pa1', 'zebra', 'Say hi to {{ name }}.'),
    textPrompt('pa2', 'greeting', 'Hello {{ user_name }}, a zebra is here.', { description: 'greets a zebra keeper' }),
    textPrompt('pa3', 'farewell', 'Goodbye {{ name }}. The zebra waves [0] <b>bold</b>.'),
  ]),
  set('set-b', 'proj-b', 'support', [textPrompt('pb1', 'greeting', 'Hello from globex, zebra friends')]),
  set('set-trash', 'proj-a', 'old', [textPrompt('pt1', 'zebra-old', 'An old zebra')]),
];

const hits = (q: string, o: SearchOptions = {}): SearchHit[] => {
  const r = search(db, q, o);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const ids = (q: string, o: SearchOptions = {}): string[] => hits(q, o).map((h) => h.promptId);

beforeAll(() => {
  db = openDatabase(':memory:');
  const trashed = docs[4] as ProjectedDoc;
  meta(trashed.doc).set('deletedAt', 1);
  commitDocs(db, createProjector(), docs);
});

describe('search', () => {
  it('ranks a match in the name above description above body, and names set and project', () => {
    const order = ids('zebra ');
    expect(order.slice(0, 2)).toEqual(['pa1', 'pa2']); // name, then description
    expect(order.slice(2).sort()).toEqual(['pa3', 'pb1']); // body only
    const first = hits('zebra')[0];
    expect(first).toMatchObject({
      promptName: 'zebra',
      kind: 'text',
      setId: 'set-a',
      setName: 'support',
      projectId: 'proj-a',
      projectName: 'acme',
    });
  });

  it('marks matches in the snippet as parts, leaving brackets and markup as plain text', () => {
    const farewell = hits('waves').find((h) => h.promptId === 'pa3');
    expect(farewell?.snippet).toEqual([
      { text: 'Goodbye {{ name }}. The zebra ', match: false },
      { text: 'waves', match: true },
      { text: ' [0] <b>bold</b>.', match: false },
    ]);
  });

  it('matches the last word as a prefix while typing, and whole words after a space', () => {
    expect(ids('gree').sort()).toEqual(['pa2', 'pb1']);
    expect(ids('gree ')).toEqual([]);
    expect(ids('user')).toEqual(['pa2']); // user_name is one token; prefix finds it
    expect(ids('hello zeb').sort()).toEqual(['pa2', 'pb1']);
  });

  it('narrows to a project or a set and leaves trashed sets and projects out unless asked', () => {
    expect(ids('zebra', { setId: 'set-b' })).toEqual(['pb1']);
    expect(ids('greeting', { projectId: 'proj-a' })).toEqual(['pa2']);
    expect(ids('old')).toEqual([]);
    expect(ids('old', { includeTrashed: true })).toEqual(['pt1']);
    expect(ids('acme')).toHaveLength(3); // project name gives context
    // Filter tokens are out of reach of user words, even typed literally.
    expect(ids('trashed', { includeTrashed: true })).toEqual([]);
    expect(ids('\uE000trashed', { includeTrashed: true })).toEqual([]);
    expect(ids('\uE000s7365742d61', { includeTrashed: true })).toEqual([]);
  });

  it('pages', () => {
    const all = ids('zebra');
    expect(ids('zebra', { limit: 2 })).toEqual(all.slice(0, 2));
    expect(ids('zebra', { limit: 2, offset: 2 })).toEqual(all.slice(2, 4));
    expect(ids('zebra', { limit: Number.NaN, offset: -5 })).toEqual(all);
  });

  it.each([
    ['"unterminated', 0],
    ['NEAR(', 0],
    ['*', 0],
    ['AND', 0],
    [')', 0],
    ['', 0],
    ['   ', 0],
    ['😀', 0],
    ['zebra😀', 4],
    ['"zebra', 4],
    ['zebra AND', 0],
    ['NOT zebra', 0],
    ['name:zebra', 0],
    ['{body}: zebra', 0], // the words "body" and "zebra", not a column filter
    ['-zebra', 4],
    ['^zebra', 4],
    ['zebra\u0000', 4],
    ['ze\u0301bra', 4], // diacritics folded
  ])('searches malformed input %j as plain words', (q, n) => {
    const r = search(db, q);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toHaveLength(n);
  });

  it('answers very long input with a friendly invalid_query error', () => {
    const long = search(db, 'zebra '.repeat(2000));
    expect(long).toMatchObject({ ok: false, error: { code: 'invalid_query' } });
    if (!long.ok) expect(long.error.message).toMatch(/at most 1000 characters/);
    expect(search(db, Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '))).toMatchObject({
      ok: false,
      error: { code: 'invalid_query' },
    });
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme' }),
          fc.string({ unit: fc.constantFrom('"', '*', '(', ')', ':', '^', '-', '+', 'a', 'N', ' ', '{', '}') }),
        ),
        (q) => {
          const r = search(db, q);
          expect(r.ok || r.error.code === 'invalid_query').toBe(true);
        },
      ),
      { numRuns: process.env.ANVIL_SOAK === '1' ? 20_000 : 300 },
    );
  });
});

describe('search over more prompts than the rank cap', () => {
  it('stays exact for narrowed and rarer queries', () => {
    const big = openDatabase(':memory:');
    const many = Array.from({ length: RANK_CAP + 200 }, (_, i) =>
      textPrompt(`m${i}`, `m${i}`, i === RANK_CAP + 150 ? 'common needle' : 'common word'),
    );
    const late = set('set-late', 'proj-a', 'late', [textPrompt('l1', 'late', 'common late')]);
    commitDocs(big, createProjector(), [project('proj-a', 'acme'), set('set-many', 'proj-a', 'many', many), late]);
    const r = (q: string, o: SearchOptions = {}): string[] => {
      const res = search(big, q, o);
      return res.ok ? res.value.map((h) => h.promptId) : [];
    };
    expect(r('common')).toHaveLength(20);
    expect(r('common needle')).toEqual([`m${RANK_CAP + 150}`]);
    // The set's only prompt was indexed after more than RANK_CAP others matching "common".
    expect(r('common', { setId: 'set-late' })).toEqual(['l1']);
    big.close();
  });
});
