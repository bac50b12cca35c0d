// Parameter extraction of a 2,000-line template (parse + walk + hints) vs liquidjs parsing it alone. Every
// call gets a distinct source (a salt in a comment), so neither side is served from a parse cache.
import { Liquid } from 'liquidjs';
import type { BenchRow } from './harness';
import { paired, row } from './harness';
import { createEngine } from '../shared/template/engine';
import { extractVariables } from '../shared/params/extract';
import { longTemplate } from './template-fixtures';

const LINES = 2_000;

async function measure(prose: number): Promise<{ ours: number; baseline: number }> {
  const engine = createEngine();
  const raw = new Liquid();
  const rounds = 40;
  const warmup = 5;
  const sources = Array.from({ length: 2 * (rounds + warmup) }, (_, i) => longTemplate(LINES, String(i), prose));
  const check = extractVariables(engine, sources[0] ?? '');
  const chars = (sources[0]?.length ?? 0).toLocaleString('en');
  process.stderr.write(
    `  ${LINES} lines (${prose} prose per 12 templated), ${chars} chars, ${check.variables.length} parameters\n`,
  );
  let ours = 0;
  let theirs = sources.length / 2;
  const next = (i: number): string => sources[i % sources.length] ?? '';
  return paired(
    () => extractVariables(engine, next(ours++)),
    () => raw.parse(next(theirs++)),
    { rounds, perRound: 1, warmup },
  );
}

export default async function paramExtract(): Promise<BenchRow[]> {
  const typical = await measure(6);
  // The dense extreme, for the record: every line markup, where liquidjs's parse alone nears 20 ms here.
  const dense = await measure(0);
  return [
    row('param-extract', 'extract median ms', typical.ours, typical.baseline, 'ms'),
    row('param-extract', 'extract median ms (absolute)', typical.ours, null, 'ms', 20),
    row(
      'param-extract',
      'extract median ms (dense, every line markup, vs raw parse)',
      dense.ours,
      dense.baseline,
      'ms',
    ),
  ];
}
