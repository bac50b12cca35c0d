// Worker of update-checker.ts (plain JS so it runs under Node, tsx and Vitest alike): decodes one untrusted Yjs
// update. A crafted update can make the decoder loop or allocate without end (yjs issue 687); here that only
// stalls this thread, which the parent's watchdog terminates.
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';

parentPort.on('message', ({ id, update }) => {
  try {
    Y.decodeUpdate(update);
    parentPort.postMessage({ id, ok: true });
  } catch (err) {
    parentPort.postMessage({ id, ok: false, error: String(err && err.message ? err.message : err) });
  }
});
