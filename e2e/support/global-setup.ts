import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildRenderer, rendererStaleness, snapshotRenderer } from './renderer-build';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Where the studios of this run serve the renderer from (read by support/studio.ts in the workers). */
export const RENDERER_ENV = 'ANVIL_E2E_RENDERER';

/**
 * Before any test: the studio's page must be built from the current sources (`npm test` has just built it),
 * and this run serves its own copy of it. Returns the teardown that removes the copy.
 */
export default function globalSetup(): () => void {
  const why = rendererStaleness(ROOT);
  if (why !== null) {
    const started = Date.now();
    process.stdout.write(`Building the renderer (${why})…\n`);
    buildRenderer(ROOT);
    process.stdout.write(`Renderer built in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
  }
  const copy = snapshotRenderer(ROOT);
  process.env[RENDERER_ENV] = copy;
  return () => rmSync(copy, { recursive: true, force: true });
}
