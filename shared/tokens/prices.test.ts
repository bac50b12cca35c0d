import { describe, expect, it } from 'vitest';
import { estimateCost, findPrice, PRICES, PriceTable } from './index';
import data from './prices.json' with { type: 'json' };

describe('prices.json', () => {
  it('is valid and dated, and lists the mainstream models of four vendors', () => {
    expect(PriceTable.safeParse(data).success).toBe(true);
    expect(PRICES.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PRICES.note).toMatch(/change/);
    const providers = new Set(Object.values(PRICES.models).map((m) => m.provider));
    expect([...providers].sort()).toEqual(['anthropic', 'google', 'mistral', 'openai']);
  });

  it('refuses a malformed table', () => {
    expect(PriceTable.safeParse({ asOf: 'soon', note: '', models: {} }).success).toBe(false);
    expect(PriceTable.safeParse({ ...data, models: { x: { provider: 'a', input: -1, output: 1 } } }).success).toBe(
      false,
    );
    expect(PriceTable.safeParse({ ...data, models: { 'GPT-X': { provider: 'a', input: 1, output: 1 } } }).success).toBe(
      false,
    );
  });
});

describe('findPrice', () => {
  it.each([
    ['gpt-4o', 'gpt-4o'],
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4o-2024-05-13', 'gpt-4o-2024-05-13'],
    ['gpt-4o-mini', 'gpt-4o-mini'],
    ['gpt-4-0613', 'gpt-4'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['claude-sonnet-4-0', 'claude-sonnet-4'],
    ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
    ['mistral-large-latest', 'mistral-large'],
    ['mistral-large-2411', 'mistral-large'],
    ['gemini-2.0-flash-001', 'gemini-2.0-flash'],
    ['OpenAI/GPT-4o', 'gpt-4o'],
  ])('%s → %s', (model, key) => {
    expect(findPrice(model)?.key).toBe(key);
  });

  it('never prices a different model by prefix', () => {
    expect(findPrice('o3-pro')).toBeNull();
    expect(findPrice('gpt-4o-mini-tts')).toBeNull();
  });
});

describe('estimateCost', () => {
  it('multiplies tokens by USD per million', () => {
    const cost = estimateCost({ model: 'gpt-4o', inputTokens: 1_000_000, outputTokens: 500_000 });
    expect(cost).toMatchObject({ known: true, inputUsd: 2.5, outputUsd: 5, usd: 7.5, asOf: PRICES.asOf });
    if (cost.known) expect(cost.price.entry).toEqual({ provider: 'openai', input: 2.5, output: 10 });
    const small = estimateCost({ model: 'claude-sonnet-4-5', inputTokens: 1200, outputTokens: 300 });
    expect(small.known && small.usd).toBeCloseTo((1200 * 3 + 300 * 15) / 1e6, 12);
    expect(estimateCost({ model: 'gpt-4o', inputTokens: 0, outputTokens: 0 })).toMatchObject({ known: true, usd: 0 });
  });

  it('reports an unknown model explicitly, never as a zero cost', () => {
    const cost = estimateCost({ model: 'my-own-model', inputTokens: 100, outputTokens: 100 });
    expect(cost).toEqual({
      known: false,
      model: 'my-own-model',
      reason: `no price for "my-own-model" in the price table (as of ${PRICES.asOf})`,
    });
    expect('usd' in cost).toBe(false);
  });

  it('refuses negative or non-finite token counts', () => {
    expect(() => estimateCost({ model: 'gpt-4o', inputTokens: -1, outputTokens: 0 })).toThrow(RangeError);
    expect(() => estimateCost({ model: 'gpt-4o', inputTokens: 0, outputTokens: Number.NaN })).toThrow(/outputTokens/);
  });

  it('takes another table, for tests and for a team’s negotiated prices', () => {
    const table = PriceTable.parse({
      asOf: '2030-01-01',
      note: 'ours',
      models: { house: { provider: 'self', input: 1, output: 2 } },
    });
    expect(estimateCost({ model: 'house', inputTokens: 1e6, outputTokens: 1e6 }, table)).toMatchObject({
      known: true,
      usd: 3,
    });
  });
});
