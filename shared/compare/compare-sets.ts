import type { PromptSetContent } from '../domain';
import { classifyChange } from '../semver';
import type { CompareOptions, SetComparison } from './types';

/** First cut (the interface is what matters now): classification only; the structured parts follow. */
export function compareSets(
  before: PromptSetContent,
  after: PromptSetContent,
  _options?: CompareOptions,
): SetComparison {
  const stats = { linesAdded: 0, linesRemoved: 0, wordsAdded: 0, wordsRemoved: 0 };
  return {
    prompts: [],
    set: [],
    summary: { added: 0, removed: 0, renamed: 0, changed: 0, unchanged: 0, stats },
    classification: classifyChange(before, after),
  };
}
