// Rendering a typical prompt through our path (parameter validation + cached parse + bounded render) vs
// raw liquidjs rendering the same template, parsed once beforehand, with the same values.
import { Liquid } from 'liquidjs';
import type { BenchRow } from './harness';
import { paired, row } from './harness';
import { createEngine } from '../shared/template/engine';
import { SUPPORT_PARAMETERS, SUPPORT_PROMPT, SUPPORT_VALUES } from './template-fixtures';

export default async function templateRender(): Promise<BenchRow[]> {
  const engine = createEngine();
  const raw = new Liquid();
  const parsed = raw.parse(SUPPORT_PROMPT);
  const opts = { parameters: SUPPORT_PARAMETERS, name: 'support' };

  const ours = await engine.renderText(SUPPORT_PROMPT, SUPPORT_VALUES, opts);
  const theirs = (await raw.render(parsed, SUPPORT_VALUES)) as string;
  if (ours !== theirs) throw new Error('our render and raw liquidjs differ on the bench prompt');

  const perRound = 300;
  const asyncRun = await paired(
    () => engine.renderText(SUPPORT_PROMPT, SUPPORT_VALUES, opts),
    () => raw.render(parsed, SUPPORT_VALUES),
    { rounds: 40, perRound, warmup: 500 },
  );
  const syncRun = await paired(
    () => engine.renderTextSync(SUPPORT_PROMPT, SUPPORT_VALUES, opts),
    () => raw.renderSync(parsed, SUPPORT_VALUES),
    { rounds: 40, perRound, warmup: 500 },
  );
  const us = (ms: number): number => ms * 1000;
  return [
    row('template-render', 'render µs (typical prompt, async)', us(asyncRun.ours), us(asyncRun.baseline), 'µs', 1.15),
    row('template-render', 'render µs (typical prompt, sync)', us(syncRun.ours), us(syncRun.baseline), 'µs', 1.15),
  ];
}
