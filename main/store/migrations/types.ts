import type { Database } from 'better-sqlite3';

/** One forward-only schema step; `version` is its position (1, 2, …) and ends up in PRAGMA user_version. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}
