import { describe, expect, it } from 'vitest';
import { fuzzyScore, scoreCandidate, topMatches } from './fuzzy';

describe('fuzzyScore', () => {
  it('matches subsequences and refuses what is not one', () => {
    expect(fuzzyScore('spt', 'support')).not.toBeNull();
    expect(fuzzyScore('tps', 'support')).toBeNull();
    expect(fuzzyScore('', 'anything')).toBe(0);
    expect(fuzzyScore('longer than', 'short')).toBeNull();
  });

  it('prefers a prefix, then a word start, then a substring, then a scattered match', () => {
    const prefix = fuzzyScore('sum', 'summarize-ticket') ?? 0;
    const word = fuzzyScore('sum', 'ticket-summary') ?? 0;
    const inner = fuzzyScore('sum', 'consume') ?? 0;
    const scattered = fuzzyScore('sum', 'support-email-manager') ?? 0;
    expect(prefix).toBeGreaterThan(word);
    expect(word).toBeGreaterThan(inner);
    expect(inner).toBeGreaterThan(scattered);
  });

  it('rewards word starts: initials find the name', () => {
    const initials = fuzzyScore('ssp', 'support-system-prompt') ?? 0;
    const buried = fuzzyScore('ssp', 'classic-slap') ?? 0;
    expect(initials).toBeGreaterThan(buried);
  });
});

describe('scoreCandidate', () => {
  it('needs every word, in the name or the context', () => {
    const c = { name: 'greeting', extra: '@labs/onboarding' };
    expect(scoreCandidate('greet labs', c)).not.toBeNull();
    expect(scoreCandidate('greet acme', c)).toBeNull();
    expect(scoreCandidate('GREET', c)).not.toBeNull();
  });
});

describe('topMatches', () => {
  it('keeps the best n in score order, stable for ties', () => {
    const items = [3, 9, 1, 9, 5, 7];
    expect(topMatches(items, (x) => x, 3)).toEqual([9, 9, 7]);
    expect(topMatches(items, (x) => (x > 4 ? x : null), 10)).toEqual([9, 9, 7, 5]);
  });

  it('ranks 10,000 candidates quickly', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => ({
      name: `prompt-${i}-${['summary', 'greeting', 'classifier', 'router'][i % 4]}`,
      extra: `@project-${i % 50}/set-${i % 300}`,
    }));
    const start = performance.now();
    for (const q of ['s', 'su', 'sum', 'summ', 'summa', 'summar']) topMatches(names, (c) => scoreCandidate(q, c), 50);
    const perKeystroke = (performance.now() - start) / 6;
    expect(perKeystroke).toBeLessThan(50);
  });
});
