import { describe, expect, it, vi } from 'vitest';
import semver from 'semver';
import type { Prompt } from '../domain/prompt';
import type { PromptSetContent } from '../domain/prompt-set';
import { whyInvalid } from '../semver/versions';
import { sampleContent } from './fixtures';
import { BUNDLE_LIMITS, bumpFits, checkPublish, movesLatest, previousOnLine } from './index';
import type { PublishCheckInput, PublishProblem } from './index';

const COMMON = ['1.0.0', '1.2.0', '2.0.0'];

function input(over: Partial<PublishCheckInput> = {}): PublishCheckInput {
  return {
    name: '@acme/support',
    version: '1.0.0',
    content: sampleContent(),
    override: null,
    published: [],
    registryVersions: (name) => (name === '@acme/common' ? COMMON : null),
    ...over,
  };
}

const published = (versions: Record<string, PromptSetContent>): PublishCheckInput['published'] =>
  Object.entries(versions).map(([version, content]) => ({ version, content: () => content }));

/** Sample content with prompt `name` changed by `edit`. */
function withPrompt(name: string, edit: (p: Prompt) => Prompt): PromptSetContent {
  const c = sampleContent();
  return { ...c, prompts: c.prompts.map((p) => (p.name === name ? edit(p) : p)) };
}
const patchChange = (): PromptSetContent =>
  withPrompt('greet', (p) => ({ ...p, template: `${(p as { template: string }).template} Thanks.` }) as Prompt);
const minorChange = (): PromptSetContent => {
  const c = sampleContent();
  return { ...c, prompts: [...c.prompts, { ...(c.prompts[1] as Prompt), id: 'p-extra', name: 'extra' }] };
};
const majorChange = (): PromptSetContent => {
  const c = sampleContent();
  return { ...c, prompts: c.prompts.filter((p) => p.name !== 'triage') };
};

const codes = (problems: PublishProblem[]): string[] => problems.map((p) => p.code);

describe('checkPublish: a first publish', () => {
  it('passes, with no base, measured as minor and never a wrong bump', () => {
    const check = checkPublish(input({ version: '0.1.0', content: majorChange() }));
    expect(check.problems).toEqual([]);
    expect(check.base).toBeNull();
    expect(check.changeClass).toBe('minor');
    expect(check.reasons).toEqual([]);
    expect(check.overridden).toBe(false);
    expect(check.latest(null)).toBe(true);
  });

  it('is a first publish on its line even when a higher line exists (no version below)', () => {
    const check = checkPublish(input({ version: '0.9.0', published: published({ '1.0.0': sampleContent() }) }));
    expect(check.problems).toEqual([]);
    expect(check.base).toBeNull();
    expect(check.latest('1.0.0')).toBe(false);
  });
});

describe('checkPublish: version numbers', () => {
  it.each(['1.2', '01.0.0', 'v1.0.0', '1.0.0+build.1', ' 1.0.0', '1.0', 'latest', ''])(
    'refuses %j with the semver wording of the studio',
    (version) => {
      const { problems } = checkPublish(input({ version }));
      expect(problems[0]).toEqual({ code: 'invalid_version', message: whyInvalid(version), details: { version } });
    },
  );

  it('explains the common mistakes', () => {
    const message = (v: string): string => checkPublish(input({ version: v })).problems[0]?.message ?? '';
    expect(message('1.2')).toMatch(/needs three numbers, major\.minor\.patch \(e\.g\. 1\.2\.0\)/);
    expect(message('01.0.0')).toMatch(/no leading zeros/);
    expect(message('v1.0.0')).toMatch(/without the leading "v"/);
  });

  it('refuses a version already published (even the same content), and still reports the rest', () => {
    const content = withPrompt('greet', (p) => ({ ...p, template: '{% nope %}' }) as Prompt);
    const check = checkPublish(input({ content, published: published({ '1.0.0': sampleContent() }) }));
    expect(codes(check.problems)).toEqual(['version_exists', 'template_error']);
    expect(check.problems[0]?.message).toMatch(
      /@acme\/support@1\.0\.0 is already published; a published version never changes/,
    );
  });
});

