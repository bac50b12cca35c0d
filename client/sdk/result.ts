import type { ModelSettings } from '../../shared/domain/model-settings';
import type { ChatMessage } from '../../shared/template/chat';
import { countChatTokens, countTokens } from '../../shared/tokens/count';
import type { TokenCount } from '../../shared/tokens/count';
import type { AnvilSdkError } from './errors';
import type { Source } from './memory-cache';

/** What every rendered prompt carries, text or chat (see {@link Rendered}). */
export interface RenderedBase {
  /** `@project/set` */
  name: string;
  /** The prompt's name within the set (the addressed one, also when an experiment's variant rendered another). */
  prompt: string;
  /** The version rendered (what the lock pinned, or what live mode resolved). */
  version: string;
  /** The address as asked. */
  address: string;
  /** The prompt's model settings (provider, model, temperature…), versioned with it; null when it has none. */
  model: ModelSettings | null;
  /** The prompt's parameters as a JSON Schema object. */
  parameters: Record<string, unknown>;
  /** Where the set's bytes came from: the vendored folder, the disk cache, or the registry in this process. */
  source: Source;
  /** True when the registry could not be reached and this is the last verified version the SDK has. */
  fallback: boolean;
  /** The registry's deprecation message for this version, or null. */
  deprecated: string | null;
  /** The key of the experiment variant rendered (A/B tests), or null when the prompt has no experiment. */
  variant: string | null;
  /** The id of that experiment, or null. */
  experiment: string | null;
  /** Tokens of the rendered prompt for its model, counted on first read (nothing is counted unless read). */
  readonly tokens: Promise<TokenCount>;
  /** This render's id in the usage events, for `anvil.outcome(renderId, …)`; null when usage is off. */
  readonly renderId: string | null;
}

/**
 * A rendered prompt: `kind: 'text'` with `text`, or `kind: 'chat'` with `messages` (the history spliced in where
 * the prompt has its placeholder), plus the fields of {@link RenderedBase}.
 */
export type Rendered = RenderedBase & ({ kind: 'text'; text: string } | { kind: 'chat'; messages: ChatMessage[] });

/** What `get` resolves to: `{ ok: true, value }` or `{ ok: false, error }` (it never rejects). */
export type GetResult = { ok: true; value: Rendered } | { ok: false; error: AnvilSdkError };

/** A class so a result is one allocation and `tokens` a prototype getter that costs nothing until read. */
export class RenderedPrompt {
  private counted: Promise<TokenCount> | undefined;
  /** Set by the usage recorder right after the render (see {@link RenderedBase.renderId}). */
  renderId: string | null = null;

  constructor(
    readonly kind: 'text' | 'chat',
    readonly text: string | undefined,
    readonly messages: ChatMessage[] | undefined,
    readonly name: string,
    readonly prompt: string,
    readonly version: string,
    readonly address: string,
    readonly model: ModelSettings | null,
    readonly parameters: Record<string, unknown>,
    readonly source: Source,
    readonly fallback: boolean,
    readonly deprecated: string | null,
    readonly variant: string | null = null,
    readonly experiment: string | null = null,
  ) {}

  get tokens(): Promise<TokenCount> {
    if (!this.counted) {
      const model = this.model?.model ?? 'gpt-4o';
      const provider = this.model?.provider;
      this.counted =
        this.kind === 'text'
          ? countTokens(this.text ?? '', model, provider)
          : countChatTokens(this.messages ?? [], model, provider);
    }
    return this.counted;
  }

  toJSON(): Record<string, unknown> {
    const { counted: _counted, renderId, ...rest } = this;
    return renderId === null ? rest : { ...rest, renderId };
  }
}
