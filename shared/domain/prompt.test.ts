import { describe, expect, it } from 'vitest';
import { ChatPrompt, ModelSettings, Prompt, promptSources, PromptSetContent } from './index';

const text = { id: 'p1', name: 'greeting', kind: 'text', template: 'Hello {{ name }}' };
const chat = {
  id: 'p2',
  name: 'classify',
  kind: 'chat',
  messages: [
    { type: 'message', role: 'system', content: 'Classify {{ ticket }}' },
    { type: 'history', name: 'history' },
    { type: 'message', role: 'user', content: '{{ question }}' },
  ],
};

describe('Prompt', () => {
  it('parses text and chat prompts and fills defaults', () => {
    expect(Prompt.parse(text)).toEqual({ ...text, description: '', parameters: [], model: null, metadata: {} });
    expect(Prompt.parse(chat).kind).toBe('chat');
  });

  it('refuses a chat prompt with two history placeholders', () => {
    const two = { ...chat, messages: [...chat.messages, { type: 'history', name: 'more' }] };
    const result = ChatPrompt.safeParse(two);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues[0]?.message).toMatch(/at most one history placeholder/);
    expect(Prompt.safeParse(two).success).toBe(false);
  });

  it('refuses unknown roles and kinds, a text prompt without template, and bad names', () => {
    expect(Prompt.safeParse({ ...chat, messages: [{ type: 'message', role: 'tool', content: 'x' }] }).success).toBe(
      false,
    );
    expect(Prompt.safeParse({ ...text, kind: 'image' }).success).toBe(false);
    expect(Prompt.safeParse({ id: 'p1', name: 'x', kind: 'text' }).success).toBe(false);
    expect(Prompt.safeParse({ ...text, name: 'Greeting' }).success).toBe(false);
    expect(Prompt.safeParse({ ...text, template: 'x', messages: [] }).success).toBe(false);
  });

  it('lists every template source in order', () => {
    expect(promptSources(Prompt.parse(text))).toEqual(['Hello {{ name }}']);
    expect(promptSources(Prompt.parse(chat))).toEqual(['Classify {{ ticket }}', '{{ question }}']);
  });
});

describe('ModelSettings', () => {
  it('accepts provider settings with tools and a response schema', () => {
    const settings = {
      provider: 'openai',
      model: 'gpt-4o',
      temperature: 0.3,
      maxTokens: 512,
      tools: [
        {
          name: 'lookup_order',
          description: 'Find an order',
          parameters: { type: 'object', properties: { id: { type: 'string' } } },
        },
      ],
      responseSchema: { type: 'object' },
    };
    expect(ModelSettings.parse(settings)).toEqual(settings);
  });

  it('refuses out-of-range values', () => {
    for (const bad of [
      { temperature: 3 },
      { temperature: -0.1 },
      { maxTokens: 0 },
      { maxTokens: 1.5 },
      { topP: 2 },
      { tools: [{ name: 'has space' }] },
    ])
      expect(
        ModelSettings.safeParse({ provider: 'openai', model: 'gpt-4o', ...bad }).success,
        JSON.stringify(bad),
      ).toBe(false);
  });
});

describe('PromptSetContent', () => {
  const set = { id: 's1', projectId: 'p0', name: 'support', prompts: [text, chat] };

  it('parses a set with dependencies on other sets', () => {
    const parsed = PromptSetContent.parse({ ...set, dependencies: { '@acme/common': '^1.0.0', '@acme/legal': '1.x' } });
    expect(parsed.dependencies).toEqual({ '@acme/common': '^1.0.0', '@acme/legal': '1.x' });
    expect(parsed.description).toBe('');
  });

  it('refuses two prompts with the same name, pointing at the second', () => {
    const result = PromptSetContent.safeParse({ ...set, prompts: [text, { ...text, id: 'p3' }] });
    expect(result.success).toBe(false);
    if (!result.success)
      expect(result.error.issues[0]).toMatchObject({
        message: 'two prompts are named "greeting"',
        path: ['prompts', 1, 'name'],
      });
  });

  it('refuses bad dependency keys and ranges', () => {
    for (const deps of [
      { 'acme/common': '^1.0.0' },
      { '@Acme/common': '^1.0.0' },
      { '@acme/common/x': '^1.0.0' },
      { '@acme/common': 'latest' },
      { '@acme/common': '01.0.0' },
    ])
      expect(PromptSetContent.safeParse({ ...set, dependencies: deps }).success, JSON.stringify(deps)).toBe(false);
  });
});
