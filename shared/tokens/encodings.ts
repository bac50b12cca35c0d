import type * as O200k from 'gpt-tokenizer/encoding/o200k_base';
import type { EncodingName } from './models';

export interface ChatMessageText {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The two calls we need from an encoding; the rest of gpt-tokenizer's API stays out of our surface. */
export interface Encoder {
  readonly name: EncodingName;
  /** Tokens of plain text. */
  countText(text: string): number;
  /** Tokens of a chat request, with OpenAI's per-message overhead and the reply priming. */
  countChat(messages: readonly ChatMessageText[]): number;
}

// Text from templates is data, not control: `<|endoftext|>` typed by an author is counted as the characters it
// is (as the API does with message content), instead of throwing as gpt-tokenizer does by default.
const AS_TEXT = { disallowedSpecial: new Set<string>() };

// Both encoding modules export the same API; a type-only import costs nothing at run time.
type Api = typeof O200k;

// The chat format (`<|im_start|>role<|im_sep|>content<|im_end|>`, 3 tokens per message and 3 to prime the
// reply, as OpenAI's cookbook counts) is the same for every model of an encoding; gpt-tokenizer wants a model
// name to pick it, so each encoding names one of its models.
const CHAT_MODEL = { o200k_base: 'gpt-4o', cl100k_base: 'gpt-4' } as const;

function wrap(name: EncodingName, api: Api): Encoder {
  return {
    name,
    countText: (text) => (text.length === 0 ? 0 : api.countTokens(text, AS_TEXT)),
    countChat: (messages) => {
      let count = 0;
      for (const part of api.encodeChatGenerator(messages, CHAT_MODEL[name], AS_TEXT)) count += part.length;
      return count;
    },
  };
}

// Each encoding is its own dynamic import, so a browser bundle splits them into chunks loaded on first use
// (o200k_base is 2.4 MB of ranks, cl100k_base 1.2 MB) and never ships the encodings we do not count with.
const loaders: Record<EncodingName, () => Promise<Api>> = {
  o200k_base: () => import('gpt-tokenizer/encoding/o200k_base'),
  cl100k_base: () => import('gpt-tokenizer/encoding/cl100k_base'),
};

const loaded = new Map<EncodingName, Promise<Encoder>>();

/** The encoder for an encoding, loaded once per process. */
export function loadEncoder(name: EncodingName): Promise<Encoder> {
  let encoder = loaded.get(name);
  if (!encoder) {
    encoder = loaders[name]().then((api) => wrap(name, api));
    // A failed load (a missing chunk in a browser) must not be cached forever.
    encoder.catch(() => loaded.delete(name));
    loaded.set(name, encoder);
  }
  return encoder;
}
