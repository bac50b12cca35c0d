// The process whose memory and CPU `sync-server-load.bench.ts` measures, so the figures are the server's own and
// not the 50 clients'. Started with `fork` (IPC) and `--expose-gc`; one of three modes:
//   ours DATA_DIR  createSyncServer (SQLite storage in DATA_DIR, token auth, update checks: the real server)
//   bare           a bare Hocuspocus server (no storage, no hooks)
//   docs N         no server: N seeded documents as bare Y.Docs in memory (the memory floor)
// Messages: it sends {type:'ready', url}; answers {type:'measure'} with a Measure; {type:'load'} (docs mode)
// builds the documents; {type:'close'} closes and exits.
import { Server } from '@hocuspocus/server';
import * as Y from 'yjs';
import { createSyncServer } from '../sync-server/server/create';
import type { AuthResult } from '../sync-server/server/create';
import { seedUpdate } from './sync-fixtures';

export interface Measure {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** process.cpuUsage() since start, µs. */
  cpuUser: number;
  cpuSystem: number;
}

export type ChildMessage = { type: 'ready'; url: string } | { type: 'measure'; measure: Measure } | { type: 'loaded' };
export type ParentMessage = { type: 'measure' } | { type: 'load' } | { type: 'close' };

const send = (m: ChildMessage): void => void process.send?.(m);

function measure(): Measure {
  // Twice: the first pass may only schedule finalizers.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    cpuUser: cpu.user,
    cpuSystem: cpu.system,
  };
}

// Bench tokens: any `rw-…` token may write (the accounts database is not what this bench measures).
const authenticate = (token: string): AuthResult | null =>
  token.startsWith('rw-') ? { accountId: token.slice(3), readOnly: false } : null;

const [mode, arg] = process.argv.slice(2);
let close: () => Promise<void> = async () => {};
const held: Y.Doc[] = [];

if (mode === 'ours') {
  // The pre-authentication cap counts, over a socket's whole life, every message for a document not yet
  // authenticated, and the stock provider sends two or three per document (auth, sync step 1, awareness) before
  // the answer: at the default 64 a socket is closed after about 21 documents (32 without awareness), so 40
  // multiplexed subscriptions per client could never connect. Raised here so the bench measures the load;
  // the default itself is reported as a bug.
  const server = await createSyncServer({ dataDir: arg, port: 0, authenticate });
  close = () => server.close();
  send({ type: 'ready', url: server.url });
} else if (mode === 'bare') {
  const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false });
  await server.listen();
  close = () => server.destroy();
  send({ type: 'ready', url: `ws://127.0.0.1:${server.address.port}` });
} else if (mode === 'docs') {
  send({ type: 'ready', url: '' });
} else {
  throw new Error(`sync-load-child: unknown mode ${mode}`);
}

process.on('message', (m: ParentMessage) => {
  if (m.type === 'measure') send({ type: 'measure', measure: measure() });
  else if (m.type === 'load') {
    for (let i = 0; i < Number(arg); i++) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, seedUpdate(i));
      held.push(doc);
    }
    send({ type: 'loaded' });
  } else if (m.type === 'close') {
    void close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  }
});

// The parent died without saying close (a crashed bench): do not linger holding a port and a data folder.
process.on('disconnect', () => {
  void close().finally(() => process.exit(0));
});