describe('bumpFits: the change class must fit the step', () => {
  it.each([
    // 1.x and above
    ['major', '1.2.3', '2.0.0', true],
    ['major', '1.2.3', '1.3.0', false],
    ['major', '1.2.3', '1.2.4', false],
    ['minor', '1.2.3', '1.3.0', true],
    ['minor', '1.2.3', '2.0.0', true],
    ['minor', '1.2.3', '1.2.4', false],
    ['patch', '1.2.3', '1.2.4', true],
    ['patch', '1.2.3', '1.3.0', true],
    ['patch', '1.2.3', '3.0.0', true],
    ['none', '1.2.3', '1.2.4', true],
    ['none', '1.2.3', '2.0.0', true],
    // 0.x: the minor number is the breaking one, the patch number takes minor and patch changes
    ['major', '0.3.1', '0.4.0', true],
    ['major', '0.3.1', '1.0.0', true],
    ['major', '0.3.1', '0.3.2', false],
    ['minor', '0.3.1', '0.3.2', true],
    ['minor', '0.3.1', '0.4.0', true],
    ['patch', '0.3.1', '0.3.2', true],
    // prereleases count by their numbers
    ['major', '1.2.3', '2.0.0-rc.0', true],
    ['major', '1.2.3', '1.2.4-rc.0', false],
    ['minor', '1.2.3', '1.3.0-beta.1', true],
  ] as const)('%s change from %s to %s fits: %s', (cls, base, version, fits) => {
    expect(bumpFits(cls, base, version)).toBe(fits);
  });
});

describe('checkPublish: the bump is recomputed against the previous version on its line', () => {
  it('accepts a patch change under a patch number, with the reasons', () => {
    const check = checkPublish(
      input({ version: '1.0.1', content: patchChange(), published: published({ '1.0.0': sampleContent() }) }),
    );
    expect(check.problems).toEqual([]);
    expect(check.base).toBe('1.0.0');
    expect(check.changeClass).toBe('patch');
    expect(check.reasons.map((r) => r.code)).toEqual(['template_changed']);
    expect(check.latest('1.0.0')).toBe(true);
  });

  it('accepts an unchanged set under any new number (class none)', () => {
    const check = checkPublish(input({ version: '1.0.1', published: published({ '1.0.0': sampleContent() }) }));
    expect(check.changeClass).toBe('none');
    expect(check.problems).toEqual([]);
  });

  it('refuses a breaking change under a patch number (wrong_bump) with the reasons in message and details', () => {
    const check = checkPublish(
      input({ version: '1.0.1', content: majorChange(), published: published({ '1.0.0': sampleContent() }) }),
    );
    expect(check.changeClass).toBe('major');
    expect(codes(check.problems)).toEqual(['wrong_bump']);
    const problem = check.problems[0] as PublishProblem;
    expect(problem.message).toBe(
      '1.0.1 is a patch step from 1.0.0, but the change is major (triage: prompt `triage` was removed): ' +
        'a breaking change needs a new major version (2.0.0), or the version must carry an override reason',
    );
    expect(problem.details).toEqual({
      base: '1.0.0',
      version: '1.0.1',
      step: 'patch',
      changeClass: 'major',
      suggested: '2.0.0',
      reasons: check.reasons,
    });
    expect(check.overridden).toBe(false);
  });

  it('refuses a minor change under a patch number from 1.0.0 on', () => {
    const check = checkPublish(
      input({ version: '1.0.1', content: minorChange(), published: published({ '1.0.0': sampleContent() }) }),
    );
    expect(codes(check.problems)).toEqual(['wrong_bump']);
    expect(check.problems[0]?.message).toMatch(
      /change is minor \(extra: prompt `extra` was added\): a minor change needs at least a new minor version \(1\.1\.0\)/,
    );
    expect(
      checkPublish(
        input({ version: '1.1.0', content: minorChange(), published: published({ '1.0.0': sampleContent() }) }),
      ).problems,
    ).toEqual([]);
  });

  it('applies the 0.x rules: a minor step is breaking, a patch step takes a minor change', () => {
    const base = published({ '0.3.1': sampleContent() });
    expect(checkPublish(input({ version: '0.3.2', content: minorChange(), published: base })).problems).toEqual([]);
    const wrong = checkPublish(input({ version: '0.3.2', content: majorChange(), published: base }));
    expect(codes(wrong.problems)).toEqual(['wrong_bump']);
    expect(wrong.problems[0]?.message).toMatch(
      /a breaking change in 0\.x needs a new minor \(or major\) version \(0\.4\.0\)/,
    );
    expect(checkPublish(input({ version: '0.4.0', content: majorChange(), published: base })).problems).toEqual([]);
  });

  it('publishes a wrong bump that carries an override reason, flagged as overridden', () => {
    const check = checkPublish(
      input({
        version: '1.0.1',
        content: majorChange(),
        override: 'nobody uses triage',
        published: published({ '1.0.0': sampleContent() }),
      }),
    );
    expect(check.problems).toEqual([]);
    expect(check.overridden).toBe(true);
    expect(check.changeClass).toBe('major');
  });

  it('does not count a blank override', () => {
    for (const override of ['', '   ', '\n\t']) {
      const check = checkPublish(
        input({
          version: '1.0.1',
          content: majorChange(),
          override,
          published: published({ '1.0.0': sampleContent() }),
        }),
      );
      expect(codes(check.problems)).toEqual(['wrong_bump']);
      expect(check.overridden).toBe(false);
    }
  });

  it('is not overridden when the bump fits anyway', () => {
    const check = checkPublish(
      input({
        version: '2.0.0',
        content: majorChange(),
        override: 'why not',
        published: published({ '1.0.0': sampleContent() }),
      }),
    );
    expect(check.overridden).toBe(false);
    expect(check.problems).toEqual([]);
  });

  it('measures a backport from its own line (1.2.5 from 1.2.4 while 2.0.0 exists), loading only that content', () => {
    const newer = vi.fn(() => majorChange());
    const check = checkPublish(
      input({
        version: '1.2.5',
        content: patchChange(),
        published: [
          { version: '1.0.0', content: () => sampleContent() },
          { version: '1.2.4', content: () => sampleContent() },
          { version: '2.0.0', content: newer },
        ],
      }),
    );
    expect(check.base).toBe('1.2.4');
    expect(check.changeClass).toBe('patch');
    expect(check.problems).toEqual([]);
    expect(newer).not.toHaveBeenCalled();
    expect(check.latest('2.0.0')).toBe(false);
  });

  it('refuses a breaking backport under a patch number without suggesting a taken version', () => {
    const check = checkPublish(
      input({
        version: '1.2.5',
        content: majorChange(),
        published: published({ '1.2.4': sampleContent(), '2.0.0': sampleContent() }),
      }),
    );
    expect(codes(check.problems)).toEqual(['wrong_bump']);
    expect(check.problems[0]?.message).not.toMatch(/\(2\.0\.0\)/);
    expect((check.problems[0]?.details as { suggested: unknown }).suggested).toBeNull();
  });

  it('measures a prerelease from the last release, never from another prerelease', () => {
    const versions = published({ '1.0.0': sampleContent(), '2.0.0-rc.0': minorChange() });
    const rc1 = checkPublish(input({ version: '2.0.0-rc.1', content: majorChange(), published: versions }));
    expect(rc1.base).toBe('1.0.0');
    expect(rc1.problems).toEqual([]);
    expect(rc1.latest('1.0.0')).toBe(false);
    const patchRc = checkPublish(input({ version: '1.0.1-rc.0', content: majorChange(), published: versions }));
    expect(codes(patchRc.problems)).toEqual(['wrong_bump']);
  });
});

