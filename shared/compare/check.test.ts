import { describe, expect, it } from 'vitest';
import { AnvilError, type PromptSetContent } from '../domain';
import { textPrompt } from '../domain/fixtures';
import { compareSets } from './index';

const good = {
  id: 's1',
  projectId: 'p1',
  name: 'support',
  description: '',
  dependencies: {},
  prompts: [textPrompt('g1', 'greeting', 'Hello')],
} as PromptSetContent;

/** The error compareSets throws for an after side of this shape. */
function refusal(after: unknown): AnvilError {
  try {
    compareSets(good, after as PromptSetContent);
  } catch (e) {
    if (e instanceof AnvilError) return e;
    throw e;
  }
  throw new Error('compareSets accepted malformed content');
}

describe('compareSets on bad input', () => {
  it.each<[string, unknown, string]>([
    ['not an object', null, 'Cannot compare: the after content is not a prompt set.'],
    ['no prompt list', { ...good, prompts: 'x' }, 'Cannot compare: the after prompt set has no prompt list.'],
    [
      'a text prompt without its template',
      { ...good, prompts: [{ id: 'g1', name: 'greeting', kind: 'text' }] },
      'Cannot compare: the after prompt greeting is a text prompt without a template.',
    ],
    [
      'an unknown kind',
      { ...good, prompts: [{ id: 'g1', name: 'greeting', kind: 'audio' }] },
      'Cannot compare: the after prompt greeting has an unknown kind "audio".',
    ],
    [
      'a malformed chat message',
      { ...good, prompts: [{ id: 'c1', name: 'chat', kind: 'chat', messages: [{ type: 'message', role: 'user' }] }] },
      'Cannot compare: the after prompt chat has a malformed message at index 0.',
    ],
    [
      'a malformed parameter',
      { ...good, prompts: [{ ...textPrompt('g1', 'greeting', 'Hi'), parameters: [{ name: 'x' }] }] },
      'Cannot compare: the after prompt greeting has a malformed parameter at index 0.',
    ],
    [
      'a prompt that is not an object',
      { ...good, prompts: [42] },
      'Cannot compare: the after prompt #1 is not an object.',
    ],
  ])('%s: an invalid_comparison_input error naming the problem', (_label, after, message) => {
    const e = refusal(after);
    expect(e.code).toBe('invalid_comparison_input');
    expect(e.message).toBe(message);
  });

  it('fills fields the schema defaults, so older or partial content still compares', () => {
    const partial = {
      id: 's1',
      projectId: 'p1',
      name: 'support',
      prompts: [{ id: 'g1', name: 'greeting', kind: 'text', template: 'Hello' }],
    };
    const c = compareSets(good, partial as unknown as PromptSetContent);
    expect(c.classification.changeClass).toBe('none');
    expect(c.prompts.map((p) => p.status)).toEqual(['unchanged']);
  });

  it('compares a draft in the middle of an edit (two prompts with one name)', () => {
    const draft = { ...good, prompts: [...good.prompts, textPrompt('g2', 'greeting', 'Hello again')] };
    const c = compareSets(good, draft);
    expect(c.prompts.map((p) => `${p.promptId}:${p.status}`)).toEqual(['g1:unchanged', 'g2:added']);
  });
});
