import { describe, expect, it } from 'vitest';
import type { ChatItem } from '../domain';
import { compareMessages } from './messages';
import { limitsOf } from './text';

const limits = limitsOf();
const sys = (content: string): ChatItem => ({ type: 'message', role: 'system', content });
const user = (content: string): ChatItem => ({ type: 'message', role: 'user', content });
const bot = (content: string): ChatItem => ({ type: 'message', role: 'assistant', content });
const history: ChatItem = { type: 'history', name: 'history' };

/** One line per message: status, indexes and roles, for compact expectations. */
const shape = (before: ChatItem[], after: ChatItem[]): string[] =>
  compareMessages(before, after, limits).map(
    (m) => `${m.status} ${m.beforeIndex ?? '-'}→${m.afterIndex ?? '-'} ${m.beforeRole ?? '-'}→${m.afterRole ?? '-'}`,
  );

describe('compareMessages', () => {
  const base = [sys('Classify.'), history, user('{{ input }}')];

  it('an inserted message is one added, the ones after it stay unchanged', () => {
    expect(shape(base, [sys('Classify.'), bot('Example answer'), history, user('{{ input }}')])).toEqual([
      'unchanged 0→0 system→system',
      'added -→1 -→assistant',
      'unchanged 1→2 history→history',
      'unchanged 2→3 user→user',
    ]);
  });

  it('a removed message is one removed, at its old place', () => {
    expect(shape(base, [sys('Classify.'), user('{{ input }}')])).toEqual([
      'unchanged 0→0 system→system',
      'removed 1→- history→-',
      'unchanged 2→1 user→user',
    ]);
  });

  // Words are diffed as tokens (punctuation apart), so "Classify." → "Classify the ticket." adds two words.
  it('an edited message stays paired with its old self, with the text diff and stats', () => {
    const [first, second, third] = compareMessages(
      base,
      [sys('Classify the ticket.'), history, user('{{ input }}')],
      limits,
    );
    expect(first).toMatchObject({ status: 'changed', beforeIndex: 0, afterIndex: 0 });
    expect(first?.text.mode).toBe('diff');
    expect(first?.text.hunks[0]?.lines).toEqual(['-Classify.', '+Classify the ticket.']);
    expect(first?.text.stats).toEqual({ linesAdded: 1, linesRemoved: 1, wordsAdded: 2, wordsRemoved: 0 });
    expect([second?.status, third?.status]).toEqual(['unchanged', 'unchanged']);
  });

  it('an edit next to an insertion pairs by role, not by position', () => {
    expect(shape([sys('A'), user('Q')], [sys('A'), bot('Example'), user('Q, please')])).toEqual([
      'unchanged 0→0 system→system',
      'added -→1 -→assistant',
      'changed 1→2 user→user',
    ]);
  });

  it('a role change is one changed message with both roles', () => {
    const [m] = compareMessages([user('Hi')], [bot('Hi')], limits);
    expect(m).toMatchObject({ status: 'changed', beforeRole: 'user', afterRole: 'assistant' });
    expect(m?.text.mode).toBe('equal');
  });

  it('the history placeholder is a message of role history whose text is its name', () => {
    const [m] = compareMessages([history], [{ type: 'history', name: 'conversation' }], limits);
    expect(m).toMatchObject({ status: 'changed', beforeRole: 'history', afterRole: 'history' });
    expect(m?.text.hunks[0]?.lines).toEqual(['-history', '+conversation']);
  });

  it('past the edit-length bound, aligns by role, then by position, and still returns every message', () => {
    const tight = limitsOf({ maxEditLength: 1 });
    const out = compareMessages([sys('A'), user('Q')], [sys('A'), bot('X'), bot('Y'), user('Q')], tight);
    expect(out.map((m) => `${m.status} ${m.beforeIndex ?? '-'}→${m.afterIndex ?? '-'}`)).toEqual([
      'unchanged 0→0',
      'changed 1→1',
      'added -→2',
      'added -→3',
    ]);
  });

  it('an added message counts all its lines and words as added', () => {
    const [m] = compareMessages([], [user('two words\nand three more')], limits);
    expect(m).toMatchObject({ status: 'added', beforeIndex: null, afterIndex: 0 });
    expect(m?.text.stats).toEqual({ linesAdded: 2, linesRemoved: 0, wordsAdded: 5, wordsRemoved: 0 });
  });
});