describe('previousOnLine', () => {
  it.each([
    [[], '1.0.0', null],
    [['1.0.0'], '1.0.0', null],
    [['1.0.0', '1.2.4', '2.0.0'], '1.2.5', '1.2.4'],
    [['1.0.0', '1.2.4', '2.0.0'], '3.0.0', '2.0.0'],
    [['2.0.0'], '1.0.0', null],
    [['1.0.0', '2.0.0-rc.0', '2.0.0-rc.1'], '2.0.0', '1.0.0'],
    [['1.0.0', '2.0.0-rc.0'], '2.0.0-rc.1', '1.0.0'],
    [['1.9.0', '1.10.0', '1.2.0'], '1.11.0', '1.10.0'],
    [['1.0', 'garbage', '1.1.0'], '1.2.0', '1.1.0'],
    [['1.0.0'], '1.2', null],
  ] as const)('among %j, below %s: %s', (versions, version, expected) => {
    expect(previousOnLine(versions, version)).toBe(expected);
  });
});

describe('movesLatest', () => {
  it.each([
    [null, '1.0.0', true],
    [null, '0.1.0', true],
    [null, '1.0.0-rc.0', false],
    ['1.0.0', '1.1.0', true],
    ['1.0.0', '1.0.0', false],
    ['2.0.0', '1.2.5', false],
    ['1.0.0', '2.0.0-beta.1', false],
    ['1.9.0', '1.10.0', true],
    ['1.0.0', 'v2.0.0', false],
  ] as const)('latest %s, publishing %s: %s', (current, version, moves) => {
    expect(movesLatest(current, version)).toBe(moves);
  });
});

