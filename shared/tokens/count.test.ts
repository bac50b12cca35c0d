import { describe, expect, it } from 'vitest';
import * as o200k from 'gpt-tokenizer/encoding/o200k_base';
import * as cl100k from 'gpt-tokenizer/encoding/cl100k_base';
import { modelToEncodingMap } from 'gpt-tokenizer/mapping';
import { countChatTokens, countTokens, createTokenCounter, tokenizerFor, VENDOR_FACTORS } from './index';

const prose =
  'Anvil keeps every prompt of a team in one place. Context engineers write templates offline, ' +
  'compare versions side by side, and publish them to the registry when the network is back.\n';

describe('tokenizerFor', () => {
  it.each([
    ['gpt-4o', 'o200k_base'],
    ['gpt-4o-mini-2024-07-18', 'o200k_base'],
    ['chatgpt-4o-latest', 'o200k_base'],
    ['gpt-4.1-nano', 'o200k_base'],
    ['gpt-5', 'o200k_base'],
    ['gpt-5.1-codex', 'o200k_base'],
    ['o1-mini', 'o200k_base'],
    ['o3', 'o200k_base'],
    ['o4-mini-2025-04-16', 'o200k_base'],
    ['gpt-4', 'cl100k_base'],
    ['gpt-4-turbo', 'cl100k_base'],
    ['gpt-4-0613', 'cl100k_base'],
    ['gpt-3.5-turbo', 'cl100k_base'],
    ['text-embedding-3-small', 'cl100k_base'],
  ])('%s counts exactly with %s, as gpt-tokenizer maps it', (model, encoding) => {
    expect(tokenizerFor(model)).toMatchObject({ encoding, exact: true, vendor: 'openai', factor: 1 });
    // gpt-tokenizer lists only older models and gives every model it does not list its default, o200k_base.
    expect(modelToEncodingMap[model as keyof typeof modelToEncodingMap] ?? 'o200k_base').toBe(encoding);
  });

  it.each([
    ['claude-sonnet-4-5', 'anthropic'],
    ['claude-3-5-haiku-20241022', 'anthropic'],
    ['gemini-2.5-pro', 'google'],
    ['mistral-large-latest', 'mistral'],
    ['codestral-2501', 'mistral'],
    ['meta-llama/Llama-3.1-8B-Instruct', 'meta'],
    ['my-own-model', 'unknown'],
  ] as const)('%s is an estimate for %s', (model, vendor) => {
    const choice = tokenizerFor(model);
    expect(choice).toMatchObject({ vendor, exact: false, encoding: 'o200k_base', factor: VENDOR_FACTORS[vendor] });
    expect(choice.method).toMatch(/estimate/);
  });

  it('does not let a prefix claim a longer name', () => {
    expect(tokenizerFor('o1x').exact).toBe(false);
    expect(tokenizerFor('gpt-40').exact).toBe(false);
  });

  it('strips a vendor prefix and uses the provider for unknown names', () => {
    expect(tokenizerFor('openai/gpt-4o').exact).toBe(true);
    expect(tokenizerFor('sonnet-latest', 'anthropic').vendor).toBe('anthropic');
    expect(tokenizerFor('gpt-7-preview', 'openai')).toMatchObject({ vendor: 'openai', exact: false, factor: 1 });
  });
});

describe('countTokens', () => {
  it('"hello world" is 2 tokens in both encodings', async () => {
    expect(await countTokens('hello world', 'gpt-4o')).toEqual({
      tokens: 2,
      exact: true,
      method: 'o200k_base (exact)',
      encoding: 'o200k_base',
      model: 'gpt-4o',
    });
    expect((await countTokens('hello world', 'gpt-4')).tokens).toBe(2);
  });

  it('counts known strings as tiktoken does', async () => {
    // Figures from tiktoken: the two encodings split this sentence differently.
    const s = 'The quick brown fox jumps over the lazy dog.';
    expect((await countTokens(s, 'gpt-4o')).tokens).toBe(10);
    expect((await countTokens(s, 'gpt-4')).tokens).toBe(10);
    expect((await countTokens('', 'gpt-4o')).tokens).toBe(0);
  });

  it('agrees with gpt-tokenizer on prose, code, unicode and special-token text', async () => {
    const samples = [
      prose.repeat(20),
      'function f(x) {\n  return x * 2; // ok\n}',
      'Größe, 東京, emoji 👩‍💻 and ünïcödé',
      'a <|endoftext|> b',
    ];
    for (const s of samples) {
      expect((await countTokens(s, 'gpt-4o')).tokens).toBe(o200k.encode(s, { disallowedSpecial: new Set() }).length);
      expect((await countTokens(s, 'gpt-4')).tokens).toBe(cl100k.encode(s, { disallowedSpecial: new Set() }).length);
    }
  });

  it('counts special-token text as text instead of throwing', async () => {
    await expect(countTokens('<|endoftext|>', 'gpt-4o')).resolves.toMatchObject({ exact: true });
  });

  it('labels estimates and scales the o200k count by the vendor factor, rounding up', async () => {
    const raw = o200k.encode(prose).length;
    const claude = await countTokens(prose, 'claude-sonnet-4-5');
    expect(claude).toMatchObject({ exact: false, tokens: Math.ceil(raw * 1.2), encoding: 'o200k_base' });
    expect(claude.method).toBe('o200k_base × 1.2 (estimate, Anthropic)');
    expect(await countTokens(prose, 'unknown-model')).toMatchObject({
      exact: false,
      tokens: raw,
      method: 'o200k_base × 1 (estimate, unknown model)',
    });
  });
});

describe('countChatTokens', () => {
  it('adds OpenAI’s chat overhead: 3 per message, 3 to prime the reply', async () => {
    // OpenAI cookbook: 3 + len("user") + len("hello world") + 3 = 9.
    expect((await countChatTokens([{ role: 'user', content: 'hello world' }], 'gpt-4o')).tokens).toBe(9);
    expect((await countChatTokens([{ role: 'user', content: 'hello world' }], 'gpt-4')).tokens).toBe(9);
  });

  it('matches gpt-tokenizer encodeChat for a longer conversation', async () => {
    const chat = [
      { role: 'system', content: 'You classify support tickets.' },
      { role: 'user', content: prose },
      { role: 'assistant', content: 'billing' },
    ] as const;
    expect((await countChatTokens(chat, 'gpt-4o')).tokens).toBe(o200k.encodeChat([...chat], 'gpt-4o').length);
    expect((await countChatTokens(chat, 'gpt-3.5-turbo')).tokens).toBe(cl100k.encodeChat([...chat], 'gpt-4').length);
    const estimate = await countChatTokens(chat, 'gemini-2.5-flash');
    expect(estimate.exact).toBe(false);
  });

  it('gives a synchronous counter once loaded', async () => {
    const counter = await createTokenCounter('gpt-4.1');
    expect(counter.countText('hello world').tokens).toBe(2);
    expect(counter.choice.encoding).toBe('o200k_base');
  });
});
