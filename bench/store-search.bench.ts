// FTS search over 100,000 prompts: our `search()` call (query parsing, the statement, mapping rows and
// snippets) vs the raw statement it runs (same SQL, same parameters, prepared once) on the same database.
// Calls are timed one by one, ours and raw alternating, so p50 and p95 are of single calls.
import type { BenchRow } from './harness';
import { percentile, row } from './harness';
import { openCorpus } from './search-corpus';
import { SEARCH_SQL, search, searchParams } from '../main/store/search';

const BENCH = 'store-search';

function timeEach(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** Single-call samples of both, alternating which goes first each round. */
function interleaved(ours: () => unknown, raw: () => unknown, runs: number): { ours: number[]; raw: number[] } {
  for (let i = 0; i < Math.min(20, runs); i++) {
    ours();
    raw();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      a.push(timeEach(ours));
      b.push(timeEach(raw));
    } else {
      b.push(timeEach(raw));
      a.push(timeEach(ours));
    }
  }
  return { ours: a, raw: b };
}

export default async function storeSearch(): Promise<BenchRow[]> {
  const corpus = openCorpus();
  const { db, words, df } = corpus;
  process.stderr.write(
    `  words: rare "${words.rare}" (${df.rare} docs), mid "${words.mid}" (${df.mid}), common "${words.common}" (${df.common})\n`,
  );
  const raw = db.prepare(SEARCH_SQL);
  const rows: BenchRow[] = [];
  const cases: [kind: string, query: string, runs: number][] = [
    ['rare', `${words.rare} `, 400],
    ['mid', `${words.mid} `, 200],
    ['common', `${words.common} `, 120],
    ['typing prefix', words.mid.slice(0, 3), 120],
    ['two words', `${words.common} ${words.mid} `, 120],
  ];
  for (const [kind, query, runs] of cases) {
    const params = searchParams(query);
    if (!params.ok || params.value === null) throw new Error(`bench query ${JSON.stringify(query)} did not parse`);
    const bound = params.value;
    const check = search(db, query);
    if (!check.ok || check.value.length === 0) throw new Error(`bench query ${JSON.stringify(query)} found nothing`);
    const s = interleaved(
      () => search(db, query),
      () => raw.all(bound),
      runs,
    );
    rows.push(row(BENCH, `search p50 ms (${kind})`, percentile(s.ours, 50), percentile(s.raw, 50), 'ms', 1.3));
    rows.push(row(BENCH, `search p95 ms (${kind})`, percentile(s.ours, 95), percentile(s.raw, 95), 'ms'));
  }

  // What the rank cap buys: our capped call vs ranking every match of the common word (the anchor's 121 ms).
  const uncapped = db.prepare(SEARCH_SQL.replace(/AND rowid <= \(SELECT max\(rowid\)[^\n]*\n/, '\n'));
  const common = searchParams(`${words.common} `);
  if (common.ok && common.value) {
    const bound = common.value;
    const s = interleaved(
      () => search(db, `${words.common} `),
      () => uncapped.all(bound),
      15,
    );
    rows.push(
      row(BENCH, 'search p50 ms (common, vs uncapped ranking)', percentile(s.ours, 50), percentile(s.raw, 50), 'ms'),
    );
  }
  db.close();
  return rows;
}