describe('checkPublish: templates parse under the allow-list', () => {
  it('refuses a template that does not parse, naming the prompt, line and column', () => {
    const content = withPrompt('greet', (p) => ({ ...p, template: 'Hello\n  {{ customer ' }) as Prompt);
    const [problem] = checkPublish(input({ content })).problems;
    expect(problem).toMatchObject({ code: 'template_error', prompt: 'greet', line: 2, column: 3 });
    expect(problem?.message).toMatch(/^prompt "greet", line 2, column 3: .*not closed/);
  });

  it('refuses tags and filters outside the allow-list', () => {
    const content = withPrompt('greet', (p) => ({ ...p, template: '{% include "x" %}' }) as Prompt);
    const [problem] = checkPublish(input({ content })).problems;
    expect(problem).toMatchObject({ code: 'template_error', prompt: 'greet', line: 1, column: 1 });
    expect(problem?.message).toMatch(/the tag "include" is not available in Anvil templates/);
    expect(problem?.details).toEqual({ code: 'unknown_tag' });
  });

  it('checks each chat message and says which', () => {
    const content = withPrompt(
      'triage',
      (p) =>
        ({
          ...p,
          messages: [
            ...(p as { messages: unknown[] }).messages,
            { type: 'message', role: 'user', content: 'ok\n{{ x | shell }}' },
          ],
        }) as Prompt,
    );
    const [problem] = checkPublish(input({ content })).problems;
    expect(problem).toMatchObject({ code: 'template_error', prompt: 'triage', line: 2 });
    expect(problem?.message).toMatch(
      /^prompt "triage", message 4, line 2, column \d+: the filter "shell" is not available/,
    );
    expect(problem?.details).toEqual({ code: 'unknown_filter', message: 4 });
  });

  it('reports every broken template, not just the first', () => {
    const c = sampleContent();
    const content = {
      ...c,
      prompts: c.prompts.map((p) => (p.kind === 'text' ? ({ ...p, template: '{% if %}' } as Prompt) : p)),
    };
    const problems = checkPublish(input({ content })).problems;
    expect(problems.map((p) => [p.code, p.prompt])).toEqual([
      ['template_error', 'greet'],
      ['template_error', 'footer'],
    ]);
  });

  it('refuses a render of a prompt this set does not have (or a chat prompt, which cannot be a partial)', () => {
    for (const target of ['nothere', 'triage']) {
      const content = withPrompt('greet', (p) => ({ ...p, template: `Hi {% render '${target}' %}` }) as Prompt);
      const [problem] = checkPublish(input({ content })).problems;
      expect(problem).toMatchObject({ code: 'template_error', prompt: 'greet', line: 1, column: 4 });
      expect(problem?.message).toContain(`the set has no text prompt "${target}"`);
    }
  });
});

