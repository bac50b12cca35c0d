// Inputs of the edits bench: random single-character edits, and the real B4 editing trace
// (`../shared/data/automerge-paper.json.gz`, see shared/data/README.md), plus the driver that feeds them.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { setImmediate as turn } from 'node:timers/promises';

/** One edit: at `pos`, delete `del` characters, then insert `ins`. */
export type Edit = [pos: number, del: number, ins: string];

export interface Trace {
  startContent: string;
  endContent: string;
  edits: Edit[];
}

/** `n` one-character inserts at random positions of a text growing from empty (seeded, same every run). */
export function randomInserts(n: number, seed = 42): Edit[] {
  let s = seed;
  const rnd = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: n }, (_, i): Edit => [
    Math.floor(rnd() * (i + 1)),
    0,
    String.fromCharCode(97 + (i % 26)),
  ]);
}

const TRACE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data', 'automerge-paper.json.gz');

/** The B4 trace, or null when the data folder is not beside the repository. */
export function loadB4(): Trace | null {
  if (!existsSync(TRACE)) return null;
  const raw = JSON.parse(gunzipSync(readFileSync(TRACE)).toString('utf8')) as {
    startContent: string;
    endContent: string;
    txns: { patches: Edit[] }[];
  };
  return { startContent: raw.startContent, endContent: raw.endContent, edits: raw.txns.flatMap((t) => t.patches) };
}

/**
 * Apply `edits` with `apply`, yielding to the event loop every `burst` edits as an editor receiving
 * keystrokes does (so timers, such as a group commit's, can fire). Ours and the baselines use the same driver.
 */
export async function drive(edits: readonly Edit[], apply: (e: Edit) => void, burst = 20): Promise<void> {
  for (let i = 0; i < edits.length; i++) {
    apply(edits[i] as Edit);
    if (i % burst === burst - 1) await turn();
  }
}

/** Plain string splicing: the floor any editor model pays. */
export async function spliceStrings(start: string, edits: readonly Edit[]): Promise<string> {
  let text = start;
  await drive(edits, ([pos, del, ins]) => {
    text = text.slice(0, pos) + ins + text.slice(pos + del);
  });
  return text;
}
