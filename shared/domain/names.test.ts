import { describe, expect, it } from 'vitest';
import { Id, Name, NAME_MAX, nameProblem, Tag, tagProblem } from './index';

describe('names (projects, sets, prompts)', () => {
  it('accepts npm-style names up to 64 characters', () => {
    for (const n of ['acme', 'support', 'greeting-v2', 'a.b_c-d', '0day', 'x'.repeat(NAME_MAX)]) {
      expect(nameProblem(n)).toBeNull();
      expect(Name.safeParse(n).success).toBe(true);
    }
  });

  it('refuses 65 characters, saying how long it is', () => {
    expect(nameProblem('x'.repeat(65))).toMatch(/65 characters long; at most 64/);
    expect(Name.safeParse('x'.repeat(65)).success).toBe(false);
  });

  it('refuses empty names, capitals, bad characters and a leading ".", "_" or "-"', () => {
    expect(nameProblem('')).toMatch(/empty/);
    expect(nameProblem('Support')).toMatch(/capital/);
    expect(nameProblem('sup port')).toMatch(/contains " "/);
    expect(nameProblem('sup/port')).toMatch(/contains "\/"/);
    expect(nameProblem('sup@port')).toMatch(/contains "@"/);
    expect(nameProblem('café')).toMatch(/contains "é"/);
    for (const n of ['.hidden', '_private', '-dash'])
      expect(nameProblem(n)).toMatch(/must start with a letter or a digit/);
  });

  it('gives the problem as the zod issue message', () => {
    const result = Name.safeParse('Bad');
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues[0]?.message).toMatch(/capital/);
  });
});

describe('tags', () => {
  it('accepts latest, beta and other plain names', () => {
    for (const t of ['latest', 'beta', 'next', 'canary', 'v2-preview', '2024-release']) {
      expect(tagProblem(t)).toBeNull();
      expect(Tag.safeParse(t).success).toBe(true);
    }
  });

  it('refuses anything that parses as a semver range: 1, x, ^1.0.0, 1.2, *', () => {
    for (const t of ['1', 'x', '1.2', '1.x', '1.0.0', 'v1']) expect(tagProblem(t)).toMatch(/reads as a version range/);
    for (const t of ['^1.0.0', '*', '~1.2']) expect(tagProblem(t)).not.toBeNull();
    expect(Tag.safeParse('^1.0.0').success).toBe(false);
  });

  it('refuses version-looking text that semver rejects, so no misspelt version becomes a tag', () => {
    for (const t of ['01.0.0', '1.2.3.4', '0.']) expect(tagProblem(t)).toMatch(/reads like a version number/);
  });

  it('applies the name rules too', () => {
    expect(tagProblem('Latest')).toMatch(/capital/);
    expect(tagProblem('t'.repeat(65))).toMatch(/65 characters/);
  });
});

describe('ids', () => {
  it('accept uuids and url-safe strings, refuse the rest', () => {
    expect(Id.safeParse(crypto.randomUUID()).success).toBe(true);
    expect(Id.safeParse('abc_DEF-123').success).toBe(true);
    for (const bad of ['', 'a b', 'a/b', 'x'.repeat(65)]) expect(Id.safeParse(bad).success).toBe(false);
  });
});
