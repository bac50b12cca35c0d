import { selectorText } from './selector';
import type { Address } from './types';

/** `@project/set`: the key of a dependency in a set's `dependencies`, a manifest and a lock file. */
export function setKey(address: Pick<Address, 'project' | 'set'>): string {
  return `@${address.project}/${address.set}`;
}

/**
 * The written form of an address. Selectors keep the author's text (`^1.2`, not the normalised
 * `>=1.2.0 <2.0.0-0`), so `formatAddress(parseAddress(s)) === s` for every valid address.
 */
export function formatAddress(address: Address): string {
  const selector = address.selector.kind === 'none' ? '' : `@${selectorText(address.selector)}`;
  const prompt = address.prompt === undefined ? '' : `/${address.prompt}`;
  return `${setKey(address)}${selector}${prompt}`;
}
