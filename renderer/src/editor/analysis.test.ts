import { describe, expect, it } from 'vitest';
import type { Parameter, Prompt } from '../../../shared/domain';
import { createEngine, setResolver } from '../../../shared/template';
import { analyzePrompt } from './analysis';
import { renderPreview } from './preview';
import { nextProblem, problemRange } from './problems';
import { asSamples, parseSampleInput, previewValues, sampleValue } from './samples';

const engine = createEngine();
const text = (template: string, parameters: Parameter[] = []): Prompt => ({
  id: 'p1',
  name: 'hello',
  description: '',
  kind: 'text',
  template,
  parameters,
  model: null,
  metadata: {},
});
const str = (name: string, extra: Partial<Parameter> = {}): Parameter => ({
  name,
  type: { type: 'string' },
  required: true,
  description: '',
  ...extra,
});

describe('problemRange', () => {
  it('covers a whole tag, a word, or one character; clamps out-of-range positions', () => {
    const src = 'Hi\n{% iff x %} and {{ name | bogus }}';
    expect(problemRange(src, 2, 1)).toEqual({ line: 2, column: 1, endLine: 2, endColumn: 12 });
    expect(problemRange(src, 2, 27)).toEqual({ line: 2, column: 27, endLine: 2, endColumn: 32 });
    expect(problemRange(src, 9, 99)).toEqual({ line: 2, column: 35, endLine: 2, endColumn: 36 });
  });
});

describe('analyzePrompt', () => {
  it('a broken tag is an error at its line and column', () => {
    const a = analyzePrompt(engine, text('Hello\n  {% iff x %}'));
    expect(a.problems).toHaveLength(1);
    expect(a.problems[0]).toMatchObject({ code: 'unknown_tag', severity: 'error', line: 2, column: 3, endColumn: 14 });
    expect(a.extraction).toBeNull();
  });

  it('an unknown filter is marked on its name', () => {
    const a = analyzePrompt(engine, text('{{ name | shout }}'));
    expect(a.problems[0]).toMatchObject({ code: 'unknown_filter', line: 1, column: 11, endColumn: 16 });
  });

  it('undeclared, unused and type conflicts, with proposals for the undeclared', () => {
    const a = analyzePrompt(
      engine,
      text('{{ name }} {% for d in docs %}{{ d.title }}{% endfor %} {{ n | plus: 1 }}', [str('old'), str('n')]),
    );
    const codes = a.problems.map((p) => `${p.code}:${p.parameter}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'undeclared_parameter:name',
        'undeclared_parameter:docs',
        'unused_parameter:old',
        'type_conflict:n',
      ]),
    );
    expect(a.proposed.map((p) => [p.name, p.type.type])).toEqual([
      ['name', 'string'],
      ['docs', 'array'],
    ]);
    expect(a.problems.find((p) => p.parameter === 'docs')).toMatchObject({ line: 1, column: 24 });
  });

  it('each chat message shows its own parse error', () => {
    const chat: Prompt = {
      ...text(''),
      kind: 'chat',
      messages: [
        { type: 'message', role: 'system', content: '{% if %}' },
        { type: 'history', name: 'history' },
        { type: 'message', role: 'user', content: 'ok {{ x | nope }}' },
      ],
    } as Prompt;
    const a = analyzePrompt(engine, chat);
    expect(a.problems.map((p) => p.source)).toEqual([0, 2]);
    expect(a.problems[1]).toMatchObject({ code: 'unknown_filter', line: 1 });
  });

  it('a render of a missing partial is a problem', () => {
    const p = text("{% render 'nope' %}");
    const resolve = setResolver({
      id: 's',
      projectId: 'p',
      name: 's',
      description: '',
      dependencies: {},
      prompts: [p],
    });
    expect(analyzePrompt(engine, p, { resolve }).problems[0]).toMatchObject({ code: 'partial_not_found' });
  });
});

describe('samples and preview', () => {
  it('generates values from types', () => {
    expect(sampleValue({ type: 'string', enum: ['a', 'b'] }, 'tone')).toBe('a');
    expect(sampleValue({ type: 'string' }, 'user_name')).toBe('example user name');
    expect(
      sampleValue({ type: 'array', items: { type: 'object', properties: { title: { type: 'string' } } } }, 'docs'),
    ).toEqual([{ title: 'example title' }]);
    expect(sampleValue({ type: 'integer' }, 'n')).toBe(1);
  });

  it('stored values win over defaults, defaults over generated; stale keys are left out', () => {
    const values = previewValues([str('a'), str('b', { default: 'B' }), str('c')], { a: 'A', gone: 1 });
    expect(values).toEqual({ a: 'A', b: 'B', c: 'example c' });
    expect(asSamples([1])).toEqual({});
  });

  it('sample input: plain text for strings, JSON otherwise', () => {
    expect(parseSampleInput('Ada', { type: 'string' })).toBe('Ada');
    expect(parseSampleInput('"quoted"', { type: 'string' })).toBe('quoted');
    expect(parseSampleInput('[1,2]', { type: 'array', items: { type: 'number' } })).toEqual([1, 2]);
    expect(parseSampleInput('not json', { type: 'number' })).toBe('not json');
  });

  it('renders with samples; a render error comes back as a located problem', () => {
    const p = text('Hello {{ name | upcase }}!');
    const params = analyzePrompt(engine, p).proposed;
    expect(renderPreview(engine, p, params, { name: 'ada' })).toEqual({ ok: true, kind: 'text', text: 'Hello ADA!' });
    const wrong = renderPreview(engine, p, params, { name: 5 });
    expect(wrong).toMatchObject({ ok: false, problem: { code: 'invalid_parameters' } });
  });

  it('renders chat prompts message by message', () => {
    const chat = {
      ...text(''),
      kind: 'chat',
      messages: [
        { type: 'message', role: 'system', content: 'Be {{ tone }}.' },
        { type: 'history', name: 'history' },
        { type: 'message', role: 'user', content: '{{ question }}' },
      ],
    } as Prompt;
    const r = renderPreview(engine, chat, [str('tone'), str('question')], { tone: 'brief', question: 'Why?' });
    expect(r).toEqual({
      ok: true,
      kind: 'chat',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Why?' },
      ],
    });
  });
});

describe('nextProblem', () => {
  const problems = [
    { code: 'a', message: '', severity: 'error' as const, line: 2, column: 1 },
    { code: 'b', message: '', severity: 'error' as const, line: 5, column: 3 },
    { code: 'c', message: '', severity: 'info' as const },
  ];
  it('goes forward and back from the cursor, wrapping', () => {
    expect(nextProblem(problems, { line: 1, column: 1 }, 1)?.code).toBe('a');
    expect(nextProblem(problems, { line: 2, column: 1 }, 1)?.code).toBe('b');
    expect(nextProblem(problems, { line: 9, column: 1 }, 1)?.code).toBe('a');
    expect(nextProblem(problems, { line: 3, column: 1 }, -1)?.code).toBe('a');
    expect(nextProblem(problems, { line: 1, column: 1 }, -1)?.code).toBe('b');
  });
});
