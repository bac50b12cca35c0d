import type { Database } from 'better-sqlite3';
import * as Y from 'yjs';
import type { DocKind } from '../../../shared/doc';
import { ORIGIN } from '../../../shared/doc';
import { AnvilError } from '../../../shared/domain';
import { diskFull, isDiskFull } from '../errors';
import { GroupCommitter } from './committer';
import { compactRows } from './compact';
import { commitFailed, docExists, invalidUpdate, storeClosed, unknownDoc } from './errors';
import { loadDoc } from './load';
import type { PendingDoc } from './queue';
import type { DocStatements } from './statements';
import { prepareStatements } from './statements';
import type { LiveDoc } from './live';
import { attachLive } from './live';
import type { DocStoreOptions } from './options';
import { resolveOptions } from './options';
import type { CommittedDoc, DocStoreApi } from './types';
import type { Work } from './write-group';
import { groupWriter, workFor } from './write-group';

/**
 * Yjs documents persisted as update rows with group commit (see `DocStoreApi`). Every update a live document
 * emits is queued, whoever made it (a `transact` call, an editor binding typing into a Y.Text, a migration),
 * and committed with its group: one merged row per document, then the projectors, in one SQLite transaction.
 */
export class DocStore implements DocStoreApi {
  readonly file: string;
  private readonly s: DocStatements;
  private readonly compactEvery: number;
  private readonly now: () => number;
  private readonly onError: (err: AnvilError) => void;
  private readonly writeGroup: (work: Work[], at: number) => void;
  private readonly committer: GroupCommitter;
  private readonly live = new Map<string, LiveDoc>();
  private readonly listeners = new Set<(docs: readonly CommittedDoc[]) => void>();
  private closed = false;

  constructor(
    private readonly db: Database,
    options: DocStoreOptions = {},
  ) {
    const o = resolveOptions(options);
    this.file = db.name;
    this.s = prepareStatements(db);
    this.compactEvery = o.compactEvery;
    this.now = o.now;
    this.onError = o.onError;
    this.writeGroup = groupWriter(db, this.s, o.projectors);
    this.committer = new GroupCommitter({
      maxDelayMs: o.maxDelayMs,
      maxPendingBytes: o.maxPendingBytes,
      write: (taken) => this.write(taken),
      failure: (err) => commitFailed(this.file, err),
      onError: this.onError,
    });
  }

  /** `origin` (an addition to the contract) tags the creation for projectors; default `local`. */
  create(docId: string, kind: DocKind, doc: Y.Doc, origin: unknown = ORIGIN.local): Promise<void> {
    if (this.closed) return Promise.reject(storeClosed(this.file));
    if (this.live.has(docId) || this.s.kindOf.get(docId) !== undefined) return Promise.reject(docExists(docId));
    this.attach(docId, doc, kind, false, 0);
    this.committer.enqueue(docId, Y.encodeStateAsUpdate(doc), origin);
    return this.committer.ack();
  }

  get(docId: string): Y.Doc | undefined {
    if (this.closed) throw storeClosed(this.file);
    const hit = this.live.get(docId);
    if (hit) return hit.doc;
    const kind = this.s.kindOf.get(docId);
    if (kind === undefined) return undefined;
    const rows = this.s.updates.all(docId);
    const { doc, migrated } = loadDoc(this.file, docId, rows);
    this.attach(docId, doc, kind, true, rows.length);
    for (const m of migrated) this.committer.enqueue(docId, m.update, m.origin);
    return doc;
  }

  list(kind: DocKind): string[] {
    const ids = this.s.listKind.all(kind);
    for (const [docId, l] of this.live) if (!l.saved && l.kind === kind) ids.push(docId);
    return ids;
  }

  transact(docId: string, fn: (doc: Y.Doc) => void, origin: unknown = ORIGIN.local): Promise<void> {
    const doc = this.live.get(docId)?.doc ?? this.tryGet(docId);
    if (doc instanceof Error) return Promise.reject(doc);
    try {
      // What `fn` changed before throwing is in the live doc, so it is queued and committed all the same.
      doc.transact(() => fn(doc), origin);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.committer.ack();
  }

  applyUpdate(docId: string, update: Uint8Array, origin: unknown = ORIGIN.remote): Promise<void> {
    const doc = this.tryGet(docId);
    if (doc instanceof Error) return Promise.reject(doc);
    try {
      // Only the transaction re-encoded by Yjs reaches the queue, never these bytes as they came.
      Y.applyUpdate(doc, update, origin);
    } catch (err) {
      return Promise.reject(invalidUpdate(docId, err instanceof Error ? err.message : String(err)));
    }
    return this.committer.ack();
  }

  flush(): Promise<void> {
    return this.committer.flush();
  }

  compact(docId: string): void {
    if (this.closed) throw storeClosed(this.file);
    const l = this.live.get(docId);
    if (!l && this.s.kindOf.get(docId) === undefined) throw unknownDoc(docId);
    if (l && !l.saved) return; // nothing stored yet
    // The live state is the committed state only when none of its updates are still queued.
    const state = l && !this.committer.has(docId) ? () => Y.encodeStateAsUpdate(l.doc) : undefined;
    try {
      if (compactRows(this.db, this.s, this.file, docId, this.now(), state) && l) l.rows = 1;
    } catch (err) {
      throw isDiskFull(err) ? diskFull(this.file) : err;
    }
  }

  onCommitted(listener: (docs: readonly CommittedDoc[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Rejects, staying open with nothing dropped, if the last commit fails; call again once that is fixed. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (!this.committer.idle) await this.committer.flush();
    const worth = [...this.live].filter(([, l]) => l.saved && l.rows > 1);
    // One transaction: closing costs one sync to disk however many documents were open.
    this.guard(() => this.db.transaction(() => worth.forEach(([docId]) => this.compact(docId)))());
    this.closed = true;
    this.committer.stop();
    for (const l of this.live.values()) l.detach();
    this.live.clear();
  }

  /** The commit of one group, called by the committer. Throws to roll back; the queue keeps the updates. */
  private write(taken: PendingDoc[]): () => void {
    const work = taken.map((p) => workFor(p, this.liveOf(p.docId)));
    const docs = work.map((w) => w.committed);
    this.writeGroup(work, this.now());
    for (const w of work) {
      w.live.saved = true;
      w.live.rows++;
    }
    return () => {
      for (const listener of this.listeners) this.guard(() => listener(docs));
      for (const w of work) if (w.live.rows > this.compactEvery) this.guard(() => this.compact(w.docId));
    };
  }

  private tryGet(docId: string): Y.Doc | Error {
    try {
      return this.get(docId) ?? unknownDoc(docId);
    } catch (err) {
      return err as Error;
    }
  }

  private attach(docId: string, doc: Y.Doc, kind: DocKind, saved: boolean, rows: number): LiveDoc {
    const live = attachLive(doc, { kind, saved, rows, createdAt: this.now() }, (u, origin) =>
      this.committer.enqueue(docId, u, origin),
    );
    this.live.set(docId, live);
    return live;
  }

  private liveOf(docId: string): LiveDoc {
    const l = this.live.get(docId);
    if (!l) throw new Error(`internal: updates queued for ${docId}, which is not loaded`);
    return l;
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.onError(err instanceof AnvilError ? err : commitFailed(this.file, err));
    }
  }
}
