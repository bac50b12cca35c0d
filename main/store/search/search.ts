import type { Database, Statement } from 'better-sqlite3';
import type { Result } from '../../../shared/domain';
import type { SearchScope } from './query';
import { matchExpression } from './query';
import { snippetParts } from './snippet';
import type { SearchHit } from '../../../shared/contract/results';
export type { SearchHit };

export interface SearchOptions extends SearchScope {
  /** Hits per page: 1..100, default 20. */
  limit?: number | undefined;
  /** Hits to skip (paging): 0..RANK_CAP. */
  offset?: number | undefined;
}

/**
 * Ranking is bm25 over at most this many matches. A word in almost every prompt would otherwise make FTS5
 * score the whole table (bench/store-search: 56 ms uncapped vs 5.5 ms capped for a word in 94% of 100k
 * prompts, of which ~4 ms is bm25's own IDF pass over the word's doclist); beyond the cap the hits are the best among
 * the first RANK_CAP matching prompts (oldest first: FTS5 reads doclists forwards and stops there). The
 * filters (set, project, trash) are inside the MATCH, so the cap never hides a hit of a narrowed search
 * that matches fewer prompts than this.
 */
export const RANK_CAP = 2000;

/** bm25 weights per FTS column: name > description > set name > body = project name; scope tokens: 0. */
const WEIGHTS = '10.0, 4.0, 1.0, 2.0, 1.0, 0.0';

/**
 * The one statement `search` runs. The inner query ranks by bm25 the matches up to the bound the capping
 * subquery found, and takes the page; names are joined last. An explicit bm25() sorted by SQLite is about
 * twice as fast here as FTS5's own `ORDER BY rank` path. bm25 still reads the whole doclist of each word
 * once (for its IDF), so a word in most prompts costs a few ms whatever the cap. Not MATERIALIZED: that
 * made SQLite compute the snippet of every candidate, not only of the page (7x slower).
 */
export const SEARCH_SQL = `
  WITH hits AS (
    SELECT rowid AS key, bm25(prompt_fts, ${WEIGHTS}) AS score, snippet(prompt_fts, 2, char(2), char(3), '…', 12) AS snip
    FROM prompt_fts
    WHERE prompt_fts MATCH @match
      AND rowid <= (SELECT max(rowid) FROM (SELECT rowid FROM prompt_fts WHERE prompt_fts MATCH @match ORDER BY rowid LIMIT @cap))
    ORDER BY score
    LIMIT @limit OFFSET @offset
  )
  SELECT p.id AS promptId, p.name AS promptName, p.kind, s.id AS setId, s.name AS setName,
         s.project_id AS projectId, coalesce(pr.name, '') AS projectName, hits.snip, hits.score AS rank
  FROM hits
  JOIN prompts p ON p.key = hits.key
  JOIN sets s ON s.id = p.set_id
  LEFT JOIN projects pr ON pr.id = s.project_id
  ORDER BY hits.score`;

export interface SearchParams {
  match: string;
  cap: number;
  limit: number;
  offset: number;
}

type Row = Omit<SearchHit, 'snippet'> & { snip: string };

const cache = new WeakMap<Database, Statement<[SearchParams], Row>>();

/**
 * Ranked full-text search over every prompt of the workspace (or one project or set), with snippets.
 * Malformed input is never an exception: it is searched as plain words, or answered with an
 * `invalid_query` error a person understands (too long, too many words). Empty input: no hits.
 */
export function search(db: Database, query: string, options: SearchOptions = {}): Result<SearchHit[]> {
  const params = searchParams(query, options);
  if (!params.ok) return params;
  if (params.value === null) return { ok: true, value: [] };
  let stmt = cache.get(db);
  if (!stmt) {
    stmt = db.prepare<[SearchParams], Row>(SEARCH_SQL);
    cache.set(db, stmt);
  }
  let rows: Row[];
  try {
    rows = stmt.all(params.value);
  } catch (err) {
    // Quoting makes FTS5 syntax errors impossible; should one slip through, it is still the query's fault.
    if (/fts5/i.test((err as Error).message))
      return {
        ok: false,
        error: { code: 'invalid_query', message: `This search cannot be run: ${(err as Error).message}` },
      };
    throw err;
  }
  return { ok: true, value: rows.map(toHit) };
}

/** The parameters `search` binds to SEARCH_SQL (exported for the benchmark's raw baseline). */
export function searchParams(query: string, options: SearchOptions = {}): Result<SearchParams | null> {
  const match = matchExpression(query, options);
  if (!match.ok || match.value === null) return match as Result<null>;
  return {
    ok: true,
    value: {
      match: match.value,
      cap: RANK_CAP,
      limit: clamp(options.limit, 1, 100, 20),
      offset: clamp(options.offset, 0, RANK_CAP, 0),
    },
  };
}

function clamp(value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

function toHit(r: Row): SearchHit {
  return {
    promptId: r.promptId,
    promptName: r.promptName,
    kind: r.kind,
    setId: r.setId,
    setName: r.setName,
    projectId: r.projectId,
    projectName: r.projectName,
    snippet: snippetParts(r.snip),
    rank: r.rank,
  };
}
