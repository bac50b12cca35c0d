import type { SetComparison } from './types';

/** First cut: a header only; the per-prompt hunks follow. */
export function unifiedDiff(c: SetComparison, labels: { before: string; after: string }): string {
  return `--- ${labels.before}\n+++ ${labels.after}\n# ${c.classification.changeClass}\n`;
}
