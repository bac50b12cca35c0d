import { describe, expect, it } from 'vitest';
import type { ChatPrompt } from '../domain/prompt';
import { AnvilError } from '../domain/result';
import { renderChat, renderChatSync, validateHistory } from './chat';
import { createEngine } from './engine';

const prompt: ChatPrompt = {
  id: 'c1',
  name: 'classifier',
  kind: 'chat',
  description: '',
  model: null,
  metadata: {},
  parameters: [
    { name: 'labels', type: { type: 'array', items: { type: 'string' } }, required: true, description: '' },
    { name: 'text', type: { type: 'string' }, required: true, description: '' },
    { name: 'tone', type: { type: 'string', enum: ['formal', 'casual'] }, required: false, description: '' },
  ],
  messages: [
    {
      type: 'message',
      role: 'system',
      content: 'Classify into: {{ labels | join: ", " }}.{% if tone %} Be {{ tone }}.{% endif %}',
    },
    { type: 'history', name: 'conversation' },
    { type: 'message', role: 'user', content: '{{ text }}' },
  ],
};

describe('chat rendering', () => {
  const engine = createEngine();
  const history = [
    { role: 'user', content: 'earlier question' },
    { role: 'assistant', content: 'earlier answer' },
  ];

  it('renders each message and splices the history in place of the placeholder', async () => {
    const expected = [
      { role: 'system', content: 'Classify into: bug, praise.' },
      { role: 'user', content: 'earlier question' },
      { role: 'assistant', content: 'earlier answer' },
      { role: 'user', content: 'it {{ broke }}' },
    ];
    expect(
      await renderChat(engine, prompt, { labels: ['bug', 'praise'], text: 'it {{ broke }}' }, { history }),
    ).toEqual(expected);
    expect(renderChatSync(engine, prompt, { labels: ['bug', 'praise'], text: 'it {{ broke }}' }, { history })).toEqual(
      expected,
    );
  });

  it('an absent history is empty', async () => {
    const out = await renderChat(engine, prompt, { labels: [], text: 't', tone: 'casual' });
    expect(out.map((m) => m.role)).toEqual(['system', 'user']);
    expect(out[0]?.content).toBe('Classify into: . Be casual.');
  });

  it('validates parameters once, reporting every problem', async () => {
    const e = await renderChat(engine, prompt, { labels: 'bug', tone: 'rude' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AnvilError);
    expect((e as AnvilError).code).toBe('invalid_parameters');
    expect(((e as AnvilError).details as { path: string }[]).map((d) => d.path).sort()).toEqual([
      'labels',
      'text',
      'tone',
    ]);
  });

  it('refuses a malformed history, listing each bad entry', () => {
    expect(() => validateHistory('nope')).toThrow(expect.objectContaining({ code: 'invalid_history' }));
    try {
      validateHistory([{ role: 'user', content: 'ok' }, { role: 'robot', content: 1 }, null]);
      expect.unreachable();
    } catch (e) {
      expect((e as AnvilError).code).toBe('invalid_history');
      expect(((e as AnvilError).details as { path: string }[]).map((d) => d.path)).toEqual([
        'history[1].role',
        'history[1].content',
        'history[2].role',
        'history[2].content',
      ]);
    }
    // A polluted prototype does not supply a role or content.
    expect(() => validateHistory([Object.create({ role: 'user', content: 'x' }) as object])).toThrow(AnvilError);
  });

  it('an error in a message says which message, with line and column inside it', async () => {
    const bad: ChatPrompt = {
      ...prompt,
      messages: [...prompt.messages, { type: 'message', role: 'user', content: 'a\n{{ missing }}' }],
    };
    const e = await renderChat(engine, bad, { labels: [], text: 't' }).catch((x: unknown) => x);
    expect((e as AnvilError).toJSON()).toMatchObject({
      code: 'undefined_variable',
      path: 'messages[3]',
      line: 2,
      column: 4,
    });
  });
});
