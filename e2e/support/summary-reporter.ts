import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/**
 * Prints `tests: N passed, N failed, N skipped (end-to-end)` as the run's last line, in the same form as the
 * Vitest summary (test-support/summary-reporter.ts), so CI tooling that reads the last line of `npm test` can
 * count the end-to-end tests too. A test that passed on its retry counts as passed (and flaky).
 */
export default class SummaryReporter implements Reporter {
  private readonly outcomes = new Map<string, ReturnType<TestCase['outcome']>>();
  /** Why each skipped test was skipped (e.g. no Electron binary here), printed above the summary. */
  private readonly skipReasons = new Map<string, string>();

  onTestEnd(test: TestCase, result: TestResult): void {
    this.outcomes.set(test.id, test.outcome());
    if (result.status === 'skipped') {
      const why = result.annotations.find((a) => a.type === 'skip')?.description ?? 'no reason given';
      this.skipReasons.set(test.id, `${test.titlePath().filter(Boolean).join(' › ')}: ${why}`);
    }
  }

  onEnd(_result: FullResult): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    let flaky = 0;
    for (const outcome of this.outcomes.values()) {
      if (outcome === 'expected') passed++;
      else if (outcome === 'flaky') {
        passed++;
        flaky++;
      } else if (outcome === 'skipped') skipped++;
      else failed++;
    }
    for (const [id, line] of this.skipReasons)
      if (this.outcomes.get(id) === 'skipped') process.stdout.write(`\nskipped: ${line}\n`);
    const extra = flaky > 0 ? `, ${flaky} flaky` : '';
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped${extra} (end-to-end)\n`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
