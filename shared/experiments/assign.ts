import { AnvilError } from '../domain/result';
import { murmur3String } from './hash';
import type { Experiment, Variant } from './types';

/** Buckets: the hash's whole 32-bit range, so a share is exact to 1 in 4,294,967,296. */
export const BUCKETS = 2 ** 32;

/**
 * A unit's bucket in `[0, 2^32)`: MurmurHash3 x86_32 (seed 0) of the UTF-8 bytes of `salt + ":" + unitKey`.
 * The salt is an id (no ":"), so the text splits one way only.
 */
export function bucketOf(salt: string, unitKey: string): number {
  return murmur3String(`${salt}:${unitKey}`);
}

/**
 * Where each variant's bucket range ends (exclusive), in the definition's order: variant `i` owns
 * `[ends[i-1], ends[i])`, starting at 0, and the last one always ends at 2^32. `ends[i]` is
 * `floor(cumulative weight / total weight * 2^32)`: sums and one division in IEEE-754 doubles, each correctly
 * rounded by that standard, so every runtime and language computes the same integers.
 */
export function bucketEnds(variants: readonly Pick<Variant, 'weight'>[]): number[] {
  let total = 0;
  for (const v of variants) total += v.weight;
  const ends: number[] = [];
  let cumulative = 0;
  for (const v of variants) {
    cumulative += v.weight;
    ends.push(Math.min(BUCKETS, Math.floor((cumulative / total) * BUCKETS)));
  }
  if (ends.length > 0) ends[ends.length - 1] = BUCKETS;
  return ends;
}

// Assignment runs on the render path: the ranges are computed once per definition object.
const endsCache = new WeakMap<readonly Variant[], number[]>();

function endsFor(variants: readonly Variant[]): number[] {
  let ends = endsCache.get(variants);
  if (ends === undefined) {
    ends = bucketEnds(variants);
    endsCache.set(variants, ends);
  }
  return ends;
}

/**
 * The variant a unit gets: the same for the same experiment definition and key, in any process, on any platform,
 * offline (nothing but the definition and the key is read). A stopped experiment gives its winner to everyone.
 * Shares follow the weights; the ranges are laid out in the definition's order, so changing weights moves only
 * the keys whose bucket crosses a moved boundary (see README.md).
 *
 * Expects a definition that `parseExperiment` accepted. An empty unit key is refused (`invalid_unit_key`): it
 * would put every unit without one in the same variant and skew the results.
 */
export function assignVariant(experiment: Experiment, unitKey: string): Variant {
  const variants = experiment.variants;
  if (experiment.status === 'stopped') {
    const winner = variants.find((v) => v.key === experiment.winner);
    if (winner) return winner;
    throw new AnvilError({
      code: 'invalid_experiment',
      message: `experiment "${experiment.id}" is stopped, but its winner "${String(experiment.winner)}" is not a variant`,
      path: 'winner',
    });
  }
  if (typeof unitKey !== 'string' || unitKey.length === 0)
    throw new AnvilError({
      code: 'invalid_unit_key',
      message: `experiment "${experiment.name}" needs a non-empty ${experiment.unit} to assign a variant`,
      path: experiment.unit,
    });
  const bucket = bucketOf(experiment.salt, unitKey);
  const ends = endsFor(variants);
  for (let i = 0; i < ends.length; i++) if (bucket < (ends[i] as number)) return variants[i] as Variant;
  return variants[variants.length - 1] as Variant;
}
