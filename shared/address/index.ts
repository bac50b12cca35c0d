export type { Address, Selector } from './types';
export { parseAddress, tryParseAddress } from './parse';
export { formatAddress, setKey } from './format';
export { readSelector, selectorText, type SelectorResult } from './selector';
export { versionSatisfies, pickVersion, type TagMap, type PickOptions } from './resolve';
