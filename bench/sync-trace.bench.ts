// Sync throughput (issue 5): the real B4 editing trace (`../shared/data/automerge-paper.json.gz`, 259,778 edits
// of writing a paper, see shared/data/README.md) replayed through our client, server and both stores.
//
// Ours: a real `anvil serve` process (`startServer`: token auth, update checks in a worker, SQLite storage)
// and two studios in temp folders, each a real workspace (SQLite store with its projections, search index and
// audit) plus our sync engine, built as the studio host builds them: the engine's DEFAULT timing (local
// changes merged onto the wire every 30 ms) and the store's default group commit (20 ms). Not `openStudio`:
// its store commits every 5 ms (tests' timing), four times the commits users pay for. Studio A applies the
// trace to its prompt's template Y.Text as local edits through its workspace store; the engine sends the
// merged batches to the server, which checks, applies and stores them; studio B receives them and stores
// them. Both studios share this process (and its one thread), so ours pays both sides' CPU in turn. The
// clock runs from the first edit until B's template equals `endContent`, A's last edit is durable, both
// engines say `synced` with 0 pending changes, and B's store has committed what it received.
//
// Two drivers of A, each with its own studios and project on the same server:
//   - per edit: one store transaction per edit, yielding to the event loop every 20 edits (`drive`, as
//     store-edits.bench.ts drives B4); baseline: a bare Y.Doc in memory (root Y.Text `text`), one
//     transaction per edit, same driver.
//   - per frame: the edits that fit in a 16 ms frame go in one store transaction, then the event loop turns,
//     as the editor's updates reach the main process (one merged `docs:apply` per burst, not per key);
//     baseline: a bare Y.Doc with one transaction per frame, the same frames (recorded from ours).
// Each baseline runs before and after ours; the mean is the figure. Target 4 (ours / bare Y.Doc time).
// Check: the final text on every replica equals `endContent`: A and B in memory, A and B reopened from their
// SQLite files, and a fresh stock provider reading from the server after a restart (so from its SQLite).
import { mkdirSync } from 'node:fs';
import { setImmediate as turn } from 'node:timers/promises';
import * as Y from 'yjs';
import { ORIGIN, templateText } from '../shared/doc';
import type { SyncNotice } from '../shared/sync/status';
import { openWorkspace, workspaceFile } from '../main/store/workspace';
import { AwarenessHub } from '../main/studio/awareness';
import { DEFAULT_TIMING, createSyncEngine } from '../main/sync/engine';
import { memorySecretStore } from '../main/sync/memory-secrets';
import { createPendingTracker } from '../main/sync/pending';
import type { ServerProcess, Studio } from '../main/sync/testing';
import { freePort, makePrompt, removeDirs, startServer, tempDir, templateOf } from '../main/sync/testing';
import type { Edit, Trace } from './edit-trace';
import { drive, loadB4 } from './edit-trace';
import type { BenchRow } from './harness';
import { row } from './harness';
import { stockClient, stockSocket, until } from './sync-fixtures';

const BENCH = 'sync-trace';
const FRAME_MS = 16;
const DONE_TIMEOUT_MS = 120_000;

interface Ids {
  projectId: string;
  setId: string;
  promptId: string;
}

/** How A's edits are grouped: one store transaction (and Yjs transaction) per group. */
type Driver = 'edit' | 'frame';

interface OursRun {
  ms: number;
  /** From the first edit: A had applied the last edit, A's last edit was durable, B showed `endContent`. */
  drivenMs: number;
  durableMs: number;
  remoteMs: number;
  /** Edits per store transaction, in order (per-frame driver), to give the baseline the same frames. */
  frames: number[];
  ids: Ids;
  dirs: string[];
}

/**
 * A studio as `createStudioHost` builds it (workspace with the pending projector, awareness hub, engine), with
 * the store's and the engine's default timing; `openStudio` is the same with the tests' faster timing.
 */
async function shippedStudio(dir: string): Promise<Studio> {
  mkdirSync(dir, { recursive: true });
  const pending = createPendingTracker();
  const errors: string[] = [];
  const ws = await openWorkspace({
    file: workspaceFile(dir),
    actor: 'bench',
    projectors: [pending.projector],
    onError: (e) => errors.push(e.message),
  });
  const awareness = new AwarenessHub();
  const secrets = memorySecretStore();
  const engine = await createSyncEngine({
    ws,
    awareness,
    secrets,
    pending,
    timing: DEFAULT_TIMING,
    onError: (e) => errors.push(e.message),
  });
  const notices: SyncNotice[] = [];
  engine.onNotice((n) => notices.push(n));
  return {
    dir,
    ws,
    engine,
    awareness,
    secrets,
    notices,
    errors,
    async close() {
      await engine.close();
      awareness.close();
      await ws.close();
    },
  };
}

const idle = (s: Studio): boolean => {
  const status = s.engine.status();
  return status.state === 'synced' && status.pendingChanges === 0;
};

