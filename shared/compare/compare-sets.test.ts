import { describe, expect, it } from 'vitest';
import { PromptSetContent, type Parameter, type Prompt } from '../domain';
import { textPrompt } from '../domain/fixtures';
import { compareSets } from './index';
import type { PromptComparison } from './types';

function param(name: string, over: Partial<Parameter> = {}): Parameter {
  return { name, type: { type: 'string' }, required: true, description: '', ...over };
}

function chatPrompt(id: string, name: string, messages: Extract<Prompt, { kind: 'chat' }>['messages']): Prompt {
  return { id, name, description: '', kind: 'chat', messages, parameters: [], model: null, metadata: {} };
}

function set(prompts: Prompt[], over: Partial<PromptSetContent> = {}): PromptSetContent {
  return PromptSetContent.parse({ id: 'set1', projectId: 'p1', name: 'support', prompts, ...over });
}

const greeting = textPrompt('g1', 'greeting', 'Hello {{ name }}\nHow can I help?', { parameters: [param('name')] });
const welcome = textPrompt('w1', 'welcome', 'Welcome aboard.');
const system = { type: 'message', role: 'system', content: 'Classify the ticket.' } as const;
const historyItem = { type: 'history', name: 'history' } as const;
const ticket = { type: 'message', role: 'user', content: '{{ ticket }}' } as const;
const classify = chatPrompt('c1', 'classify', [system, historyItem, ticket]);
const base = set([greeting, welcome, classify]);

function replacing(id: string, change: (p: Prompt) => Prompt, from = base): PromptSetContent {
  return { ...from, prompts: from.prompts.map((p) => (p.id === id ? change(structuredClone(p)) : p)) };
}

const byId = (prompts: PromptComparison[], id: string): PromptComparison => {
  const p = prompts.find((x) => x.promptId === id);
  if (!p) throw new Error(`no comparison for ${id}`);
  return p;
};
const statuses = (prompts: PromptComparison[]): string[] => prompts.map((p) => `${p.name}:${p.status}`);

