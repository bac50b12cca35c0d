// Edits through the document store (Yjs + group commit to SQLite with synchronous=FULL, acknowledged only
// once committed) vs the same edits on a bare Y.Doc in memory, in the same run. Then the real B4 editing
// trace through the store vs a bare Y.Doc vs plain string splicing.
import * as Y from 'yjs';
import { DocStore } from '../main/store/docs';
import { draftDoc, draftText, openDocsDb, tempDbFile } from '../main/store/docs/testing';
import type { Edit } from './edit-trace';
import { drive, loadB4, randomInserts, spliceStrings } from './edit-trace';
import type { BenchRow } from './harness';
import { median, row } from './harness';

const BENCH = 'store-edits';
const ROUNDS = 7;

interface StoreRun {
  ms: number;
  maxAckMs: number;
  doc: Y.Doc;
}

/** Every edit one `transact` (one Yjs transaction); the clock stops when the last edit is acknowledged. */
async function throughStore(edits: readonly Edit[], start = ''): Promise<StoreRun> {
  const db = openDocsDb(tempDbFile());
  const store = new DocStore(db);
  await store.create('s1', 'set', draftDoc(start));
  const doc = store.get('s1') as Y.Doc;
  const text = draftText(doc);
  let maxAckMs = 0;
  let group: Promise<void> | undefined;
  const begin = performance.now();
  await drive(edits, ([pos, del, ins]) => {
    const ack = store.transact('s1', () => {
      if (del > 0) text.delete(pos, del);
      if (ins) text.insert(pos, ins);
    });
    if (ack !== group) {
      // Edits of one group share its promise; its first edit waits longest.
      group = ack;
      const at = performance.now();
      void ack.then(() => (maxAckMs = Math.max(maxAckMs, performance.now() - at)));
    }
  });
  await group;
  const ms = performance.now() - begin;
  await store.close();
  db.close();
  return { ms, maxAckMs, doc };
}

async function bareDoc(edits: readonly Edit[], start = '', root?: string): Promise<{ ms: number; doc: Y.Doc }> {
  const doc = root ? new Y.Doc() : draftDoc(start);
  const text = root ? doc.getText(root) : draftText(doc);
  if (root && start) text.insert(0, start);
  const begin = performance.now();
  await drive(edits, ([pos, del, ins]) =>
    doc.transact(() => {
      if (del > 0) text.delete(pos, del);
      if (ins) text.insert(pos, ins);
    }),
  );
  return { ms: performance.now() - begin, doc };
}

async function randomEdits(): Promise<BenchRow[]> {
  const edits = randomInserts(10_000);
  for (let i = 0; i < 2; i++) {
    await throughStore(edits);
    await bareDoc(edits);
  }
  const ours: number[] = [];
  const base: number[] = [];
  let maxAck = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const run = await throughStore(edits);
    ours.push(run.ms);
    maxAck = Math.max(maxAck, run.maxAckMs);
    base.push((await bareDoc(edits)).ms);
    if (draftText(run.doc).toString() !== draftText((await bareDoc(edits)).doc).toString())
      throw new Error('texts differ');
  }
  const o = median(ours);
  const b = median(base);
  const perSecond = {
    ...row(BENCH, 'edits/s (ours; ratio as time)', 10_000 / (o / 1000), 10_000 / (b / 1000), 'edits/s', 3),
    ratio: o / b,
  };
  return [row(BENCH, '10k edits ms', o, b, 'ms', 3), perSecond, row(BENCH, 'max ack wait ms', maxAck, null, 'ms', 100)];
}

async function b4Trace(): Promise<BenchRow[]> {
  const trace = loadB4();
  if (!trace) {
    process.stderr.write(
      '  B4 trace not found beside the repository (../shared/data/automerge-paper.json.gz): rows skipped\n',
    );
    return [];
  }
  const ours = await throughStore(trace.edits, trace.startContent);
  const bare = await bareDoc(trace.edits, trace.startContent, 'text');
  const strings = performance.now();
  const spliced = await spliceStrings(trace.startContent, trace.edits);
  const stringsMs = performance.now() - strings;
  for (const [who, text] of [
    ['store', draftText(ours.doc).toString()],
    ['bare Y.Doc', bare.doc.getText('text').toString()],
    ['strings', spliced],
  ] as const) {
    if (text !== trace.endContent) throw new Error(`B4 replay through ${who} does not end in endContent`);
  }
  const v1 = Y.encodeStateAsUpdate(ours.doc).byteLength;
  const v2 = Y.encodeStateAsUpdateV2(ours.doc).byteLength;
  process.stderr.write(
    `  B4: ${trace.edits.length} edits; bare Y.Doc state ${Y.encodeStateAsUpdate(bare.doc).byteLength} B V1, ` +
      `${Y.encodeStateAsUpdateV2(bare.doc).byteLength} B V2 (anchors 311,038 / 159,929)\n`,
  );
  return [
    row(BENCH, 'B4 trace ms vs bare Y.Doc', ours.ms, bare.ms, 'ms', 3),
    row(BENCH, 'B4 trace ms vs string splicing', ours.ms, stringsMs, 'ms'),
    row(BENCH, 'B4 max ack wait ms', ours.maxAckMs, null, 'ms', 100),
    row(BENCH, 'B4 final state V1 B (ours vs anchor)', v1, 311_038, 'B'),
    row(BENCH, 'B4 final state V2 B (ours vs anchor)', v2, 159_929, 'B'),
  ];
}

export default async function storeEdits(): Promise<BenchRow[]> {
  return [...(await randomEdits()), ...(await b4Trace())];
}
