import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestClient } from './testing';
import { connect, registerProject, removeDirs, startMain, tempDir, until } from './testing';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const ROUNDS = process.env.ANVIL_SOAK ? 20 : 2;
const dirs: string[] = [];
const children: ChildProcess[] = [];
const clients: TestClient[] = [];

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  for (const p of children.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  removeDirs(dirs);
});

describe('sync server kill -9', () => {
  it(
    `keeps every acknowledged edit when the server is killed mid-burst, ${ROUNDS} rounds`,
    { timeout: ROUNDS * 10_000 },
    async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const dataDir = tempDir(dirs);
        const first = await startMain(MAIN, dataDir);
        children.push(first.proc);
        const token = first.adminToken as string;
        await registerProject(first.url, token, 'p1');
        const writer = connect(first.url, 'p1/doc', token);
        clients.push(writer);
        await writer.ready;
        let killed = false;
        const dead = new Promise<void>((resolve) => first.proc.on('exit', () => resolve()));
        // One edit at a time: an edit counts as acknowledged once the provider has no unsynced change left.
        let acked = 0;
        for (let n = 1; !killed; n++) {
          writer.text.insert(writer.text.length, `${n},`);
          try {
            await until(`ack of ${n}`, () => killed || !writer.provider.hasUnsyncedChanges, 5_000);
          } catch {
            break;
          }
          if (killed) break;
          acked = n;
          // Armed after the first acknowledgement, so every round has some to check.
          if (n === 1) {
            setTimeout(
              () => {
                killed = true;
                first.proc.kill('SIGKILL');
              },
              100 + Math.random() * 300,
            );
          }
        }
        await dead;
        writer.close();
        expect(acked).toBeGreaterThan(0);

        const second = await startMain(MAIN, dataDir);
        children.push(second.proc);
        const reader = connect(second.url, 'p1/doc', token);
        clients.push(reader);
        await reader.ready;
        const kept = reader.text.toString().slice(0, -1).split(',').map(Number);
        expect(kept.slice(0, acked), `round ${round}: ${acked} acknowledged`).toEqual(
          Array.from({ length: acked }, (_, i) => i + 1),
        );
        reader.close();
        second.proc.kill('SIGTERM');
      }
    },
  );
});
