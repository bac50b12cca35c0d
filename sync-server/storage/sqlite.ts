import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { AnvilError } from '../../shared/domain';
import type { DocumentStorage } from './types';

export interface SqliteStorageOptions {
  /** Merge a document's updates into one row once it has this many (default 500). */
  compactEvery?: number;
}

/** File name of the server's database inside its data folder. */
export const SYNC_DB_FILE = 'sync.db';
const SCHEMA_VERSION = 1;
/** Document names come from clients: bounded so a name cannot be used to fill the disk. */
export const MAX_DOCUMENT_NAME_LENGTH = 1024;

/**
 * SQLite store in a data folder: one append-only table of Yjs updates per document, WAL with synchronous=FULL so
 * an update whose `append` returned survives a crash or power loss. Updates are merged into one row every
 * `compactEvery` appends (in the same transaction as the append, so a crash never sees half a compaction).
 */
export class SqliteStorage implements DocumentStorage {
  private db: Db | undefined;
  private readonly compactEvery: number;
  private readonly counts = new Map<string, number>();
  private readonly stmts: {
    insert: Statement<[string, Uint8Array]>;
    select: Statement<[string], { data: Buffer }>;
    count: Statement<[string], { n: number }>;
    remove: Statement<[string]>;
    names: Statement<[], { name: string }>;
    exists: Statement<[string], { one: number }>;
  };

  constructor(
    readonly file: string,
    options: SqliteStorageOptions = {},
  ) {
    this.compactEvery = Math.max(2, options.compactEvery ?? 500);
    const db = openDb(file);
    this.db = db;
    this.stmts = {
      insert: db.prepare('INSERT INTO doc_updates (name, data) VALUES (?, ?)'),
      select: db.prepare('SELECT data FROM doc_updates WHERE name = ? ORDER BY id'),
      count: db.prepare('SELECT count(*) AS n FROM doc_updates WHERE name = ?'),
      remove: db.prepare('DELETE FROM doc_updates WHERE name = ?'),
      names: db.prepare('SELECT DISTINCT name FROM doc_updates ORDER BY name'),
      exists: db.prepare('SELECT 1 AS one FROM doc_updates WHERE name = ? LIMIT 1'),
    };
  }

  async load(name: string): Promise<Uint8Array | null> {
    const db = this.open();
    checkName(name);
    return guard(`load document "${name}"`, () => {
      const rows = this.stmts.select.all(name);
      if (rows.length === 0) return null;
      if (rows.length === 1) return new Uint8Array((rows[0] as { data: Buffer }).data);
      // Several rows: merge them and keep the merge, so the next load is one row.
      const merged = Y.mergeUpdates(rows.map((r) => new Uint8Array(r.data)));
      db.transaction(() => this.replace(name, merged))();
      return merged;
    });
  }

  async append(name: string, update: Uint8Array): Promise<void> {
    const db = this.open();
    checkName(name);
    if (!(update instanceof Uint8Array) || update.length === 0) {
      throw new AnvilError({ code: 'invalid_update', message: `An update for "${name}" must be non-empty bytes.` });
    }
    guard(`store an update of document "${name}"`, () => {
      const count = this.counts.get(name) ?? this.stmts.count.get(name)?.n ?? 0;
      if (count + 1 < this.compactEvery) {
        this.stmts.insert.run(name, update);
        this.counts.set(name, count + 1);
        return;
      }
      db.transaction(() => {
        const rows = this.stmts.select.all(name).map((r) => new Uint8Array(r.data));
        this.replace(name, Y.mergeUpdates([...rows, update]));
      })();
    });
  }

  /** Whether anything was ever stored under `name` (without loading it). */
  async has(name: string): Promise<boolean> {
    this.open();
    checkName(name);
    return guard(`look up document "${name}"`, () => this.stmts.exists.get(name) !== undefined);
  }

  /** Merges the document's updates into one row now (the store also does it by itself). */
  compact(name: string): void {
    const db = this.open();
    guard(`compact document "${name}"`, () => {
      db.transaction(() => {
        const rows = this.stmts.select.all(name).map((r) => new Uint8Array(r.data));
        if (rows.length > 1) this.replace(name, Y.mergeUpdates(rows));
      })();
    });
  }

  /** How many update rows the document has (tests and diagnostics). */
  rowCount(name: string): number {
    this.open();
    return this.stmts.count.get(name)?.n ?? 0;
  }

  async list(): Promise<string[]> {
    this.open();
    return guard('list documents', () => this.stmts.names.all().map((r) => r.name));
  }

  async close(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    db?.close();
  }

  private replace(name: string, state: Uint8Array): void {
    this.stmts.remove.run(name);
    this.stmts.insert.run(name, state);
    this.counts.set(name, 1);
  }

  private open(): Db {
    if (!this.db) throw new AnvilError({ code: 'storage_closed', message: `The sync store ${this.file} is closed.` });
    return this.db;
  }
}

/** Opens (creating if needed) the store of a data folder. */
export function openSqliteStorage(dataDir: string, options: SqliteStorageOptions = {}): SqliteStorage {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw new AnvilError({
      code: 'storage_unavailable',
      message: `Cannot create the data folder ${dataDir}: ${(err as Error).message}`,
    });
  }
  return new SqliteStorage(join(dataDir, SYNC_DB_FILE), options);
}

function openDb(file: string): Db {
  let db: Db | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    // FULL: an update we acknowledged survives power loss, not only a process crash.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new AnvilError({
        code: 'storage_too_new',
        message: `${file} has schema version ${version}; this server knows up to ${SCHEMA_VERSION}. Upgrade the server.`,
      });
    }
    if (version < 1) {
      db.transaction(() => {
        db?.exec(`CREATE TABLE doc_updates (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT NOT NULL,
          data BLOB NOT NULL
        );
        CREATE INDEX doc_updates_by_name ON doc_updates (name, id);
        PRAGMA user_version = 1;`);
      })();
    }
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof AnvilError) throw err;
    const message = (err as Error).message;
    const corrupt = /not a database|malformed|corrupt/i.test(message);
    throw new AnvilError({
      code: corrupt ? 'storage_corrupt' : 'storage_unavailable',
      message: corrupt
        ? `${file} is not a readable sync database (${message}); it was left untouched.`
        : `Cannot open ${file}: ${message}`,
    });
  }
}

function checkName(name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_DOCUMENT_NAME_LENGTH) {
    throw new AnvilError({
      code: 'invalid_document_name',
      message: `A document name must be 1 to ${MAX_DOCUMENT_NAME_LENGTH} characters.`,
    });
  }
}

/** SQLite failures (disk full, I/O) become one clear error naming what was being done. */
function guard<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof AnvilError) throw err;
    throw new AnvilError({ code: 'storage_failed', message: `Could not ${what}: ${(err as Error).message}` });
  }
}
