import { z } from 'zod';
// The import attribute lets plain Node ESM load the file too, not only bundlers.
import data from './prices.json' with { type: 'json' };
import { normaliseModel } from './models';

const UsdPerMillion = z.number().finite().nonnegative();

export const PriceEntry = z
  .object({
    provider: z.string().min(1),
    /** USD per million input tokens. */
    input: UsdPerMillion,
    /** USD per million output tokens. */
    output: UsdPerMillion,
    /** Other ids of the same model (vendors' `-0` aliases). */
    aliases: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type PriceEntry = z.infer<typeof PriceEntry>;

export const PriceTable = z
  .object({
    asOf: z.iso.date(),
    note: z.string(),
    models: z.record(z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'model ids in prices.json are lowercase'), PriceEntry),
  })
  .strict();
export type PriceTable = z.infer<typeof PriceTable>;

/** The table shipped in prices.json, validated once at load: a typo in the file fails loudly, here. */
export const PRICES: PriceTable = PriceTable.parse(data);

// Dated snapshots and moving aliases of a listed model: `gpt-4o-2024-08-06`, `claude-sonnet-4-20250514`,
// `gpt-4-0613`, `mistral-large-2411`, `gemini-2.0-flash-001`, `mistral-large-latest`. Only these suffixes, so
// that `o3-mini` is never priced as `o3`.
const SNAPSHOT = /^-(?:\d{8}|\d{4}-\d{2}-\d{2}|\d{4}|\d{3}|latest)$/;

export interface PriceMatch {
  /** The key of the entry in the table. */
  key: string;
  entry: PriceEntry;
}

/** The price entry of a model: its id or alias, else the listed model it is a dated snapshot of. */
export function findPrice(model: string, table: PriceTable = PRICES): PriceMatch | null {
  const id = normaliseModel(model);
  for (const [key, entry] of Object.entries(table.models))
    if (key === id || entry.aliases?.includes(id)) return { key, entry };
  let best: PriceMatch | null = null;
  for (const [key, entry] of Object.entries(table.models)) {
    for (const name of [key, ...(entry.aliases ?? [])])
      if (id.startsWith(name) && SNAPSHOT.test(id.slice(name.length)) && (!best || name.length > best.key.length))
        best = { key, entry };
  }
  return best;
}

export type CostEstimate =
  | {
      known: true;
      model: string;
      /** Total USD for the input and output tokens given. */
      usd: number;
      inputUsd: number;
      outputUsd: number;
      price: PriceMatch;
      asOf: string;
    }
  | { known: false; model: string; reason: string };

/**
 * The cost of a call at the table's prices, or an explicit unknown result for a model the table does not list
 * (never a silent zero, which would read as "free").
 */
export function estimateCost(
  input: { model: string; inputTokens: number; outputTokens: number },
  table: PriceTable = PRICES,
): CostEstimate {
  for (const [label, n] of [
    ['inputTokens', input.inputTokens],
    ['outputTokens', input.outputTokens],
  ] as const)
    if (!Number.isFinite(n) || n < 0) throw new RangeError(`${label} must be a finite number of tokens ≥ 0, got ${n}`);
  const price = findPrice(input.model, table);
  if (!price)
    return {
      known: false,
      model: input.model,
      reason: `no price for "${input.model}" in the price table (as of ${table.asOf})`,
    };
  const inputUsd = (input.inputTokens * price.entry.input) / 1_000_000;
  const outputUsd = (input.outputTokens * price.entry.output) / 1_000_000;
  return { known: true, model: input.model, usd: inputUsd + outputUsd, inputUsd, outputUsd, price, asOf: table.asOf };
}
