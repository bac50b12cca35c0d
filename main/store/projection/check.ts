import type { Database } from 'better-sqlite3';
import { readProject, readSetContent, setDeletedAt } from '../../../shared/doc';
import { ftsIntegrityCheck } from './fts';
import type { ProjectedDoc } from './rebuild';
import { projectRow, promptRows, setRow } from './rows';

/** Columns compared, in a fixed order; timestamps and the integer `key` are the projector's own business. */
const PROJECT_COLS = ['id', 'name', 'description', 'edit_mode', 'deleted_at'] as const;
const SET_COLS = ['id', 'project_id', 'name', 'description', 'dependencies', 'deleted_at'] as const;
const PROMPT_COLS = [
  'set_id',
  'id',
  'name',
  'kind',
  'description',
  'body',
  'model',
  'metadata',
  'content_hash',
  'params_hash',
] as const;
const PARAM_COLS = [
  'set_id',
  'prompt_id',
  'name',
  'position',
  'type',
  'required',
  'default_value',
  'description',
] as const;

/**
 * Does the projection agree with the documents? Recomputes every row from scratch with `readProject` and
 * `readSetContent` (the full readers, not the projector's incremental path) and compares each table with
 * it, then asks FTS5 whether the index matches its content. `docs` must be every document of the store:
 * a row without a document is reported too. Returns the differences (empty when they agree), at most `max`.
 */
export function checkProjection(db: Database, docs: readonly ProjectedDoc[], max = 20): string[] {
  const want = {
    projects: new Map<string, unknown[]>(),
    sets: new Map<string, unknown[]>(),
    prompts: new Map<string, unknown[]>(),
    params: new Map<string, unknown[]>(),
  };
  for (const d of docs) {
    if (d.kind === 'project') {
      const row = projectRow(d.docId, readProject(d.doc));
      want.projects.set(
        key(d.docId),
        PROJECT_COLS.map((c) => row[c]),
      );
      continue;
    }
    const content = readSetContent(d.doc);
    const row = setRow(d.docId, content, setDeletedAt(d.doc));
    want.sets.set(
      key(d.docId),
      SET_COLS.map((c) => row[c]),
    );
    for (const p of content.prompts) {
      const { row: pr, params } = promptRows(d.docId, p.id, p);
      want.prompts.set(
        key(pr.set_id, pr.id),
        PROMPT_COLS.map((c) => pr[c]),
      );
      for (const pa of params)
        want.params.set(
          key(pa.set_id, pa.prompt_id, pa.name),
          PARAM_COLS.map((c) => pa[c]),
        );
    }
  }
  const problems: string[] = [];
  compare(problems, 'project', want.projects, rows(db, 'projects', PROJECT_COLS, ['id']));
  compare(problems, 'set', want.sets, rows(db, 'sets', SET_COLS, ['id']));
  compare(problems, 'prompt', want.prompts, rows(db, 'prompts', PROMPT_COLS, ['set_id', 'id']));
  compare(problems, 'parameter', want.params, rows(db, 'parameters', PARAM_COLS, ['set_id', 'prompt_id', 'name']));
  const fts = ftsIntegrityCheck(db);
  if (fts) problems.push(`search index: ${fts}`);
  return problems.slice(0, max);
}

const key = (...parts: string[]): string => JSON.stringify(parts);

function rows(
  db: Database,
  table: string,
  cols: readonly string[],
  keyCols: readonly string[],
): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  const all = db
    .prepare(`SELECT ${cols.join(', ')} FROM ${table}`)
    .raw()
    .all() as unknown[][];
  const at = keyCols.map((c) => cols.indexOf(c));
  for (const r of all) out.set(key(...at.map((i) => String(r[i]))), r);
  return out;
}

function compare(problems: string[], what: string, want: Map<string, unknown[]>, got: Map<string, unknown[]>): void {
  for (const [k, w] of want) {
    const g = got.get(k);
    if (!g) problems.push(`${what} ${k} is missing from the projection`);
    else if (JSON.stringify(g) !== JSON.stringify(w))
      problems.push(`${what} ${k} differs: projected ${JSON.stringify(g)}, document ${JSON.stringify(w)}`);
  }
  for (const k of got.keys()) if (!want.has(k)) problems.push(`${what} ${k} is projected but not in any document`);
}
