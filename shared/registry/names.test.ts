import { describe, expect, it } from 'vitest';
import { entryNameProblem, entryNamesProblems, parsePackageName, parsePromptRef } from './index';

describe('entryNameProblem', () => {
  it('accepts plain prompt names', () => {
    for (const ok of ['greet', 'a', 'triage-v2', 'x_y.z', 'a..b', 'Greet', '10', 'a'.repeat(128)])
      expect(entryNameProblem(ok)).toBeNull();
  });

  it.each([
    ['', /cannot be empty/],
    ['a'.repeat(129), /129 characters long; at most 128/],
    ['..', /contains "\.\."/],
    ['../etc/passwd', /contains "\.\."/],
    ['a/../../b', /contains "\.\."/],
    ['..\\win', /contains "\.\."/],
    ['/etc/passwd', /absolute path/],
    ['/x', /absolute path/],
    ['\\x', /absolute path/],
    ['C:\\x', /absolute path/],
    ['c:x', /absolute path/],
    ['a/b', /path separator/],
    ['a\\b', /path separator/],
    ['.', /cannot be "\."/],
    ['a\u0000b', /NUL character/],
    ['a\nb', /control character U\+000A/],
    ['a\u001bb', /control character U\+001B/],
    ['a\u007fb', /control character U\+007F/],
    ['a\u0085b', /control character U\+0085/],
    ['p\u0430y', /"\u0430" \(U\+0430\).*not ASCII/],
    ['\uff50ay', /"\uff50" \(U\+FF50\) \(it reads as "p"\).*not ASCII/],
    ['\ufb01le', /U\+FB01\) \(it reads as "fi"\)/],
    ['caf\u00e9', /U\+00E9/],
    ['a\u200bb', /U\+200B/],
    ['a b', /contains " "/],
    ['ab:c', /contains ":"/],
    ['a*b', /contains "\*"/],
  ])('refuses %j', (name, message) => {
    expect(entryNameProblem(name)).toMatch(message);
  });

  it('shows hidden characters escaped in its message', () => {
    expect(entryNameProblem('a\u0000b')).toContain('"a\\u0000b"');
  });
});

describe('entryNamesProblems', () => {
  it('is empty for distinct valid names', () => {
    expect(entryNamesProblems(['greet', 'footer', 'triage'])).toEqual([]);
  });

  it('reports names that differ only by case', () => {
    const problems = entryNamesProblems(['greet', 'Greet']);
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'invalid_entry_name',
        prompt: 'Greet',
        message: expect.stringMatching(/"Greet" and "greet" differ only by case/),
      }),
    ]);
  });

  it('reports names that are the same after NFKC normalisation, besides the non-ASCII name itself', () => {
    const problems = entryNamesProblems(['file', '\ufb01le']);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/not ASCII/),
      expect.stringMatching(/"\ufb01le" and "file" are the same name once normalised \(NFKC\)/),
    ]);
    expect(entryNamesProblems(['PAY', '\uff50ay'])).toHaveLength(2);
  });

  it('reports a name used twice and every bad name, not just the first', () => {
    const problems = entryNamesProblems(['a', 'a', '../x', '/y']);
    expect(problems.map((p) => p.prompt)).toEqual(['../x', '/y', 'a']);
    expect(problems[2]?.message).toMatch(/used twice/);
  });
});

describe('parsePackageName', () => {
  it('splits @project/set', () => {
    expect(parsePackageName('@acme/support')).toEqual({ project: 'acme', set: 'support' });
  });

  it.each(['acme/support', '@acme', '@acme/', '@/support', '@acme/support/x', '@Acme/support', '@acme/sup port', ''])(
    'refuses %j',
    (name) => {
      expect(parsePackageName(name)).toBeNull();
    },
  );
});

describe('parsePromptRef', () => {
  it('splits @project/set/prompt and leaves a plain name alone', () => {
    expect(parsePromptRef('@acme/common/header')).toEqual({ name: '@acme/common', prompt: 'header' });
    expect(parsePromptRef('header')).toBeNull();
  });
});
