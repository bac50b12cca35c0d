import { fileURLToPath } from 'node:url';
import { buildRenderer, rendererStaleness } from './renderer-build';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Before any test: the studio's page must be built from the current sources (`npm test` has just built it). */
export default function globalSetup(): void {
  const why = rendererStaleness(ROOT);
  if (why === null) return;
  const started = Date.now();
  process.stdout.write(`Building the renderer (${why})…\n`);
  buildRenderer(ROOT);
  process.stdout.write(`Renderer built in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
}
