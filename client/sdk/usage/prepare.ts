import type { ModelSettings } from '../../../shared/domain/model-settings';
import { createTokenCounter } from '../../../shared/tokens/count';
import type { TokenCounter } from '../../../shared/tokens/count';
import { estimateCost } from '../../../shared/tokens/prices';
import type { OutcomeEvent, RenderEvent } from '../../../shared/usage/types';
import { BoundedMap } from '../memory-cache';
import { parseRequest } from '../resolver';
import type { Rendered } from '../result';
import type { OutcomeRecord, RenderRecord, UsageRecord } from './records';

/** An event ready to send: its JSON, a line of a batch body or of a spool file. */
export type PreparedEvent = string;

/** Parameter values larger than this (bytes of JSON, the server's bound) are left out of the event rather than sent. */
export const MAX_PARAMS_BYTES = 16 * 1024;
/** The model `result.tokens` counts with when a prompt names none (its tokens are sent; no model, no cost). */
const DEFAULT_TOKENIZER = 'gpt-4o';

interface RenderFacts {
  name: string;
  prompt: string;
  version: string | null;
  variant: string | null;
  /** The experiment the variant belongs to (null without a variant). */
  experiment: string | null;
  model: ModelSettings | null;
}

/** The facts of a rendered prompt that its render and outcome events repeat. */
const factsOf = (v: Rendered): RenderFacts => {
  const variant = v.variant ?? null;
  return {
    name: v.name,
    prompt: v.prompt,
    version: v.version,
    variant,
    experiment: variant === null ? null : (v.experiment ?? null),
    model: v.model,
  };
};

const modelId = (m: ModelSettings | null): string | null => (m ? `${m.provider}/${m.model}` : null);

/**
 * Turns raw records into events: input tokens and cost of each render for its prompt's model, outcomes joined to
 * their render. Runs in the batcher, never in `get`. Renders are remembered (bounded) so an outcome that comes
 * later can name its prompt and version.
 */
export function createPreparer(options: { includeParams: boolean; recentRenders?: number }) {
  // Encodings load once per model (asynchronously); counting is synchronous after that.
  const loaded = new Map<string, TokenCounter>();
  const loading = new Map<string, Promise<TokenCounter>>();
  const renders = new BoundedMap<string, RenderFacts>(options.recentRenders ?? 100_000);
  const keyOf = (m: ModelSettings | null): string => (m ? `${m.provider}\u0000${m.model}` : '');
  const modelOf = (r: UsageRecord): ModelSettings | null | undefined =>
    r.kind === 'render' && r.result.ok ? r.result.value.model : undefined;

  function load(m: ModelSettings | null): Promise<TokenCounter> {
    const key = keyOf(m);
    let p = loading.get(key);
    if (!p) {
      p = (m ? createTokenCounter(m.model, m.provider) : createTokenCounter(DEFAULT_TOKENIZER)).then((c) => {
        loaded.set(key, c);
        return c;
      });
      loading.set(key, p);
    }
    return p;
  }

  const inputCost = (m: ModelSettings | null, tokens: number): number | null => {
    if (!m) return null;
    const c = estimateCost({ model: m.model, inputTokens: tokens, outputTokens: 0 });
    return c.known ? c.inputUsd : null;
  };

  /** The event, or null for a render of an address that does not parse (no set or prompt to count it under). */
  function render(r: RenderRecord): RenderEvent | null {
    let facts: RenderFacts;
    let inputTokens: number | null = null;
    let error: string | null = null;
    let fallback = false;
    if (r.result.ok) {
      const v = r.result.value;
      facts = factsOf(v);
      fallback = v.fallback;
      const counter = loaded.get(keyOf(v.model)) as TokenCounter;
      inputTokens = (v.kind === 'text' ? counter.countText(v.text) : counter.countChat(v.messages)).tokens;
    } else {
      error = r.result.error.code;
      try {
        const req = parseRequest(r.address);
        facts = { name: req.name, prompt: req.prompt, version: null, variant: null, experiment: null, model: null };
      } catch {
        return null;
      }
    }
    renders.set(r.id, facts);
    const event: RenderEvent = {
      type: 'render',
      id: r.id,
      at: r.at,
      name: facts.name,
      prompt: facts.prompt,
      version: facts.version,
      variant: facts.variant,
      experiment: facts.experiment,
      latencyMs: Math.round(r.ms * 1000) / 1000,
      inputTokens,
      model: modelId(facts.model),
      costUsd: inputTokens === null ? null : inputCost(facts.model, inputTokens),
      error,
      fallback,
    };
    if (options.includeParams && r.params !== undefined) {
      const params = safeParams(r.params);
      if (params !== undefined) event.params = params;
    }
    return event;
  }

  function outcome(o: OutcomeRecord): OutcomeEvent | null {
    const v = o.rendered;
    const facts: RenderFacts | undefined = v ? factsOf(v) : renders.get(o.renderId);
    if (!facts) return null;
    const outputTokens = o.outcome.outputTokens ?? null;
    let costUsd = o.outcome.costUsd ?? null;
    if (costUsd === null && outputTokens !== null && facts.model) {
      const c = estimateCost({ model: facts.model.model, inputTokens: 0, outputTokens });
      if (c.known) costUsd = c.outputUsd;
    }
    return {
      type: 'outcome',
      id: o.id,
      at: o.at,
      renderId: o.renderId,
      name: facts.name,
      prompt: facts.prompt,
      version: facts.version,
      variant: facts.variant,
      experiment: facts.experiment,
      outputTokens,
      modelLatencyMs: o.outcome.modelLatencyMs ?? null,
      costUsd,
      metrics: { ...o.outcome.metrics },
    };
  }

  return {
    /** Whether every model these records name has its encoding loaded (else `load` first). */
    ready(records: readonly UsageRecord[]): boolean {
      for (const r of records) {
        const m = modelOf(r);
        if (m !== undefined && !loaded.has(keyOf(m))) return false;
      }
      return true;
    },
    async load(records: readonly UsageRecord[]): Promise<void> {
      for (const r of records) {
        const m = modelOf(r);
        if (m !== undefined && !loaded.has(keyOf(m))) await load(m);
      }
    },
    /**
     * Prepared events, in order; how many renders were of an address that does not parse (not sent: the server
     * would refuse them), and how many outcomes named a render this process does not know.
     * Synchronous (after `load`): the batcher runs it in short slices between other work.
     */
    prepare(records: readonly UsageRecord[]): { events: PreparedEvent[]; unaddressed: number; unmatched: number } {
      const events: PreparedEvent[] = [];
      let unaddressed = 0;
      let unmatched = 0;
      for (const r of records) {
        const e = r.kind === 'render' ? render(r) : outcome(r);
        if (e !== null) events.push(JSON.stringify(e));
        else if (r.kind === 'render') unaddressed++;
        else unmatched++;
      }
      return { events, unaddressed, unmatched };
    },
  };
}

/** The parameters as plain JSON, or undefined when they cannot be (a cycle, a BigInt) or are too large. */
function safeParams(params: Record<string, unknown>): Record<string, unknown> | undefined {
  try {
    const text = JSON.stringify(params);
    if (text === undefined || Buffer.byteLength(text) > MAX_PARAMS_BYTES) return undefined;
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
