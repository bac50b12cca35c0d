/**
 * Where the sync server keeps its documents. Every method is async so a networked store (PostgreSQL, with Redis
 * fan-out between server nodes) implements the same interface; the SQLite store does its work synchronously
 * inside each call, so the write is on disk before the returned promise is even created.
 *
 * The unit is the Yjs update: `append` adds one (an edit as the server applied it), `load` returns everything
 * stored for a document merged into one update. Compaction (many updates → one state) is the store's business
 * and never changes what `load` returns.
 */
export interface DocumentStorage {
  /** The document's whole stored content as one Yjs update, or null when nothing was ever stored under `name`. */
  load(name: string): Promise<Uint8Array | null>;
  /** Durably adds one Yjs update to the document; resolves once it would survive a crash. */
  append(name: string, update: Uint8Array): Promise<void>;
  /** Names of every stored document, sorted. */
  list(): Promise<string[]>;
  /** Releases the store; later calls fail with `storage_closed`. */
  close(): Promise<void>;
}
