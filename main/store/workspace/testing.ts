import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Workspace } from '../workspace';
import { openWorkspace } from '../workspace';

/**
 * A workspace in a fresh temporary directory for tests, with a clock the test moves (`clock.now`).
 * `reopen` closes and opens the same file again; `dispose` closes everything and removes the directory.
 */
export interface TempWorkspace {
  ws: Workspace;
  file: string;
  clock: { now: number };
  reopen(): Promise<Workspace>;
  dispose(): Promise<void>;
}

export async function tempWorkspace(actor = 'ada'): Promise<TempWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-ws-'));
  const file = join(dir, 'workspace.db');
  const clock = { now: Date.UTC(2026, 0, 5, 9, 0, 0) };
  const open = () => openWorkspace({ file, actor, maxDelayMs: 2, now: () => clock.now });
  const t: TempWorkspace = {
    ws: await open(),
    file,
    clock,
    async reopen() {
      await t.ws.close();
      t.ws = await open();
      return t.ws;
    },
    async dispose() {
      await t.ws.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}
