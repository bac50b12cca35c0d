// Version comparison of two 5,000-line prompts (issue 4): our structured comparison (`compareSets`: line diff,
// hunks, word stats of the changed blocks, classification) beside `git diff --no-index` of the same two texts
// written to files, in interleaved rounds (`paired`). git's time includes starting a process (`git --version`
// alone takes ~2 ms here), ours runs in-process: that start-up flatters our ratio, less so as texts grow.
// The worst cases (two unrelated 5,000-line texts; the same lines reordered) have no baseline: their bound is
// absolute, the comparison gives up within the edit-length limit and shows the texts as "replaced".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from './harness';
import { paired, row, sample, median } from './harness';
import { compareSets, unifiedDiff } from '../shared/compare';
import { PromptSetContent } from '../shared/domain';
import { textPrompt } from '../shared/domain/fixtures';

const BENCH = 'compare';
const LINES = 5000;
const CHANGED_SHARE = 0.05;
/** The bound on the worst case: it must not freeze the app. */
const WORST_CASE_TARGET_MS = 1000;

/** A seeded PRNG (LCG): the same texts on every run. */
function random(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

const WORDS = (
  'the|assistant|answers|each|ticket|in|a|friendly|tone|without|repeating|question|refund|policy|customer|' +
  'order|late|{{ name }}|{% if vip %}|{% endif %}|summarise|briefly'
).split('|');

/** Prompt-like lines of 6 to 14 words, some of them Liquid. */
export function promptLines(count: number, seed: number): string[] {
  const rand = random(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: 6 + rand(9) }, () => WORDS[rand(WORDS.length)] as string).join(' '),
  );
}

/** The same lines with `share` of them edited (a word replaced and one appended), at seeded positions. */
export function editLines(lines: string[], share: number, seed: number): string[] {
  const rand = random(seed);
  const out = [...lines];
  const target = Math.round(lines.length * share);
  const picked = new Set<number>();
  while (picked.size < target) picked.add(rand(lines.length));
  for (const i of picked) {
    const words = (out[i] as string).split(' ');
    words[rand(words.length)] = 'revised';
    out[i] = `${words.join(' ')} carefully`;
  }
  return out;
}

const setOf = (template: string): PromptSetContent =>
  PromptSetContent.parse({ id: 'set1', projectId: 'p1', name: 'bench', prompts: [textPrompt('g1', 'long', template)] });

function gitDiff(a: string, b: string): void {
  const r = spawnSync('git', ['diff', '--no-index', '--no-color', '--no-ext-diff', a, b], { encoding: 'utf8' });
  // Exit code 1 means "the files differ": the expected answer here.
  if (r.status !== 1) throw new Error(`git diff --no-index exited ${r.status}: ${r.stderr}`);
}

export default async function compareBench(): Promise<BenchRow[]> {
  const before = promptLines(LINES, 7).join('\n') + '\n';
  const after = editLines(before.trimEnd().split('\n'), CHANGED_SHARE, 11).join('\n') + '\n';
  const [from, to] = [setOf(before), setOf(after)];
  const check = compareSets(from, to).prompts[0]?.template;
  // The bench measures a full diff, not the give-up path: fail loudly if the limits ever make it "replaced".
  if (check?.mode !== 'diff') throw new Error(`the 5% pair was not diffed (mode ${check?.mode})`);

  const dir = mkdtempSync(join(tmpdir(), 'anvil-compare-bench-'));
  try {
    const [fileA, fileB] = [join(dir, 'before.liquid'), join(dir, 'after.liquid')];
    writeFileSync(fileA, before);
    writeFileSync(fileB, after);
    const structured = await paired(
      () => compareSets(from, to),
      () => gitDiff(fileA, fileB),
      { rounds: 15 },
    );
    const text = await paired(
      () => unifiedDiff(compareSets(from, to), { before: 'a', after: 'b' }),
      () => gitDiff(fileA, fileB),
      { rounds: 15 },
    );

    // Two worst cases: unrelated texts (caught by the line-multiset bound before any diff) and the same lines in
    // another order (nothing to catch early: Myers runs until its edit-length bound).
    const unrelated = setOf(promptLines(LINES, 99).join('\n') + '\n');
    const lines = before.trimEnd().split('\n');
    const reordered = setOf(
      [...lines.filter((_, i) => i % 7 !== 0), ...lines.filter((_, i) => i % 7 === 0).reverse()].join('\n') + '\n',
    );
    const worstMs = async (other: PromptSetContent, label: string): Promise<number> => {
      const mode = compareSets(from, other).prompts[0]?.template?.mode;
      if (mode !== 'replaced') throw new Error(`the ${label} pair was not replaced (mode ${mode})`);
      return median(await sample(() => compareSets(from, other), 7, 2));
    };
    const unrelatedMs = await worstMs(unrelated, 'unrelated');
    const reorderedMs = await worstMs(reordered, 'reordered');

    return [
      row(
        BENCH,
        `compareSets, ${LINES}-line prompts, 5% of lines changed (vs git diff --no-index)`,
        structured.ours,
        structured.baseline,
        'ms',
      ),
      row(BENCH, `compareSets + unifiedDiff text, same pair (vs git diff --no-index)`, text.ours, text.baseline, 'ms'),
      row(
        BENCH,
        `worst case: unrelated ${LINES}-line prompts (replaced)`,
        unrelatedMs,
        null,
        'ms',
        WORST_CASE_TARGET_MS,
      ),
      row(
        BENCH,
        `worst case: the same ${LINES} lines reordered (replaced)`,
        reorderedMs,
        null,
        'ms',
        WORST_CASE_TARGET_MS,
      ),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
