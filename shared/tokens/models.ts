/** The two OpenAI encodings counted exactly; everything else is estimated from o200k_base. */
export type EncodingName = 'o200k_base' | 'cl100k_base';

export type Vendor = 'openai' | 'anthropic' | 'google' | 'mistral' | 'meta' | 'unknown';

export interface TokenizerChoice {
  /** The model name as given. */
  model: string;
  vendor: Vendor;
  /** The encoding actually run. */
  encoding: EncodingName;
  /** True only when the encoding is the model's own: then counts are what the API bills. */
  exact: boolean;
  /** Multiplier applied to the encoding's count (1 when exact). */
  factor: number;
  /** How the figure is obtained, for a label next to it: "o200k_base (exact)", "o200k_base × 1.2 (estimate …)". */
  method: string;
}

// Model families by their OpenAI encoding, as tiktoken maps them. A prefix must be followed by the end, "-" or
// "." so that `o1` does not claim `o1x` and `gpt-4` does not claim `gpt-4o`.
const O200K = /^(?:gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|codex-mini|omni-moderation)(?:$|[-.])/;
const CL100K =
  /^(?:gpt-4|gpt-3\.5-turbo|gpt-35-turbo|text-embedding-3-small|text-embedding-3-large|text-embedding-ada-002)(?:$|-)/;

/**
 * Other vendors do not publish tokenizers usable offline, so their counts are the o200k_base count times a
 * factor measured on English prose: Anthropic's Claude tokenizers produce roughly 20% more tokens than o200k
 * (Anthropic's own docs warn newer Claude tokenizers use up to 35% more); Gemini's 256k SentencePiece vocabulary
 * lands close to o200k; Mistral's Tekken and Meta's Llama 3 vocabularies (≈130k) about 10% above it. Code and
 * non-English text vary more, which is why every such figure is labelled an estimate.
 */
export const VENDOR_FACTORS: Record<Exclude<Vendor, 'openai'>, number> = {
  anthropic: 1.2,
  google: 1.0,
  mistral: 1.1,
  meta: 1.1,
  unknown: 1.0,
};

const VENDOR_PATTERNS: [Exclude<Vendor, 'openai' | 'unknown'>, RegExp][] = [
  ['anthropic', /^claude/],
  ['google', /^(?:gemini|gemma)/],
  ['mistral', /^(?:mistral|mixtral|codestral|ministral|magistral|devstral|pixtral|open-mistral|open-mixtral)/],
  ['meta', /^(?:llama|meta-llama|codellama)/],
];

const VENDOR_LABEL: Record<Vendor, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google',
  mistral: 'Mistral',
  meta: 'Meta',
  unknown: 'unknown model',
};

/** The bare model id: lowercase, without a `vendor/` prefix (`openai/gpt-4o`, `meta-llama/Llama-3.1-8B`). */
export function normaliseModel(model: string): string {
  const trimmed = model.trim().toLowerCase();
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function vendorOf(id: string, provider: string | undefined): Vendor {
  for (const [vendor, pattern] of VENDOR_PATTERNS) if (pattern.test(id)) return vendor;
  const p = provider?.trim().toLowerCase();
  if (p === 'openai' || p === 'azure' || p === 'azure-openai') return 'openai';
  for (const [vendor] of VENDOR_PATTERNS) if (p === vendor || (vendor === 'google' && p === 'vertex')) return vendor;
  return 'unknown';
}

/** Which encoding counts a model's tokens, and whether the count is exact or an estimate. */
export function tokenizerFor(model: string, provider?: string): TokenizerChoice {
  const id = normaliseModel(model);
  if (O200K.test(id))
    return { model, vendor: 'openai', encoding: 'o200k_base', exact: true, factor: 1, method: 'o200k_base (exact)' };
  if (CL100K.test(id))
    return { model, vendor: 'openai', encoding: 'cl100k_base', exact: true, factor: 1, method: 'cl100k_base (exact)' };
  const vendor = vendorOf(id, provider);
  // An OpenAI model this table does not know yet is most likely on OpenAI's newest encoding.
  const factor = vendor === 'openai' ? 1 : VENDOR_FACTORS[vendor];
  const label = vendor === 'openai' ? 'OpenAI model not in the encoding table' : VENDOR_LABEL[vendor];
  return {
    model,
    vendor,
    encoding: 'o200k_base',
    exact: false,
    factor,
    method: `o200k_base × ${factor} (estimate, ${label})`,
  };
}
