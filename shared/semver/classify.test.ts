import { describe, expect, it } from 'vitest';
import { PromptSetContent } from '../domain/prompt-set';
import type { Parameter } from '../domain/parameter';
import type { Prompt } from '../domain/prompt';
import { classifyChange, REASON_CLASS, type ChangeReason } from './index';

type PromptInput = Partial<Prompt> & { id: string; name: string };

function text(id: string, name: string, over: Partial<Extract<Prompt, { kind: 'text' }>> = {}): PromptInput {
  return { id, name, kind: 'text', template: 'Hello {{ name }}', parameters: [param('name')], ...over } as PromptInput;
}

function param(name: string, over: Partial<Parameter> = {}): Parameter {
  return { name, type: { type: 'string' }, required: true, description: '', ...over };
}

function set(prompts: PromptInput[], over: Partial<PromptSetContent> = {}): PromptSetContent {
  return PromptSetContent.parse({ id: 'set1', projectId: 'p1', name: 'support', prompts, ...over });
}

const base = set([text('g1', 'greeting'), text('w1', 'welcome', { template: 'Welcome', parameters: [] })]);

function withPrompt(id: string, change: (p: Prompt) => Prompt, from = base): PromptSetContent {
  return { ...from, prompts: from.prompts.map((p) => (p.id === id ? change(structuredClone(p)) : p)) };
}

function withParams(params: Parameter[]): PromptSetContent {
  return withPrompt('g1', (p) => ({ ...p, parameters: params }));
}

const without = (p: Prompt, key: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(p).filter(([k]) => k !== key));
const codes = (rs: ChangeReason[]): string[] => rs.map((r) => r.code).sort();