describe('compareSets', () => {
  it('equal sets: every prompt unchanged, no set changes, class none', () => {
    const c = compareSets(base, structuredClone(base));
    expect(statuses(c.prompts)).toEqual(['greeting:unchanged', 'welcome:unchanged', 'classify:unchanged']);
    expect(c.set).toEqual([]);
    expect(c.summary).toEqual({
      added: 0,
      removed: 0,
      renamed: 0,
      changed: 0,
      unchanged: 3,
      stats: { linesAdded: 0, linesRemoved: 0, wordsAdded: 0, wordsRemoved: 0 },
    });
    expect(c.classification).toEqual({ changeClass: 'none', reasons: [] });
    for (const p of c.prompts) {
      expect(p.reasons).toEqual([]);
      expect(p.parameters).toEqual([]);
      expect(p.metadata).toEqual([]);
    }
    expect(byId(c.prompts, 'g1').template?.mode).toBe('equal');
    expect(byId(c.prompts, 'c1').messages?.map((m) => m.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  });

  it('a prompt added: all its text and parameters added, its reason attached, class minor', () => {
    const farewell = textPrompt('f1', 'farewell', 'Bye {{ name }}\nTake care', { parameters: [param('name')] });
    const c = compareSets(base, set([...base.prompts, farewell]));
    const p = byId(c.prompts, 'f1');
    expect(p).toMatchObject({ status: 'added', name: 'farewell', previousName: null, kind: 'text' });
    expect(p.template?.hunks[0]?.lines).toEqual(['+Bye {{ name }}', '+Take care']);
    expect(p.stats).toEqual({ linesAdded: 2, linesRemoved: 0, wordsAdded: 6, wordsRemoved: 0 });
    expect(p.parameters).toEqual([{ name: 'name', status: 'added', fields: [], before: null, after: param('name') }]);
    expect(p.reasons.map((r) => r.code)).toEqual(['prompt_added']);
    expect(c.classification.changeClass).toBe('minor');
    expect(c.summary).toMatchObject({ added: 1, unchanged: 3 });
  });

  it('a prompt removed: at its old place, all text removed, class major', () => {
    const c = compareSets(base, set([greeting, classify]));
    expect(statuses(c.prompts)).toEqual(['greeting:unchanged', 'welcome:removed', 'classify:unchanged']);
    const p = byId(c.prompts, 'w1');
    expect(p.template?.hunks[0]?.lines).toEqual(['-Welcome aboard.']);
    expect(p.stats).toEqual({ linesAdded: 0, linesRemoved: 1, wordsAdded: 0, wordsRemoved: 2 });
    expect(p.reasons.map((r) => r.code)).toEqual(['prompt_removed']);
    expect(c.classification.changeClass).toBe('major');
    expect(c.summary).toMatchObject({ removed: 1, unchanged: 2 });
  });

  it('a removed first prompt comes first; order otherwise follows the after set', () => {
    const c = compareSets(base, set([classify, welcome]));
    expect(statuses(c.prompts)).toEqual(['greeting:removed', 'classify:unchanged', 'welcome:unchanged']);
    expect(c.classification.reasons.map((r) => r.code).sort()).toEqual(['prompt_removed', 'prompts_reordered']);
  });

  it('a prompt renamed (same id): one prompt with its previous name, no text change', () => {
    const c = compareSets(
      base,
      replacing('w1', (p) => ({ ...p, name: 'hello' })),
    );
    const p = byId(c.prompts, 'w1');
    expect(p).toMatchObject({ status: 'changed', name: 'hello', previousName: 'welcome' });
    expect(p.template?.mode).toBe('equal');
    expect(p.reasons.map((r) => r.code)).toEqual(['prompt_renamed']);
    expect(c.summary).toMatchObject({ renamed: 1, changed: 0, unchanged: 2 });
  });

  it('a prompt renamed and changed: counted as renamed, with its hunks and all its reasons', () => {
    const c = compareSets(
      base,
      replacing('w1', (p) => ({ ...p, name: 'hello', template: 'Welcome back.' }) as Prompt),
    );
    const p = byId(c.prompts, 'w1');
    expect(p).toMatchObject({ status: 'changed', name: 'hello', previousName: 'welcome' });
    expect(p.template?.hunks[0]?.lines).toEqual(['-Welcome aboard.', '+Welcome back.']);
    expect(p.stats).toEqual({ linesAdded: 1, linesRemoved: 1, wordsAdded: 1, wordsRemoved: 1 });
    expect(p.reasons.map((r) => r.code).sort()).toEqual(['prompt_renamed', 'template_changed']);
    expect(c.summary).toMatchObject({ renamed: 1, changed: 0 });
  });

  it('a prompt deleted and re-created under its name is one changed prompt, as the classification sees it', () => {
    const c = compareSets(
      base,
      set([textPrompt('g2', 'greeting', greeting.kind === 'text' ? greeting.template : ''), welcome, classify]),
    );
    expect(statuses(c.prompts)).toEqual(['greeting:changed', 'welcome:unchanged', 'classify:unchanged']);
    expect(byId(c.prompts, 'g2').parameters.map((p) => `${p.name}:${p.status}`)).toEqual(['name:removed']);
  });

  it('a template change: hunks, stats, the patch reason', () => {
    const c = compareSets(
      base,
      replacing('g1', (p) => ({ ...p, template: 'Hello {{ name }}\nHow may I help you today?' }) as Prompt),
    );
    const p = byId(c.prompts, 'g1');
    expect(p.status).toBe('changed');
    expect(p.template?.hunks).toEqual([
      {
        oldStart: 1,
        oldLines: 2,
        newStart: 1,
        newLines: 2,
        lines: [' Hello {{ name }}', '-How can I help?', '+How may I help you today?'],
      },
    ]);
    expect(p.stats).toEqual({ linesAdded: 1, linesRemoved: 1, wordsAdded: 3, wordsRemoved: 1 });
    expect(p.reasons.map((r) => r.code)).toEqual(['template_changed']);
    expect(c.classification.changeClass).toBe('patch');
    expect(c.summary).toMatchObject({ changed: 1, unchanged: 2, stats: p.stats });
  });

  describe('chat prompts', () => {
    const withMessages = (messages: Extract<Prompt, { kind: 'chat' }>['messages']): PromptSetContent =>
      replacing('c1', (p) => ({ ...p, messages }) as Prompt);

    it('a message added shows as one added message; stats sum the messages', () => {
      const c = compareSets(
        base,
        withMessages([system, { type: 'message', role: 'assistant', content: 'Label: billing' }, historyItem, ticket]),
      );
      const p = byId(c.prompts, 'c1');
      expect(p.template).toBeNull();
      expect(p.messages?.map((m) => m.status)).toEqual(['unchanged', 'added', 'unchanged', 'unchanged']);
      expect(p.stats).toEqual({ linesAdded: 1, linesRemoved: 0, wordsAdded: 2, wordsRemoved: 0 });
      expect(p.reasons.map((r) => r.code)).toEqual(['messages_changed']);
    });

    it('a message removed, a role changed, a message changed', () => {
      const removed = byId(compareSets(base, withMessages([system, ticket])).prompts, 'c1');
      expect(removed.messages?.map((m) => m.status)).toEqual(['unchanged', 'removed', 'unchanged']);
      expect(removed.reasons.map((r) => r.code)).toEqual(['history_removed', 'messages_changed']);

      const role = byId(
        compareSets(
          base,
          withMessages([system, historyItem, { type: 'message', role: 'assistant', content: '{{ ticket }}' }]),
        ).prompts,
        'c1',
      );
      expect(role.messages?.[2]).toMatchObject({ status: 'changed', beforeRole: 'user', afterRole: 'assistant' });

      const edited = byId(
        compareSets(
          base,
          withMessages([{ type: 'message', role: 'system', content: 'Classify the email.' }, historyItem, ticket]),
        ).prompts,
        'c1',
      );
      expect(edited.messages?.[0]?.text.hunks[0]?.lines).toEqual(['-Classify the ticket.', '+Classify the email.']);
      expect(edited.stats).toEqual({ linesAdded: 1, linesRemoved: 1, wordsAdded: 1, wordsRemoved: 1 });
    });

    it('text → chat fills both sides: the template removed, the messages added, kind in metadata', () => {
      const c = compareSets(
        base,
        replacing(
          'w1',
          (p) =>
            ({
              ...p,
              kind: 'chat',
              template: undefined,
              messages: [{ type: 'message', role: 'user', content: 'Hi there' }],
            }) as unknown as Prompt,
        ),
      );
      const p = byId(c.prompts, 'w1');
      expect(p.kind).toBe('chat');
      expect(p.template?.hunks[0]?.lines).toEqual(['-Welcome aboard.']);
      expect(p.messages?.map((m) => m.status)).toEqual(['added']);
      expect(p.metadata).toEqual([{ field: 'kind', before: 'text', after: 'chat' }]);
      expect(p.stats).toEqual({ linesAdded: 1, linesRemoved: 1, wordsAdded: 2, wordsRemoved: 2 });
      expect(p.reasons.map((r) => r.code)).toContain('prompt_kind_changed');
    });
  });

  describe('parameters', () => {
    const withParams = (params: Parameter[]): PromptSetContent =>
      replacing('g1', (p) => ({ ...p, parameters: params }));
    const fields = (next: Parameter[]): unknown =>
      byId(compareSets(base, withParams(next)).prompts, 'g1').parameters.map((p) => ({
        name: p.name,
        status: p.status,
        fields: p.fields,
      }));

    it('added and removed', () => {
      expect(fields([param('name'), param('tone', { required: false })])).toEqual([
        { name: 'tone', status: 'added', fields: [] },
      ]);
      expect(fields([])).toEqual([{ name: 'name', status: 'removed', fields: [] }]);
    });

    it('type, compared structurally and shown as text', () => {
      expect(fields([param('name', { type: { type: 'number' } })])).toEqual([
        { name: 'name', status: 'changed', fields: [{ field: 'type', before: 'string', after: 'number' }] },
      ]);
      const user = (age: 'number' | 'integer'): Parameter =>
        param('name', {
          type: { type: 'object', properties: { first: { type: 'string' }, age: { type: age } }, required: ['first'] },
        });
      const from = withParams([user('number')]);
      const to = withParams([user('integer')]);
      expect(byId(compareSets(from, to).prompts, 'g1').parameters[0]?.fields).toEqual([
        {
          field: 'type',
          before: 'object{first: string, age?: number}',
          after: 'object{first: string, age?: integer}',
        },
      ]);
      // The same type with its keys in another order is no change.
      const reordered = withParams([
        param('name', {
          type: {
            required: ['first'],
            properties: { age: { type: 'number' }, first: { type: 'string' } },
            type: 'object',
          },
        }),
      ]);
      expect(byId(compareSets(from, reordered).prompts, 'g1').parameters).toEqual([]);
    });

    it('required, default, description, enum', () => {
      expect(fields([param('name', { required: false })])).toEqual([
        { name: 'name', status: 'changed', fields: [{ field: 'required', before: true, after: false }] },
      ]);
      expect(fields([param('name', { default: 'friend' })])).toEqual([
        { name: 'name', status: 'changed', fields: [{ field: 'default', before: undefined, after: 'friend' }] },
      ]);
      expect(fields([param('name', { description: 'Who we greet' })])).toEqual([
        { name: 'name', status: 'changed', fields: [{ field: 'description', before: '', after: 'Who we greet' }] },
      ]);
      expect(fields([param('name', { type: { type: 'string', enum: ['Ana', 'Bo'] } })])).toEqual([
        { name: 'name', status: 'changed', fields: [{ field: 'enum', before: null, after: ['Ana', 'Bo'] }] },
      ]);
    });

    it('keeps the parameters whole on a change, and the reasons that name them', () => {
      const c = compareSets(base, withParams([param('name', { required: false })]));
      const p = byId(c.prompts, 'g1');
      expect(p.parameters[0]).toMatchObject({ before: param('name'), after: param('name', { required: false }) });
      expect(p.reasons).toMatchObject([{ code: 'parameter_became_optional', parameter: 'name', prompt: 'greeting' }]);
    });
  });

  it('prompt metadata: description, model settings key by key, metadata keys', () => {
    const model = { provider: 'openai', model: 'gpt-4o', temperature: 0.2 };
    const withModel = replacing('g1', (p) => ({ ...p, model }));
    expect(byId(compareSets(base, withModel).prompts, 'g1').metadata).toEqual([
      { field: 'model', before: null, after: model },
    ]);
    const c = compareSets(
      withModel,
      replacing(
        'g1',
        (p) => ({ ...p, description: 'Greets', model: { ...model, temperature: 0.7 }, metadata: { owner: 'ana' } }),
        withModel,
      ),
    );
    const p = byId(c.prompts, 'g1');
    expect(p.metadata).toEqual([
      { field: 'description', before: '', after: 'Greets' },
      { field: 'model.temperature', before: 0.2, after: 0.7 },
      { field: 'metadata.owner', before: null, after: 'ana' },
    ]);
    expect(p.reasons.map((r) => r.code).sort()).toEqual([
      'description_changed',
      'metadata_changed',
      'model_settings_changed',
    ]);
    expect(c.classification.changeClass).toBe('minor');
  });

  it('set level: name, description and dependencies, with reasons kept at the set', () => {
    const next = {
      ...base,
      name: 'helpdesk',
      description: 'Support prompts',
      dependencies: { '@acme/common': '^1.0.0' },
    };
    const c = compareSets(base, next);
    expect(c.set).toEqual([
      { field: 'name', before: 'support', after: 'helpdesk' },
      { field: 'description', before: '', after: 'Support prompts' },
      { field: 'dependencies.@acme/common', before: null, after: '^1.0.0' },
    ]);
    expect(c.classification.reasons.map((r) => r.code).sort()).toEqual([
      'dependency_added',
      'description_changed',
      'set_renamed',
    ]);
    for (const p of c.prompts) expect(p.reasons).toEqual([]);
    const changed = compareSets(next, { ...next, dependencies: { '@acme/common': '^2.0.0' } });
    expect(changed.set).toEqual([{ field: 'dependencies.@acme/common', before: '^1.0.0', after: '^2.0.0' }]);
  });

  it('a prompt renamed to the name of a removed one keeps its own reasons', () => {
    const c = compareSets(base, set([textPrompt('w1', 'greeting', 'Welcome aboard.'), classify]));
    expect(statuses(c.prompts)).toEqual(['greeting:removed', 'greeting:changed', 'classify:unchanged']);
    expect(byId(c.prompts, 'g1').reasons.map((r) => r.code)).toEqual(['prompt_removed']);
    expect(byId(c.prompts, 'w1').reasons.map((r) => r.code)).toEqual(['prompt_renamed']);
  });

  it('summary stats add up the prompts, and every reason with a prompt lands on exactly one prompt', () => {
    const next = set([
      textPrompt('g1', 'greeting', 'Hi {{ name }}\nHow can I help?', {
        parameters: [param('name'), param('tone', { required: false })],
      }),
      textPrompt('n1', 'notice', 'A new notice\nin two lines'),
      classify,
    ]);
    const c = compareSets(base, next);
    const sum = c.prompts.reduce(
      (s, p) => ({
        linesAdded: s.linesAdded + p.stats.linesAdded,
        linesRemoved: s.linesRemoved + p.stats.linesRemoved,
        wordsAdded: s.wordsAdded + p.stats.wordsAdded,
        wordsRemoved: s.wordsRemoved + p.stats.wordsRemoved,
      }),
      { linesAdded: 0, linesRemoved: 0, wordsAdded: 0, wordsRemoved: 0 },
    );
    expect(c.summary.stats).toEqual(sum);
    expect(c.summary.stats).toEqual({ linesAdded: 3, linesRemoved: 2, wordsAdded: 7, wordsRemoved: 3 });
    const attached = c.prompts.flatMap((p) => p.reasons);
    expect(attached.sort((a, b) => a.message.localeCompare(b.message))).toEqual(
      c.classification.reasons.filter((r) => r.prompt !== undefined).sort((a, b) => a.message.localeCompare(b.message)),
    );
  });

  it('a pathological pair (two unrelated 5,000-line templates) returns, shown as replaced', () => {
    const lines = (tag: string): string => Array.from({ length: 5000 }, (_, i) => `${tag} line ${i} ${tag}`).join('\n');
    const from = set([textPrompt('g1', 'greeting', lines('old'))]);
    const to = set([textPrompt('g1', 'greeting', lines('new'))]);
    const start = performance.now();
    const c = compareSets(from, to);
    const ms = performance.now() - start;
    console.log(`compareSets on unrelated 5,000-line templates: ${ms.toFixed(0)} ms`);
    const p = byId(c.prompts, 'g1');
    expect(p.template?.mode).toBe('replaced');
    expect(p.stats).toEqual({ linesAdded: 5000, linesRemoved: 5000, wordsAdded: 20000, wordsRemoved: 20000 });
    expect(ms).toBeLessThan(5000);
  });

  it('past the total budget, the texts left are replaced: counted, not diffed', () => {
    const next = replacing('g1', (p) => ({ ...p, template: 'Hello {{ name }}\nHow may I help?' }) as Prompt);
    const c = compareSets(base, next, { totalTimeoutMs: 0 });
    expect(byId(c.prompts, 'g1').template?.mode).toBe('replaced');
    expect(byId(c.prompts, 'g1').stats).toEqual({ linesAdded: 2, linesRemoved: 2, wordsAdded: 8, wordsRemoved: 8 });
    expect(byId(c.prompts, 'w1').template?.mode).toBe('equal');
  });

  it('a set of many costly prompts stays within the total budget', () => {
    const ordered = Array.from({ length: 5000 }, (_, i) => `line ${i}`);
    const reordered = [...ordered.filter((_, i) => i % 7 !== 0), ...ordered.filter((_, i) => i % 7 === 0)];
    const many = (lines: string[]): PromptSetContent =>
      set(Array.from({ length: 40 }, (_, i) => textPrompt(`p${i}`, `prompt${i}`, lines.join('\n'))));
    const [from, to] = [many(ordered), many(reordered)];
    const start = performance.now();
    const c = compareSets(from, to, { totalTimeoutMs: 500 });
    const ms = performance.now() - start;
    console.log(`40 reordered 5,000-line prompts, 500 ms budget: ${ms.toFixed(0)} ms`);
    expect(c.prompts.every((p) => p.template?.mode === 'replaced')).toBe(true);
    expect(ms).toBeLessThan(5000);
  });
});
