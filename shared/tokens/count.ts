import { loadEncoder, type ChatMessageText, type Encoder } from './encodings';
import { tokenizerFor, type EncodingName, type TokenizerChoice } from './models';

export interface TokenCount {
  tokens: number;
  /** False for other vendors' models: the figure is an estimate and must be shown as one. */
  exact: boolean;
  /** How it was counted, e.g. "o200k_base (exact)" or "o200k_base × 1.2 (estimate, Anthropic)". */
  method: string;
  encoding: EncodingName;
  model: string;
}

/** A counter bound to one model, synchronous once its encoding is loaded: for live previews while typing. */
export interface TokenCounter {
  readonly choice: TokenizerChoice;
  countText(text: string): TokenCount;
  countChat(messages: readonly ChatMessageText[]): TokenCount;
}

function counter(choice: TokenizerChoice, encoder: Encoder): TokenCounter {
  // Estimates round up: an estimate that errs should err towards the larger bill.
  const result = (raw: number): TokenCount => ({
    tokens: choice.exact ? raw : Math.ceil(raw * choice.factor),
    exact: choice.exact,
    method: choice.method,
    encoding: choice.encoding,
    model: choice.model,
  });
  return {
    choice,
    countText: (text) => result(encoder.countText(text)),
    countChat: (messages) => result(encoder.countChat(messages)),
  };
}

/** Loads the model's encoding (once) and returns a synchronous counter for it. */
export async function createTokenCounter(model: string, provider?: string): Promise<TokenCounter> {
  const choice = tokenizerFor(model, provider);
  return counter(choice, await loadEncoder(choice.encoding));
}

/** Tokens of a text for a model: exact for OpenAI encodings, an estimate (labelled) for other vendors. */
export async function countTokens(text: string, model: string, provider?: string): Promise<TokenCount> {
  return (await createTokenCounter(model, provider)).countText(text);
}

/** Tokens of rendered chat messages, with the per-message overhead of OpenAI's chat format. */
export async function countChatTokens(
  messages: readonly ChatMessageText[],
  model: string,
  provider?: string,
): Promise<TokenCount> {
  return (await createTokenCounter(model, provider)).countChat(messages);
}
