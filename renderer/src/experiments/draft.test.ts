import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../../shared/experiments';
import type { VariantResult } from '../../../shared/experiments';
import {
  definitionOf,
  draftIssues,
  draftOf,
  formatDifference,
  formatEstimate,
  idFromName,
  issuesAt,
  newDraft,
  nextVariantKey,
  shares,
  verdict,
} from './draft';

const NAME = '@acme/support';
const context = {
  prompts: ['greeting', 'greeting-short'],
  versions: [
    { version: '1.2.0', prompts: ['greeting', 'greeting-short'] },
    { version: '1.0.0', prompts: ['farewell'] },
  ],
};

describe('the experiment form', () => {
  it('a new draft compares the prompt with another prompt of the set, evenly, and is valid once named', () => {
    const d = newDraft('greeting', context.prompts, ['1.2.0', '1.0.0'], '1.2.0');
    expect(d.variants.map((v) => [v.key, v.kind, v.target])).toEqual([
      ['control', 'prompt', 'greeting'],
      ['b', 'prompt', 'greeting-short'],
    ]);
    expect(issuesAt(draftIssues(d, NAME, context), 'name')).toEqual(['the name cannot be empty']);
    const named = { ...d, name: 'Greeting tone' };
    expect(draftIssues(named, NAME, context)).toEqual([]);
    const def = definitionOf(named, NAME, idFromName(named.name));
    expect(parseExperiment({ ...def, version: 1 })).toMatchObject({
      id: 'greeting-tone',
      prompt: '@acme/support/greeting',
      variants: [{ weight: 1 }, { weight: 1 }],
    });
  });

  it('without another prompt, the alternative is a published version other than the latest', () => {
    const d = newDraft('greeting', ['greeting'], ['1.2.0', '1.0.0'], '1.2.0');
    expect(d.variants[1]).toMatchObject({ kind: 'version', target: '1.0.0' });
  });

  it('names every problem by its field: weights, keys, targets the package lacks', () => {
    const d = {
      ...newDraft('greeting', context.prompts, [], null),
      name: 'x',
      variants: [
        { key: 'control', weight: '1', kind: 'prompt' as const, target: 'greeting' },
        { key: 'control', weight: '0', kind: 'version' as const, target: '1.0.0' },
        { key: 'c', weight: '', kind: 'version' as const, target: '9.9.9' },
        { key: 'd', weight: '2', kind: 'prompt' as const, target: 'nope' },
      ],
    };
    const issues = draftIssues(d, NAME, context);
    expect(issuesAt(issues, 'variants[1].key')[0]).toMatch(/already the key/);
    expect(issuesAt(issues, 'variants[1].weight')[0]).toMatch(/positive/);
    expect(issuesAt(issues, 'variants[1].target.version')).toEqual(['version 1.0.0 has no prompt "greeting"']);
    expect(issuesAt(issues, 'variants[2].weight')[0]).toMatch(/positive/);
    expect(issuesAt(issues, 'variants[2].target.version')).toEqual(['9.9.9 is not published']);
    expect(issuesAt(issues, 'variants[3]')).toEqual(['the latest published version has no prompt "nope"']);
    expect(shares(d.variants)).toEqual(['—', '—', '—', '—']);
  });

  it('editing a published experiment sends the next revision number, so a concurrent change is refused', () => {
    const e = parseExperiment({
      id: 'tone',
      name: 'Tone',
      prompt: '@acme/support/greeting',
      status: 'running',
      variants: [
        { key: 'control', weight: 3, target: { prompt: 'greeting' } },
        { key: 'v12', weight: 1, target: { version: '1.2.0' } },
      ],
      unit: 'sessionId',
      metric: { name: 'score', kind: 'mean' },
      version: 4,
    });
    const d = draftOf(e, NAME);
    expect(d).toMatchObject({ prompt: 'greeting', unit: 'sessionId', metricKind: 'mean', baseVersion: 4 });
    expect(shares(d.variants)).toEqual(['75%', '25%']);
    expect(definitionOf(d, NAME, d.id)).toMatchObject({ id: 'tone', version: 5 });
  });

  it('ids come from names, and keys are the next free letter', () => {
    expect(idFromName('Greeting tone (Déc.)')).toBe('greeting-tone-dec');
    expect(idFromName('!!!')).toBe('experiment');
    expect(idFromName('Tone', new Set(['tone', 'tone-2']))).toBe('tone-3');
    expect(
      nextVariantKey([
        { key: 'control', weight: '1', kind: 'prompt', target: '' },
        { key: 'b', weight: '1', kind: 'prompt', target: '' },
      ]),
    ).toBe('c');
  });
});

describe('results in words', () => {
  const result = (difference: VariantResult['difference'], significant: boolean): VariantResult => ({
    key: 'b',
    control: false,
    exposures: 10,
    errors: 0,
    observations: 10,
    estimate: null,
    difference,
    significant,
    latencyP50Ms: null,
    latencyP95Ms: null,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    costPerExposureUsd: null,
  });

  it('rates in percent and points, means in numbers, with their intervals', () => {
    expect(formatEstimate('rate', { value: 0.123, low: 0.104, high: 0.145 })).toBe('12.3% (10.4% to 14.5%)');
    expect(formatEstimate('mean', { value: 0.8234, low: 0.79, high: 0.851 })).toBe('0.823 (0.79 to 0.851)');
    expect(formatEstimate('rate', null)).toBe('no data yet');
    expect(formatDifference('rate', { value: 0.05, low: 0.021, high: -0.003 })).toBe('+5.0 points (+2.1 to -0.3)');
    expect(formatDifference('mean', { value: 0.12, low: -0.01, high: 0.25 })).toBe('+0.12 (-0.01 to +0.25)');
  });

  it('says higher or lower only when the interval excludes 0', () => {
    expect(verdict(result({ value: 0.05, low: 0.02, high: 0.08 }, true), 'rate')).toBe('higher than the control');
    expect(verdict(result({ value: -0.05, low: -0.08, high: -0.02 }, true), 'mean')).toBe(
      'lower mean than the control',
    );
    expect(verdict(result({ value: 0.01, low: -0.02, high: 0.04 }, false), 'rate')).toBe('no clear difference yet');
    expect(verdict(result(null, false), 'rate')).toBe('not enough data');
  });
});
