// `npm run bench [name…]`: runs every bench/*.bench.ts (or those whose file name contains a given word),
// prints one table, and writes every row to bench-results.json at the root for scripts to check.
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Bench, BenchRow } from './harness';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

const fmt = (n: number | null): string =>
  n === null ? '-' : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3);

const rows: BenchRow[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: Bench };
  process.stderr.write(`running ${file}…\n`);
  const got = await mod.default();
  for (const r of got) {
    rows.push(r);
    process.stderr.write(
      `  ${r.metric}: ours ${fmt(r.ours)} ${r.unit}, baseline ${fmt(r.baseline)}, ratio ${fmt(r.ratio)}\n`,
    );
  }
}

// The same rows as a Markdown table, ready for a closing note or a pull request.
console.log('\n| bench | metric | ours | baseline | unit | ratio | target | |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const verdict = r.target === null ? '' : (r.ratio ?? r.ours) <= r.target ? 'ok' : 'over';
  console.log(
    `| ${r.bench} | ${r.metric} | ${fmt(r.ours)} | ${fmt(r.baseline)} | ${r.unit} | ${fmt(r.ratio)} | ${r.target ?? '-'} | ${verdict} |`,
  );
}
writeFileSync(join(here, '..', 'bench-results.json'), JSON.stringify(rows, null, 2) + '\n');
console.log(`\n${rows.length} rows written to bench-results.json`);