describe('checkPublish: dependencies', () => {
  it('refuses a render of a set that is not a declared dependency, naming prompt, line and column', () => {
    const content = withPrompt(
      'greet',
      (p) => ({ ...p, template: 'Hi\n\n  {% render "@acme/legal/terms" %}' }) as Prompt,
    );
    const [problem, ...rest] = checkPublish(input({ content })).problems;
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ code: 'undeclared_dependency', prompt: 'greet', line: 3, column: 3 });
    expect(problem?.message).toBe(
      "prompt \"greet\", line 3, column 3: {% render '@acme/legal/terms' %} uses @acme/legal, which is not a declared dependency; add it to the set's dependencies with a version range",
    );
  });

  it('refuses a declared dependency the registry does not have', () => {
    const check = checkPublish(input({ registryVersions: () => null }));
    expect(check.problems).toEqual([
      {
        code: 'missing_dependency',
        message: 'dependency @acme/common is not in the registry; publish it first, or remove it from the dependencies',
        details: { dependency: '@acme/common', range: '^1.0.0' },
      },
    ]);
  });

  it('refuses a range no published version satisfies, naming the range and the versions there are', () => {
    const content = sampleContent({ dependencies: { '@acme/common': '^3.0.0' } });
    const [problem] = checkPublish(input({ content })).problems;
    expect(problem).toEqual({
      code: 'unsatisfiable_dependency',
      message: 'dependency @acme/common@^3.0.0: no published version satisfies ^3.0.0 (published: 2.0.0, 1.2.0, 1.0.0)',
      details: { dependency: '@acme/common', range: '^3.0.0', versions: COMMON },
    });
    const none = checkPublish(input({ content, registryVersions: () => [] })).problems[0];
    expect(none?.message).toMatch(/\(none is published\)$/);
  });

  it('refuses an invalid range and a key that is not a package name', () => {
    const content = sampleContent({ dependencies: { '@acme/common': 'not a range!', 'acme-common': '1' } });
    const problems = checkPublish(input({ content })).problems;
    expect(problems.map((p) => [p.code, p.message])).toEqual([
      ['unsatisfiable_dependency', 'dependency @acme/common: "not a range!" is not a valid semver range'],
      ['missing_dependency', 'dependency "acme-common" is not a package name of the form @project/set'],
    ]);
  });

  it('resolves ranges exactly as node-semver does, prereleases included', () => {
    const cases: [string[], string][] = [
      [['1.0.0', '1.1.0-beta.1'], '^1.0.0'],
      [['1.0.0', '1.1.0-beta.1'], '^1.1.0-beta.0'],
      [['1.1.0-beta.1'], '^1.0.1'],
      [['0.3.1', '0.3.9', '0.4.0'], '^0.3.1'],
      [['1.0.0', '1.5.0', '2.0.0'], '~1.0.0 || >=1.5.0 <2'],
      [['1.0.0', '2.0.0-rc.1'], '*'],
      [['1.0.0', '2.0.0-rc.1'], '>=2.0.0-rc.0'],
    ];
    for (const [versions, range] of cases) {
      const promptsOf = vi.fn(() => ['signature']);
      const content = sampleContent({ dependencies: { '@acme/common': range } });
      const check = checkPublish(input({ content, registryVersions: () => versions, promptsOf }));
      const expected = semver.maxSatisfying(versions, range);
      if (expected === null) {
        expect(codes(check.problems)).toEqual(['unsatisfiable_dependency']);
        expect(promptsOf).not.toHaveBeenCalled();
      } else {
        expect(check.problems).toEqual([]);
        expect(promptsOf).toHaveBeenCalledWith('@acme/common', expected);
      }
    }
  });

  it('refuses a render whose prompt the resolved version does not have', () => {
    const promptsOf = vi.fn((name: string, version: string) => (version === '1.2.0' ? ['header'] : ['signature']));
    const [problem, ...rest] = checkPublish(input({ promptsOf })).problems;
    expect(rest).toEqual([]);
    expect(promptsOf).toHaveBeenCalledWith('@acme/common', '1.2.0');
    expect(problem).toMatchObject({ code: 'missing_dependency', prompt: 'footer', line: 1, column: 4 });
    expect(problem?.message).toBe(
      'prompt "footer", line 1, column 4: {% render \'@acme/common/signature\' %}: @acme/common@1.2.0 (the highest version matching ^1.0.0) has no prompt "signature"',
    );
  });

  it('skips the prompt check when promptsOf does not know the version', () => {
    expect(checkPublish(input({ promptsOf: () => null })).problems).toEqual([]);
  });
});

describe('checkPublish: everything at once', () => {
  it('reports all problems, not just the first', () => {
    const c = withPrompt('greet', (p) => ({ ...p, template: '{{ oops ' }) as Prompt);
    const content = {
      ...c,
      dependencies: { '@acme/common': '^9.0.0', '@acme/gone': '1.x' },
      prompts: c.prompts.map((p) =>
        p.name === 'footer' ? ({ ...p, template: '{% render "@acme/legal/x" %}' } as Prompt) : p,
      ),
    };
    const check = checkPublish(input({ version: '1.2', content }));
    expect(codes(check.problems)).toEqual([
      'invalid_version',
      'template_error',
      'undeclared_dependency',
      'unsatisfiable_dependency',
      'missing_dependency',
    ]);
  });

  it('refuses more prompts or dependencies than a bundle holds, and entry names that collide', () => {
    const c = sampleContent();
    const many = Array.from({ length: BUNDLE_LIMITS.maxPrompts + 1 }, (_, i) => ({
      ...(c.prompts[1] as Prompt),
      id: `p${i}`,
      name: `p${i}`,
      template: '',
    }));
    const deps = Object.fromEntries(
      Array.from({ length: BUNDLE_LIMITS.maxDependencies + 1 }, (_, i) => [`@acme/d${i}`, '1']),
    );
    const check = checkPublish(
      input({ content: { ...c, prompts: many, dependencies: deps }, registryVersions: () => ['1.0.0'] }),
    );
    expect(codes(check.problems)).toEqual(['too_large', 'too_large']);

    const clash = { ...c, prompts: [...c.prompts, { ...(c.prompts[1] as Prompt), id: 'x', name: 'Footer' }] };
    const problems = checkPublish(input({ content: clash })).problems;
    expect(problems).toEqual([expect.objectContaining({ code: 'invalid_entry_name', prompt: 'Footer' })]);
  });
});
