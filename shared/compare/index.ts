export type * from './types';
export { compareSets } from './compare-sets';
export { unifiedDiff } from './unified';
export { typeText } from './parameters';
