import { describe, expect, it } from 'vitest';
import { AnvilError } from '../domain/result';
import { checkExperiment, checkExperimentList, experimentFor, parseExperiment, type ExperimentInput } from './types';

const VALID: ExperimentInput = {
  id: 'exp-greeting-tone',
  name: 'Greeting tone',
  prompt: '@acme/support/greeting',
  status: 'running',
  variants: [
    { key: 'control', weight: 1, target: { prompt: 'greeting' } },
    { key: 'v2', weight: 1, target: { version: '2.0.0' } },
  ],
  unit: 'userId',
  metric: { name: 'resolved', kind: 'rate' },
  version: 1,
};

/** The first problem's field path and message, or null when the definition is valid. */
function problem(change: Record<string, unknown>): { path: string; message: string } | null {
  const r = checkExperiment({ ...VALID, ...change });
  return r.ok ? null : { path: r.error.path ?? '', message: r.error.message };
}

const variants = (...vs: Record<string, unknown>[]) => ({ variants: vs });
const v = (key: string, weight: unknown = 1, target: unknown = { prompt: 'p' }) => ({ key, weight, target });

describe('Experiment schema', () => {
  it('accepts a definition and fills the salt from the id', () => {
    const e = parseExperiment(VALID);
    expect(e.salt).toBe('exp-greeting-tone');
    expect(e.variants[1]?.target).toEqual({ version: '2.0.0' });
    expect(parseExperiment({ ...VALID, salt: 'kept' }).salt).toBe('kept');
    expect(parseExperiment({ ...VALID, status: 'stopped', winner: 'v2' }).winner).toBe('v2');
  });

  it('accepts fractional weights and ten variants', () => {
    const ten = Array.from({ length: 10 }, (_, i) => v(`v${i}`, 0.1));
    expect(problem(variants(...ten))).toBeNull();
  });

  it.each([
    ['id', { id: 'has space' }, /letters, digits/],
    ['name', { name: '  ' }, /cannot be empty/],
    ['prompt', { prompt: '@acme/support' }, /names a set/],
    ['prompt', { prompt: '@acme/support@1.0.0/greeting' }, /has a version/],
    ['prompt', { prompt: 'acme/support/greeting' }, /starts with "@"/],
    ['status', { status: 'paused' }, /running|stopped/],
    ['winner', { status: 'stopped' }, /names its winning variant/],
    ['winner', { status: 'stopped', winner: 'nobody' }, /not one of the variants \(control, v2\)/],
    ['winner', { winner: 'v2' }, /running experiment has no winner/],
    ['variants', variants(v('only')), /at least 2 variants/],
    ['variants', variants(...Array.from({ length: 11 }, (_, i) => v(`v${i}`))), /at most 10 variants/],
    ['variants[1].key', variants(v('a'), v('a')), /already the key of variants\[0\]/],
    ['variants[1].key', variants(v('a'), v('B')), /capital letters/],
    ['variants[1].weight', variants(v('a'), v('b', 0)), /positive/],
    ['variants[1].weight', variants(v('a'), v('b', -2)), /positive/],
    ['variants[1].weight', variants(v('a'), v('b', Infinity)), /positive finite/],
    ['variants[1].weight', variants(v('a'), v('b', '1')), /positive finite number/],
    ['variants[0].target', variants(v('a', 1, {}), v('b')), /exactly one of them/],
    ['variants[0].target', variants(v('a', 1, { prompt: 'p', version: '1.0.0' }), v('b')), /exactly one/],
    ['variants[0].target.version', variants(v('a', 1, { version: '1.2' }), v('b')), /not a semantic version/],
    ['variants[0].target.prompt', variants(v('a', 1, { prompt: 'Bad Name' }), v('b')), /capital|contains/],
    ['variants[0].target', variants(v('a', 1, { branch: 'x' }), v('b')), /branch/],
    ['unit', { unit: 'user id' }, /identifier such as "userId"/],
    ['metric.kind', { metric: { name: 'resolved', kind: 'median' } }, /rate|mean/],
    ['metric.name', { metric: { name: '', kind: 'mean' } }, /cannot be empty/],
    ['salt', { salt: 'a:b' }, /letters, digits/],
    ['version', { version: 0 }, /counts from 1/],
    ['version', { version: 1.5 }, /whole number/],
    ['(the experiment)', { extra: true }, /extra/],
  ])('names the field %s', (path, change, message) => {
    const p = problem(change);
    expect(p?.path).toBe(path);
    expect(p?.message).toMatch(message);
    expect(p?.message.startsWith(`experiment: ${path}: `)).toBe(true);
  });

  it('throws invalid_experiment with every issue in details', () => {
    let error: unknown;
    try {
      parseExperiment({ ...VALID, version: 0, unit: '' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AnvilError);
    expect((error as AnvilError).code).toBe('invalid_experiment');
    expect((error as AnvilError).message).toMatch(/\(and 1 more\)/);
    const issues = ((error as AnvilError).details as { issues: { path: string }[] }).issues;
    expect(issues.map((i) => i.path).sort()).toEqual(['unit', 'version']);
  });

  it('refuses what is not an object', () => {
    expect(checkExperiment(null).ok).toBe(false);
    expect(checkExperiment([]).ok).toBe(false);
  });
});

describe('experiment lists (package metadata, lock file)', () => {
  const other = { ...VALID, id: 'exp-farewell', prompt: '@acme/support/farewell' };

  it('accepts one experiment per prompt and finds it', () => {
    const r = checkExperimentList([VALID, other]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(experimentFor(r.value, '@acme/support/farewell')?.id).toBe('exp-farewell');
    expect(experimentFor(r.value, '@acme/support/nothing')).toBeUndefined();
  });

  it('names the item and the field', () => {
    const bad = checkExperimentList([VALID, { ...other, version: 0 }]);
    expect(!bad.ok && bad.error.path).toBe('[1].version');
    expect(!bad.ok && bad.error.message).toMatch(/^experiments: \[1\]\.version: /);
    const twice = checkExperimentList([VALID, { ...other, id: VALID.id }]);
    expect(!twice.ok && twice.error.path).toBe('[1].id');
    const samePrompt = checkExperimentList([VALID, { ...other, prompt: VALID.prompt }]);
    expect(!samePrompt.ok && samePrompt.error.message).toMatch(/already has an experiment/);
    expect(checkExperimentList({}).ok).toBe(false);
  });
});
