// A workspace of hundreds of sets on one socket: every document's auth, sync step and presence go out together
// on connect. The server once counted those per socket, not per document, and closed the studio's socket after
// about thirty documents, so it never reached "synced".
import { afterEach, expect, it } from 'vitest';
import type { ServerProcess, Studio } from './testing';
import { freePort, openStudio, removeDirs, startServer, tempDir, untilAsync } from './testing';

const SETS = process.env.ANVIL_SOAK ? 2000 : 300;
const dirs: string[] = [];
const studios: Studio[] = [];
let server: ServerProcess | undefined;

afterEach(async () => {
  for (const s of studios.splice(0)) await s.close().catch(() => undefined);
  await server?.stop();
  removeDirs(dirs);
});

it(`syncs a workspace of ${SETS} sets to the server and on to a second studio`, async () => {
  server = await startServer(tempDir(dirs), await freePort());
  const token = server.adminToken ?? '';
  const a = await openStudio(tempDir(dirs));
  studios.push(a);
  const project = await a.ws.projects.create({ name: 'many' });
  for (let i = 0; i < SETS; i++) await a.ws.sets.create({ projectId: project.id, name: `set-${i}` });

  await a.engine.configure({ url: server.url, token });
  await a.engine.waitFor('synced', 60_000);
  expect(a.engine.status().documents).toBeGreaterThan(SETS);
  expect(server.stderr()).not.toMatch(/too many|rate-limit/);

  const b = await openStudio(tempDir(dirs));
  studios.push(b);
  await b.engine.configure({ url: server.url, token });
  await untilAsync(
    `all ${SETS} sets on the second studio`,
    async () => (await b.ws.sets.list({ projectId: project.id }).catch(() => [])).length === SETS,
    60_000,
  );
  await b.engine.waitFor('synced', 60_000);
}, 180_000);