describe('classifyChange', () => {
  it('is none for identical content, whatever the key order', () => {
    const reordered = JSON.parse(JSON.stringify(base, Object.keys(base).reverse())) as PromptSetContent;
    expect(classifyChange(base, structuredClone(base))).toEqual({ changeClass: 'none', reasons: [] });
    expect(classifyChange(base, { ...reordered, ...base })).toEqual({ changeClass: 'none', reasons: [] });
  });

  it.each<[string, PromptSetContent, string, string[]]>([
    ['a prompt removed', { ...base, prompts: base.prompts.slice(0, 1) }, 'major', ['prompt_removed']],
    ['a prompt renamed (same id)', withPrompt('w1', (p) => ({ ...p, name: 'hello' })), 'major', ['prompt_renamed']],
    [
      'text → chat',
      withPrompt(
        'w1',
        (p) =>
          ({
            ...without(p, 'template'),
            kind: 'chat',
            messages: [{ type: 'message', role: 'user', content: 'Welcome' }],
          }) as Prompt,
      ),
      'major',
      ['prompt_kind_changed'],
    ],
    ['a parameter removed', withParams([]), 'major', ['parameter_removed']],
    ['a parameter renamed', withParams([param('fullName')]), 'major', ['parameter_renamed']],
    ['a required parameter added', withParams([param('name'), param('tone')]), 'major', ['parameter_required_added']],
    ['string → number', withParams([param('name', { type: { type: 'number' } })]), 'major', ['parameter_type_changed']],
    [
      'number → integer',
      withParams([param('name', { type: { type: 'integer' } })]),
      'major',
      ['parameter_type_changed'],
    ],
    [
      'a prompt added',
      { ...base, prompts: [...base.prompts, ...set([text('f1', 'farewell')]).prompts] },
      'minor',
      ['prompt_added'],
    ],
    [
      'an optional parameter added',
      withParams([param('name'), param('tone', { required: false })]),
      'minor',
      ['parameter_optional_added'],
    ],
    [
      'a required parameter made optional',
      withParams([param('name', { required: false })]),
      'minor',
      ['parameter_became_optional'],
    ],
    [
      'model settings changed',
      withPrompt('g1', (p) => ({ ...p, model: { provider: 'openai', model: 'gpt-4o', temperature: 0.2 } })),
      'minor',
      ['model_settings_changed'],
    ],
    ['a dependency added', { ...base, dependencies: { '@acme/common': '^1.0.0' } }, 'minor', ['dependency_added']],
    [
      'template text changed',
      withPrompt('g1', (p) => ({ ...p, template: 'Hi {{ name }}' }) as Prompt),
      'patch',
      ['template_changed'],
    ],
    [
      'a description changed',
      withPrompt('g1', (p) => ({ ...p, description: 'Greets' })),
      'patch',
      ['description_changed'],
    ],
    [
      'metadata changed',
      withPrompt('g1', (p) => ({ ...p, metadata: { owner: 'ana' } })),
      'patch',
      ['metadata_changed'],
    ],
    [
      'a parameter default and description changed',
      withParams([param('name', { default: 'you', description: 'who' })]),
      'patch',
      ['parameter_default_changed', 'parameter_description_changed'],
    ],
    ['the set description changed', { ...base, description: 'Support prompts' }, 'patch', ['description_changed']],
    ['prompts reordered', { ...base, prompts: [...base.prompts].reverse() }, 'patch', ['prompts_reordered']],
  ])('%s', (_label, next, changeClass, expected) => {
    const result = classifyChange(base, next);
    expect(result.changeClass).toBe(changeClass);
    expect(codes(result.reasons)).toEqual(expected);
    for (const r of result.reasons) expect(r.class).toBe(REASON_CLASS[r.code]);
  });

  it('writes reasons people can read, with the prompt and parameter named', () => {
    const { reasons } = classifyChange(
      withParams([param('name'), param('tone', { required: false })]),
      withParams([param('name'), param('tone')]),
    );
    expect(reasons).toEqual([
      {
        class: 'major',
        code: 'parameter_became_required',
        prompt: 'greeting',
        parameter: 'tone',
        message: 'greeting: parameter `tone` became required',
      },
    ]);
  });

  it('takes the largest class of all reasons', () => {
    const grown = withParams([param('name'), param('tone', { required: false })]);
    const result = classifyChange(base, { ...grown, prompts: grown.prompts.slice(0, 1) });
    expect(result.changeClass).toBe('major');
    expect(codes(result.reasons)).toEqual(['parameter_optional_added', 'prompt_removed']);
  });

  describe('enums and widening', () => {
    const tone = (values: string[] | undefined): PromptSetContent =>
      withParams([
        param('name'),
        param('tone', { type: values ? { type: 'string', enum: values } : { type: 'string' } }),
      ]);

    it('an enum that loses a value is major, one that gains a value is minor', () => {
      expect(classifyChange(tone(['calm', 'warm']), tone(['calm'])).changeClass).toBe('major');
      expect(classifyChange(tone(['calm']), tone(['calm', 'warm']))).toMatchObject({
        changeClass: 'minor',
        reasons: [{ code: 'enum_value_added', message: 'greeting: parameter `tone` also accepts "warm"' }],
      });
      expect(codes(classifyChange(tone(['calm', 'warm']), tone(['calm', 'cold'])).reasons)).toEqual([
        'enum_value_added',
        'enum_value_removed',
      ]);
    });

    it('dropping an enum widens (minor), adding one narrows (major)', () => {
      expect(classifyChange(tone(['calm']), tone(undefined)).changeClass).toBe('minor');
      expect(classifyChange(tone(undefined), tone(['calm'])).reasons[0]?.code).toBe('parameter_type_narrowed');
    });

    it('integer → number widens (minor)', () => {
      const n = (t: 'integer' | 'number'): PromptSetContent => withParams([param('name', { type: { type: t } })]);
      expect(classifyChange(n('integer'), n('number'))).toMatchObject({
        changeClass: 'minor',
        reasons: [{ code: 'parameter_type_widened' }],
      });
    });

    it('reads into arrays and objects with dotted paths', () => {
      const user = (
        props: Record<string, { type: 'string' } | { type: 'number' }>,
        required: string[],
      ): PromptSetContent =>
        withParams([param('name'), param('user', { type: { type: 'object', properties: props, required } })]);
      const before = user({ name: { type: 'string' }, age: { type: 'number' } }, ['name']);
      expect(
        classifyChange(before, user({ name: { type: 'string' }, age: { type: 'number' } }, ['name', 'age'])).reasons,
      ).toMatchObject([{ code: 'parameter_became_required', parameter: 'user.age', class: 'major' }]);
      expect(classifyChange(before, user({ name: { type: 'string' } }, ['name'])).reasons[0]).toMatchObject({
        code: 'parameter_removed',
        parameter: 'user.age',
      });
      const list = (t: 'string' | 'number'): PromptSetContent =>
        withParams([param('name', { type: { type: 'array', items: { type: t } } })]);
      expect(classifyChange(list('string'), list('number')).reasons[0]).toMatchObject({
        code: 'parameter_type_changed',
        parameter: 'name[]',
      });
    });
  });

  describe('dependencies', () => {
    const deps = (d: Record<string, string>): PromptSetContent => ({ ...base, dependencies: d });
    it('removed is major, changed range is minor', () => {
      expect(classifyChange(deps({ '@acme/common': '^1.0.0' }), deps({})).reasons[0]).toMatchObject({
        code: 'dependency_removed',
        class: 'major',
      });
      expect(
        classifyChange(deps({ '@acme/common': '^1.0.0' }), deps({ '@acme/common': '^2.0.0' })).reasons[0],
      ).toMatchObject({
        code: 'dependency_range_changed',
        class: 'minor',
        message: 'dependency @acme/common changed from ^1.0.0 to ^2.0.0',
      });
    });
  });

  describe('chat prompts', () => {
    const chat = (messages: Extract<Prompt, { kind: 'chat' }>['messages']): PromptSetContent =>
      set([{ id: 'c1', name: 'classify', kind: 'chat', messages } as PromptInput]);
    const sys = { type: 'message', role: 'system', content: 'Classify.' } as const;

    it('a message text change is patch; the history placeholder is an input', () => {
      expect(classifyChange(chat([sys]), chat([{ ...sys, content: 'Classify it.' }])).reasons[0]?.code).toBe(
        'messages_changed',
      );
      expect(classifyChange(chat([sys]), chat([sys, { type: 'history', name: 'history' }])).changeClass).toBe('minor');
      expect(classifyChange(chat([sys, { type: 'history', name: 'history' }]), chat([sys])).changeClass).toBe('major');
      expect(
        classifyChange(chat([sys, { type: 'history', name: 'a' }]), chat([sys, { type: 'history', name: 'b' }]))
          .reasons[0]?.code,
      ).toBe('history_renamed');
    });
  });

  it('matches a prompt re-created under the same name (new id) as the same prompt', () => {
    const next = set([text('g2', 'greeting'), text('w1', 'welcome', { template: 'Welcome', parameters: [] })]);
    expect(classifyChange(base, next)).toEqual({
      changeClass: 'patch',
      reasons: [expect.objectContaining({ code: 'other_changed' })],
    });
  });
});
