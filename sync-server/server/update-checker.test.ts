import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { removeDirs, tempDir } from './testing';
import { UpdateChecker } from './update-checker';

const dirs: string[] = [];
const checkers: UpdateChecker[] = [];
afterEach(async () => {
  for (const c of checkers.splice(0)) await c.close();
  removeDirs(dirs);
});

function checker(options: ConstructorParameters<typeof UpdateChecker>[0] = {}): UpdateChecker {
  const c = new UpdateChecker(options);
  checkers.push(c);
  return c;
}

function validUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'hello');
  return Y.encodeStateAsUpdate(doc);
}

describe('UpdateChecker', () => {
  it('passes a valid update and refuses garbage', async () => {
    const c = checker();
    await c.check(validUpdate());
    await expect(c.check(Uint8Array.from([1, 200, 200, 200, 200, 200, 1]))).rejects.toThrow(/does not decode/);
    await c.check(validUpdate());
  });

  it('fails a check whose decoding hangs, without stopping this thread, and recovers', async () => {
    // A worker that loops forever stands in for a decoder caught by a crafted update.
    const file = join(tempDir(dirs), 'hang-worker.mjs');
    writeFileSync(
      file,
      "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => { for (;;); });\n",
    );
    const c = checker({ workerUrl: pathToFileURL(file), timeoutMs: 200 });
    const started = Date.now();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    await expect(c.check(validUpdate())).rejects.toThrow(/more than 200 ms/);
    clearInterval(ticker);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(ticks).toBeGreaterThan(5); // this thread kept running while the worker hung
    // A fresh worker is started for the next check (it hangs too here, and is stopped again).
    await expect(c.check(validUpdate())).rejects.toThrow(/more than 200 ms/);
  });
});
