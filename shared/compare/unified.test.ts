import { describe, expect, it } from 'vitest';
import { PromptSetContent, type Prompt } from '../domain';
import { textPrompt } from '../domain/fixtures';
import { compareSets, unifiedDiff } from './index';
import { typeText } from './parameters';

function set(prompts: Prompt[], over: Partial<PromptSetContent> = {}): PromptSetContent {
  return PromptSetContent.parse({ id: 'set1', projectId: 'p1', name: 'support', prompts, ...over });
}

const labels = { before: 'support@1.0.0', after: 'support@draft' };
const chat = (messages: Extract<Prompt, { kind: 'chat' }>['messages']): Prompt => ({
  id: 'c1',
  name: 'classify',
  description: '',
  kind: 'chat',
  messages,
  parameters: [],
  model: null,
  metadata: {},
});

describe('unifiedDiff', () => {
  it('prints a header, the set changes, and a section per changed prompt with its hunks', () => {
    const before = set([
      textPrompt('g1', 'greeting', 'Hello {{ name }}\nHow can I help?', {
        parameters: [{ name: 'name', type: { type: 'string' }, required: true, description: '' }],
      }),
      textPrompt('w1', 'welcome', 'Welcome aboard.'),
      chat([
        { type: 'message', role: 'system', content: 'Classify.' },
        { type: 'message', role: 'user', content: '{{ ticket }}' },
      ]),
    ]);
    const after = set(
      [
        textPrompt('g1', 'hello', 'Hello {{ name }}\nHow may I help?', {
          parameters: [
            { name: 'name', type: { type: 'string' }, required: false, description: '' },
            {
              name: 'tone',
              type: { type: 'string', enum: ['calm', 'warm'] },
              required: false,
              default: 'calm',
              description: '',
            },
          ],
        }),
        chat([
          { type: 'message', role: 'system', content: 'Classify.' },
          { type: 'message', role: 'assistant', content: 'Label:' },
          { type: 'message', role: 'user', content: '{{ ticket }}' },
        ]),
      ],
      { description: 'Support prompts' },
    );
    const text = unifiedDiff(compareSets(before, after), labels);
    expect(text).toBe(
      [
        'anvil diff a/support@1.0.0 b/support@draft',
        'change: major',
        'prompts: 0 added, 1 removed, 1 renamed, 1 changed, 0 unchanged; +2 -2 lines, +2 -3 words',
        'set description: "" → "Support prompts"',
        'reason (patch): the set description changed',
        '',
        'diff --anvil a/support@1.0.0/greeting b/support@draft/hello',
        'renamed from greeting to hello',
        'parameter ~ name: required true → false',
        'parameter + tone: "calm" | "warm", optional, default "calm"',
        'reason (major): hello: prompt `greeting` was renamed to `hello`',
        'reason (minor): hello: optional parameter `tone` was added',
        'reason (minor): hello: parameter `name` became optional',
        'reason (patch): hello: template text changed',
        '--- a/support@1.0.0/greeting',
        '+++ b/support@draft/hello',
        '@@ -1,2 +1,2 @@',
        ' Hello {{ name }}',
        '-How can I help?',
        '+How may I help?',
        '',
        'diff --anvil a/support@1.0.0/welcome b/support@draft/welcome',
        'deleted text prompt',
        'reason (major): welcome: prompt `welcome` was removed',
        '--- a/support@1.0.0/welcome',
        '+++ /dev/null',
        '@@ -1,1 +0,0 @@',
        '-Welcome aboard.',
        '',
        'diff --anvil a/support@1.0.0/classify b/support@draft/classify',
        'reason (patch): classify: chat messages changed',
        '--- a/support@1.0.0/classify',
        '+++ b/support@draft/classify',
        '@@ message - → #2 assistant (added) @@',
        '@@ -0,0 +1,1 @@',
        '+Label:',
        '',
      ].join('\n'),
    );
  });

  it('prints a replaced text whole, and nothing but the header for equal sets', () => {
    const before = set([textPrompt('g1', 'greeting', 'a\nb\nc')]);
    const after = set([textPrompt('g1', 'greeting', 'x\ny')]);
    const text = unifiedDiff(compareSets(before, after, { maxEditLength: 1 }), labels);
    expect(text).toContain(
      ['@@ -1,3 +1,2 @@ replaced whole (too different to diff line by line)', '-a', '-b', '-c', '+x', '+y'].join('\n'),
    );
    expect(unifiedDiff(compareSets(before, before), labels).split('\n')).toEqual([
      'anvil diff a/support@1.0.0 b/support@draft',
      'change: none',
      'prompts: 0 added, 0 removed, 0 renamed, 0 changed, 1 unchanged; +0 -0 lines, +0 -0 words',
      '',
    ]);
  });

  it('labels role changes and numbers messages from 1', () => {
    const before = set([chat([{ type: 'message', role: 'user', content: 'Hi' }])]);
    const after = set([chat([{ type: 'message', role: 'assistant', content: 'Hi' }])]);
    expect(unifiedDiff(compareSets(before, after), labels)).toContain(
      '@@ message #1 → #1 user → assistant (changed) @@',
    );
  });
});

describe('typeText', () => {
  it('writes types whole, nested ones included', () => {
    expect(typeText({ type: 'array', items: { type: 'integer', enum: [1, 2] } })).toBe('array<1 | 2>');
    expect(
      typeText({ type: 'object', properties: { a: { type: 'boolean' }, b: { type: 'string' } }, required: ['a'] }),
    ).toBe('object{a: boolean, b?: string}');
  });
});