const applyEdit = (text: Y.Text, [pos, del, ins]: Edit): void => {
  if (del > 0) text.delete(pos, del);
  if (ins) text.insert(pos, ins);
};

/** Every edit in its own store transaction (store-edits' driver); resolves with A's last acknowledgement. */
async function perEdit(a: Studio, ids: Ids, text: Y.Text, edits: readonly Edit[]): Promise<Promise<void>> {
  let last: Promise<void> = Promise.resolve();
  await drive(edits, (e) => {
    last = a.ws.internals.docs.transact(ids.setId, () => applyEdit(text, e), ORIGIN.local);
  });
  return last;
}

/** The edits that fit in a frame in one store transaction, then a turn; records the frame sizes. */
async function perFrame(
  a: Studio,
  ids: Ids,
  text: Y.Text,
  edits: readonly Edit[],
  frames: number[],
): Promise<Promise<void>> {
  let last: Promise<void> = Promise.resolve();
  let i = 0;
  while (i < edits.length) {
    const start = performance.now();
    const from = i;
    last = a.ws.internals.docs.transact(
      ids.setId,
      () => {
        while (i < edits.length && performance.now() - start < FRAME_MS) applyEdit(text, edits[i++] as Edit);
      },
      ORIGIN.local,
    );
    frames.push(i - from);
    await turn();
  }
  return last;
}

async function throughSync(
  trace: Trace,
  driver: Driver,
  server: ServerProcess,
  token: string,
  dirs: string[],
): Promise<OursRun> {
  const opened: Studio[] = [];
  const open = async (): Promise<Studio> => {
    const s = await shippedStudio(tempDir(dirs, 'anvil-bench-trace-'));
    opened.push(s);
    await s.engine.configure({ url: server.url, token });
    return s;
  };
  try {
    const a = await open();
    const names = { project: `trace-${driver}`, set: 'paper', prompt: 'b4' };
    const ids = await makePrompt(a.ws, names, trace.startContent);
    await a.engine.waitFor('synced', 15_000);
    const b = await open();
    // B learns of the project from the server and creates the set locally once its content has come.
    await until('the set to reach studio B', () => b.ws.internals.docs.get(ids.setId) !== undefined, 15_000);
    await b.engine.waitFor('synced', 15_000);
    const aDoc = a.ws.internals.docs.get(ids.setId);
    const bDoc = b.ws.internals.docs.get(ids.setId);
    if (!aDoc || !bDoc) throw new Error('the set is not open in both studios');
    const text = templateText(aDoc, ids.promptId);
    const remote = templateText(bDoc, ids.promptId);
    const end = trace.endContent;
    const frames: number[] = [];

    const begin = performance.now();
    const last =
      driver === 'edit' ? await perEdit(a, ids, text, trace.edits) : await perFrame(a, ids, text, trace.edits, frames);
    const drivenMs = performance.now() - begin;
    await last;
    const durableMs = performance.now() - begin;
    let remoteMs = NaN;
    await until(
      "B's template to equal endContent and both engines to be synced with nothing pending",
      () => {
        if (Number.isNaN(remoteMs)) {
          if (remote.length !== end.length || remote.toString() !== end) return false;
          remoteMs = performance.now() - begin;
        }
        return idle(a) && idle(b);
      },
      DONE_TIMEOUT_MS,
    );
    // What B received is durable once its group commit ran (its engine counts only local changes as pending).
    await b.ws.internals.docs.flush();
    const ms = performance.now() - begin;
    for (const [who, s] of [
      ['A', a],
      ['B', b],
    ] as const) {
      if (templateOf(s.ws, ids.setId, ids.promptId) !== end)
        throw new Error(`studio ${who} does not end in endContent`);
      if (s.errors.length > 0) throw new Error(`studio ${who} reported: ${s.errors.join('; ')}`);
    }
    return { ms, drivenMs, durableMs, remoteMs, frames, ids, dirs: opened.map((s) => s.dir) };
  } finally {
    for (const s of opened) await s.close();
  }
}

/** The trace on a bare Y.Doc: one transaction per edit (`frames` empty) or per frame of the given sizes. */
async function bareDoc(trace: Trace, frames: readonly number[] = []): Promise<number> {
  const doc = new Y.Doc();
  const text = doc.getText('text');
  text.insert(0, trace.startContent);
  const begin = performance.now();
  if (frames.length === 0) await drive(trace.edits, (e) => doc.transact(() => applyEdit(text, e)));
  else {
    let i = 0;
    for (const size of frames) {
      doc.transact(() => {
        for (const end = i + size; i < end; i++) applyEdit(text, trace.edits[i] as Edit);
      });
      await turn();
    }
  }
  const ms = performance.now() - begin;
  if (text.toString() !== trace.endContent) throw new Error('B4 replay on a bare Y.Doc does not end in endContent');
  doc.destroy();
  return ms;
}

