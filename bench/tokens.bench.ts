// Token counting of a ~105 KB English text: our counter (model → encoding choice, special-token text counted as
// text, the TokenCount record) vs gpt-tokenizer's raw `encode(text).length` on the same encoding instance.
// Interleaved rounds (`paired`), so noise hits both alike. Warm rows share the encoder's merge cache (a live
// preview re-counting mostly unchanged text); cold rows empty it before every call (a text seen for the first time).
import * as o200k from 'gpt-tokenizer/encoding/o200k_base';
import * as cl100k from 'gpt-tokenizer/encoding/cl100k_base';
import type { BenchRow } from './harness';
import { paired, row } from './harness';
import { createTokenCounter } from '../shared/tokens';

const BENCH = 'tokens';
const TARGET_BYTES = 105 * 1024;

/** Deterministic English prose (seeded PRNG), prompt-like: sentences of common words, some names and numbers. */
export function prose(bytes: number, seed = 42): string {
  let state = seed >>> 0;
  const rand = (n: number): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
  const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)] as T;
  const subjects = [
    'The assistant',
    'Every customer',
    'Our support team',
    'The reviewer',
    'A context engineer',
    'The model',
    'This prompt',
  ];
  const verbs = ['answers', 'summarises', 'explains', 'checks', 'rewrites', 'classifies', 'compares', 'translates'];
  const objects = [
    'the refund policy',
    'each ticket',
    'the latest invoice',
    'a short greeting',
    'the release notes',
    'the shipping delay',
    'their account settings',
  ];
  const tails = [
    'before the end of the day',
    'in a friendly tone',
    'without repeating the question',
    'with at most three sentences',
    'when the order is late',
    'for every new version',
    'in plain English',
  ];
  const extras = ['However, ', 'In short, ', 'If needed, ', 'Meanwhile, ', ''];
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const sentence = `${pick(extras)}${pick(subjects)} ${pick(verbs)} ${pick(objects)} ${pick(tails)}${rand(5) === 0 ? ` (order #${10000 + rand(90000)})` : ''}.`;
    const piece = rand(6) === 0 ? `${sentence}\n\n` : `${sentence} `;
    parts.push(piece);
    size += piece.length;
  }
  return parts.join('').slice(0, bytes);
}

export default async function tokens(): Promise<BenchRow[]> {
  const text = prose(TARGET_BYTES);
  const rows: BenchRow[] = [];
  for (const [model, api, label] of [
    ['gpt-4o', o200k, 'count 105KB ms'],
    ['gpt-4', cl100k, 'count 105KB ms (cl100k)'],
  ] as const) {
    const counter = await createTokenCounter(model);
    const ours = counter.countText(text).tokens;
    const raw = api.encode(text).length;
    if (ours !== raw) throw new Error(`${model}: our count ${ours} differs from gpt-tokenizer's ${raw}`);
    process.stderr.write(`  ${model}: ${text.length} chars, ${ours} tokens\n`);
    const r = await paired(
      () => counter.countText(text),
      () => api.encode(text).length,
      { rounds: 15, warmup: 3 },
    );
    rows.push(row(BENCH, label, r.ours, r.baseline, 'ms', null));
    // The same with the encoder's merge cache emptied before every call: the first count of a new text.
    const cold = await paired(
      () => (api.clearMergeCache(), counter.countText(text)),
      () => (api.clearMergeCache(), api.encode(text).length),
      { rounds: 9, warmup: 1 },
    );
    rows.push(row(BENCH, `${label.replace(' ms', ' ms cold')}`, cold.ours, cold.baseline, 'ms', null));
  }
  return rows;
}
