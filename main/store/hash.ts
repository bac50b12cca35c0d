import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/domain';

/**
 * `sha256-<hex>` of the canonical JSON of a value: the same string `contentHash` (shared/domain/hash.ts)
 * gives, but synchronous, because it runs inside SQLite transactions (better-sqlite3 transactions cannot
 * await, and Web Crypto only has an async digest).
 */
export function hashOf(value: unknown): string {
  return hashJson(canonicalJson(value));
}

/** The hash of an already canonical JSON string (saves serialising twice when the JSON is stored too). */
export function hashJson(json: string): string {
  return `sha256-${createHash('sha256').update(json, 'utf8').digest('hex')}`;
}
