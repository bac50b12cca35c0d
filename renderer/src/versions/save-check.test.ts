import { describe, expect, it } from 'vitest';
import type { PromptSetContent } from '../../../shared/domain';
import { textPrompt } from '../../../shared/domain/fixtures';
import { baseVersionFor, evaluateProposal, highestVersion, suggestRenumber, suggestVersion } from './save-check';

const set = (prompts: PromptSetContent['prompts']): PromptSetContent => ({
  id: 's1',
  projectId: 'p1',
  name: 'support',
  description: '',
  dependencies: {},
  prompts,
});

const v1 = set([textPrompt('a', 'greeting', 'Hello')]);
const tone = { name: 'tone', type: { type: 'string' as const }, required: true, description: '' };
const breaking = set([textPrompt('a', 'greeting', 'Hello {{ tone }}', { parameters: [tone] })]);

describe('save-check', () => {
  it('picks the highest version by semver and the release just below a proposed number', () => {
    expect(highestVersion([])).toBeNull();
    expect(highestVersion(['1.0.0', '2.0.0', '1.4.1'])).toBe('2.0.0');
    expect(baseVersionFor('1.5.0', ['1.0.0', '2.0.0', '1.4.1'])).toBe('1.4.1');
    expect(baseVersionFor('3.0.0', ['1.0.0', '2.0.0', '3.0.0-rc.1'])).toBe('2.0.0');
    expect(baseVersionFor('1.', ['1.0.0', '2.0.0'])).toBe('2.0.0');
    expect(baseVersionFor('1.0.0', [])).toBeNull();
  });

  it('suggests 1.0.0 first, then the bump the change needs, and nothing when nothing changed', () => {
    expect(suggestVersion([], { changeClass: 'minor', reasons: [] }).version).toBe('1.0.0');
    expect(suggestVersion(['1.0.0'], { changeClass: 'major', reasons: [] })).toEqual({
      version: '2.0.0',
      why: 'a major change since 1.0.0',
    });
    expect(suggestVersion(['1.0.0'], { changeClass: 'none', reasons: [] }).version).toBe('');
  });

  it('classifies a first version against the empty set', () => {
    const s = evaluateProposal({ proposed: '1.0.0', existing: [], baseContent: null, draft: v1, override: null });
    expect(s.change.changeClass).toBe('minor');
    expect(s.check.ok).toBe(true);
  });

  it('lists the reasons and refuses a breaking change under a minor number unless overridden', () => {
    const base = { existing: ['1.0.0'], baseContent: v1, draft: breaking };
    const refused = evaluateProposal({ ...base, proposed: '1.1.0', override: null });
    expect(refused.change.changeClass).toBe('major');
    expect(refused.change.reasons.map((r) => r.message)).toContain('greeting: required parameter `tone` was added');
    expect(refused.check).toMatchObject({ ok: false, error: { code: 'breaking_change_needs_major' } });
    expect(refused.overridable).toBe(true);

    const blank = evaluateProposal({ ...base, proposed: '1.1.0', override: '  ' });
    expect(blank.check.ok).toBe(false);
    expect(blank.overridable).toBe(true);

    const overridden = evaluateProposal({ ...base, proposed: '1.1.0', override: 'callers already send tone' });
    expect(overridden.check).toEqual({ ok: true, overridden: true });

    expect(evaluateProposal({ ...base, proposed: '2.0.0', override: null }).check.ok).toBe(true);
  });

  it('refuses numbers that are not greater than the last on their line, or not semver, without an override', () => {
    const base = { existing: ['1.0.0', '1.1.0'], baseContent: v1, draft: v1, override: null };
    const s = evaluateProposal({ ...base, proposed: '1.0.5' });
    expect(s.check).toMatchObject({ ok: false, error: { code: 'version_not_greater' } });
    expect(s.overridable).toBe(false);
    expect(evaluateProposal({ ...base, proposed: '1.1' }).check).toMatchObject({
      ok: false,
      error: { code: 'invalid_version' },
    });
    expect(evaluateProposal({ ...base, proposed: '1.1.0' }).check).toMatchObject({
      ok: false,
      error: { code: 'version_exists' },
    });
  });
});

describe('suggestRenumber (after a clash on the server)', () => {
  it('bumps the part the author bumped, above every number known here', () => {
    expect(suggestRenumber('1.1.0', ['1.0.0', '1.1.0'])).toBe('1.2.0');
    expect(suggestRenumber('1.0.1', ['1.0.0', '1.0.1'])).toBe('1.0.2');
    expect(suggestRenumber('2.0.0', ['1.4.0', '2.0.0'])).toBe('3.0.0');
    // The team went further meanwhile: above theirs, not just above the clash.
    expect(suggestRenumber('1.1.0', ['1.1.0', '1.3.0'])).toBe('1.4.0');
    expect(suggestRenumber('1.0.0', ['1.0.0'])).toBe('2.0.0');
  });
});
