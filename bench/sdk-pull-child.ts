// The server `sdk-pull.bench.ts` pulls from, in a child process so the pull (in the bench's process) does not
// share its event loop: createSyncServer with a real registry (accounts, tokens, team versions, registry.db,
// bundle files), rate limits raised out of the way (the bench measures the pull, not the limiter). Sends
// {type:'ready', url, token, projectId, projectName}; {type:'close'} closes and exits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT, openRegistryWorld } from '../sync-server/registry/http-fixtures';

export interface PullServerReady {
  type: 'ready';
  url: string;
  token: string;
  projectId: string;
  projectName: string;
}

const dir = mkdtempSync(join(tmpdir(), 'anvil-bench-pull-server-'));
const world = await openRegistryWorld(dir);
const ready: PullServerReady = {
  type: 'ready',
  url: world.server.httpUrl,
  token: world.tokens.ed,
  projectId: PROJECT.id,
  projectName: PROJECT.name,
};
process.send?.(ready);
process.on('message', (m: { type?: string }) => {
  if (m?.type !== 'close') return;
  void world.close().then(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