/** Each studio's workspace, reopened from its SQLite file, holds the final text. */
async function checkStores(run: OursRun, end: string): Promise<void> {
  for (const dir of run.dirs) {
    const ws = await openWorkspace({ file: workspaceFile(dir), actor: 'bench' });
    try {
      if (templateOf(ws, run.ids.setId, run.ids.promptId) !== end)
        throw new Error(`the workspace in ${dir}, reopened, does not end in endContent`);
    } finally {
      await ws.close();
    }
  }
}

/** A fresh stock provider gets the final text from the server. */
async function checkServer(server: ServerProcess, token: string, ids: Ids, end: string): Promise<void> {
  const socket = stockSocket(server.url);
  const client = stockClient(socket, `${ids.projectId}/${ids.setId}`, token);
  try {
    await client.synced;
    if (templateText(client.doc, ids.promptId).toString() !== end)
      throw new Error('a fresh client reading from the restarted server does not get endContent');
  } finally {
    client.provider.destroy();
    socket.destroy();
  }
}

interface Measured {
  ours: OursRun;
  bare: number;
  bareRuns: number[];
}

/**
 * Ours and two runs of its baseline, and the baseline's mean. Per edit: one before and one after ours, so
 * drift hits both alike; per frame: both after, as they replay the frames ours recorded.
 */
async function measure(
  trace: Trace,
  driver: Driver,
  server: ServerProcess,
  token: string,
  dirs: string[],
): Promise<Measured> {
  let bareRuns: number[];
  let ours: OursRun;
  if (driver === 'edit') {
    const before = await bareDoc(trace);
    ours = await throughSync(trace, driver, server, token, dirs);
    bareRuns = [before, await bareDoc(trace)];
  } else {
    ours = await throughSync(trace, driver, server, token, dirs);
    bareRuns = [await bareDoc(trace, ours.frames), await bareDoc(trace, ours.frames)];
  }
  return { ours, bare: bareRuns.reduce((x, y) => x + y, 0) / bareRuns.length, bareRuns };
}

function report(driver: Driver, n: number, m: Measured): void {
  const o = m.ours;
  const frames = o.frames.length > 0 ? ` in ${o.frames.length} frames` : '';
  process.stderr.write(
    `  B4 per ${driver}: ${n} edits${frames}; ours: A applied them by ${o.drivenMs.toFixed(0)} ms, durable at ` +
      `${o.durableMs.toFixed(0)} ms, B showed endContent at ${o.remoteMs.toFixed(0)} ms, all synced and stored ` +
      `at ${o.ms.toFixed(0)} ms; bare Y.Doc ${m.bareRuns.map((ms) => ms.toFixed(0)).join(' / ')} ms\n`,
  );
}

export default async function syncTrace(): Promise<BenchRow[]> {
  const trace = loadB4();
  if (!trace) {
    process.stderr.write(
      '  B4 trace not found beside the repository (../shared/data/automerge-paper.json.gz): rows skipped\n',
    );
    return [];
  }
  const dirs: string[] = [];
  const serverDir = tempDir(dirs, 'anvil-bench-trace-server-');
  let server: ServerProcess | undefined;
  try {
    server = await startServer(serverDir, await freePort());
    const token = server.adminToken;
    if (!token) throw new Error('the sync server printed no admin token');
    const edit = await measure(trace, 'edit', server, token, dirs);
    const frame = await measure(trace, 'frame', server, token, dirs);

    for (const m of [edit, frame]) await checkStores(m.ours, trace.endContent);
    // Restarted, the server serves the documents from its SQLite store.
    await server.stop();
    server = await startServer(serverDir, await freePort());
    for (const m of [edit, frame]) await checkServer(server, token, m.ours.ids, trace.endContent);

    const n = trace.edits.length;
    report('edit', n, edit);
    report('frame', n, frame);
    // edits/s as a throughput; its ratio is taken as time (ours/bare), so lower is better like every row.
    const perSecond = (m: Measured, label: string, target: number | null): BenchRow => ({
      ...row(
        BENCH,
        `B4 edits/s, ${label} (ours; ratio as time)`,
        n / (m.ours.ms / 1000),
        n / (m.bare / 1000),
        'edits/s',
      ),
      ratio: m.ours.ms / m.bare,
      target,
    });
    // The bound (at most 4) lets updates be batched and merged as an editor would, per animation frame:
    // that is the studio's editor, so the frame rows carry it. One transaction per edit is shown beside it as a
    // harsher figure (every keystroke its own listener round, projection and wire message), without a target.
    return [
      row(BENCH, 'B4 ms A→server→B, 1 txn per edit, vs bare Y.Doc same', edit.ours.ms, edit.bare, 'ms'),
      perSecond(edit, '1 txn per edit', null),
      row(
        BENCH,
        `B4 ms A→server→B, 1 txn per ${FRAME_MS} ms frame, vs bare Y.Doc same frames`,
        frame.ours.ms,
        frame.bare,
        'ms',
        4,
      ),
      perSecond(frame, `1 txn per ${FRAME_MS} ms frame`, 4),
    ];
  } finally {
    await server?.stop();
    removeDirs(dirs);
  }
}
