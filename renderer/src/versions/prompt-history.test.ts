import { describe, expect, it } from 'vitest';
import type { PromptSetContent } from '../../../shared/domain';
import { textPrompt } from '../../../shared/domain/fixtures';
import { knownPrompts, promptEvents, sameContent } from './prompt-history';

const set = (prompts: PromptSetContent['prompts']): PromptSetContent => ({
  id: 's1',
  projectId: 'p1',
  name: 'support',
  description: '',
  dependencies: {},
  prompts,
});

const history = [
  { key: '1.0.0', content: set([textPrompt('a', 'greeting', 'Hi'), textPrompt('b', 'bye', 'Bye')]) },
  { key: '1.0.1', content: set([textPrompt('a', 'greeting', 'Hello'), textPrompt('b', 'bye', 'Bye')]) },
  { key: '1.1.0', content: set([textPrompt('a', 'greeting', 'Hello'), textPrompt('b', 'farewell', 'Bye')]) },
  { key: '2.0.0', content: set([textPrompt('a', 'greeting', 'Hello')]) },
  { key: 'draft', content: set([textPrompt('a', 'greeting', 'Hello'), textPrompt('c', 'new', 'x')]) },
];

describe('prompt history', () => {
  it('finds the versions in which one prompt changed, by id through renames', () => {
    expect([...promptEvents(history, 'a')]).toEqual([
      ['1.0.0', { kind: 'added', name: 'greeting', previousName: null }],
      ['1.0.1', { kind: 'changed', name: 'greeting', previousName: null }],
    ]);
    expect([...promptEvents(history, 'b')]).toEqual([
      ['1.0.0', { kind: 'added', name: 'bye', previousName: null }],
      ['1.1.0', { kind: 'renamed', name: 'farewell', previousName: 'bye' }],
      ['2.0.0', { kind: 'removed', name: 'farewell', previousName: null }],
    ]);
    expect([...promptEvents(history, 'c').keys()]).toEqual(['draft']);
    expect(promptEvents(history, 'nope').size).toBe(0);
  });

  it('lists every prompt by its latest name, current ones first', () => {
    expect(knownPrompts(history)).toEqual([
      { id: 'a', name: 'greeting', removed: false },
      { id: 'c', name: 'new', removed: false },
      { id: 'b', name: 'farewell', removed: true },
    ]);
  });

  it('sees equal content whatever the key order', () => {
    const a = set([textPrompt('a', 'greeting', 'Hi')]);
    const { prompts, ...rest } = a;
    const b = JSON.parse(JSON.stringify({ prompts, ...rest })) as PromptSetContent;
    expect(sameContent(a, b)).toBe(true);
    expect(sameContent(a, history[0]?.content ?? a)).toBe(false);
  });
});
