// A deterministic workspace of 100,000 prompts for the search benchmark, built straight into the projection
// tables (one transaction, then one FTS rebuild) and cached in the OS temp dir under a version key.
import type { Database } from 'better-sqlite3';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../main/store/db';
import { MIGRATIONS } from '../main/store/migrations';

/** Bump when the generator or the schema it relies on changes, so a stale cached file is not reused. */
const VERSION = `v3-m${MIGRATIONS.length}`;
const PROMPTS = 100_000;
const PER_SET = 50;
const SETS_PER_PROJECT = 100;
const VOCABULARY = 20_000;

export interface Corpus {
  db: Database;
  /** A word per document-frequency band, chosen from the generated counts. */
  words: { rare: string; mid: string; common: string };
  df: { rare: number; mid: number; common: number };
  prompts: number;
}

/** mulberry32, as the tests use: the same corpus on every machine. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pronounceable made-up words (plus a few template-ish ones), unique, in rank order. */
function vocabulary(r: () => number): string[] {
  const onset = ['b', 'c', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'z', 'st', 'tr', 'pl'];
  const vowel = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou', 'ea'];
  const words = new Set<string>(['the', 'user', 'answer', 'context', 'user_name', 'ticket', 'summary', 'question']);
  while (words.size < VOCABULARY) {
    let w = '';
    for (let n = 1 + Math.floor(r() * 3); n > 0; n--)
      w += onset[Math.floor(r() * onset.length)] + (vowel[Math.floor(r() * vowel.length)] ?? '');
    if (r() < 0.3) w += onset[Math.floor(r() * onset.length)];
    words.add(w);
  }
  return [...words];
}

/** Zipf (s = 1) sampler over ranks 0..n-1 by inverse CDF with binary search. */
function zipf(n: number, r: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cdf[k] = sum += 1 / (k + 1);
  return () => {
    const x = r() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export function openCorpus(): Corpus {
  const file = join(tmpdir(), `anvil-bench-search-${VERSION}.db`);
  if (!existsSync(file)) build(file);
  const db = openDatabase(file);
  const meta = Object.fromEntries(
    (
      db.prepare('SELECT key, value FROM settings WHERE key LIKE ?').all('bench.%') as { key: string; value: string }[]
    ).map((r) => [r.key, r.value]),
  );
  const pick = (band: string): [string, number] => [meta[`bench.${band}`] ?? '', Number(meta[`bench.${band}.df`])];
  const [rare, rareDf] = pick('rare');
  const [mid, midDf] = pick('mid');
  const [common, commonDf] = pick('common');
  return { db, words: { rare, mid, common }, df: { rare: rareDf, mid: midDf, common: commonDf }, prompts: PROMPTS };
}

function build(file: string): void {
  process.stderr.write(`  building ${PROMPTS} prompts into ${file} (cached for later runs)…\n`);
  const partial = `${file}.partial`;
  for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(f, { force: true });
  const db = openDatabase(partial);
  db.pragma('synchronous = OFF');
  const r = rng(20261125);
  const words = vocabulary(r);
  const next = zipf(words.length, r);
  const df = new Uint32Array(words.length);
  const seen = new Int32Array(words.length).fill(-1);
  const text = (doc: number, n: number): string => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const k = next();
      if (seen[k] !== doc) {
        seen[k] = doc;
        df[k] = (df[k] as number) + 1;
      }
      out.push(r() < 0.04 ? `{{ ${words[k]} }}` : (words[k] as string));
      if (r() < 0.08) out.push(r() < 0.5 ? '.\n' : ',');
    }
    return out.join(' ');
  };
  const insProject = db.prepare(`INSERT INTO projects VALUES (?, ?, '', 'open', NULL, 0)`);
  const insSet = db.prepare(`INSERT INTO sets VALUES (?, ?, ?, '', '{}', NULL, 0)`);
  const insPrompt =
    db.prepare(`INSERT INTO prompts (id, set_id, name, kind, description, body, model, metadata, content_hash, params_hash, updated_at)
    VALUES (?, ?, ?, 'text', ?, ?, NULL, '{}', '', '', 0)`);
  db.transaction(() => {
    for (let i = 0; i < PROMPTS; i++) {
      const setIndex = Math.floor(i / PER_SET);
      const projectIndex = Math.floor(setIndex / SETS_PER_PROJECT);
      if (i % (PER_SET * SETS_PER_PROJECT) === 0) insProject.run(`proj-${projectIndex}`, `project-${projectIndex}`);
      if (i % PER_SET === 0) insSet.run(`set-${setIndex}`, `proj-${projectIndex}`, `set-${setIndex}`);
      // Descriptions and bodies are counted into the document frequencies; names add one word each.
      const name = `${words[next()]}-${i}`;
      insPrompt.run(
        `p-${i}`,
        `set-${setIndex}`,
        name,
        text(i, 4 + Math.floor(r() * 8)),
        text(i, 40 + Math.floor(r() * 120)),
      );
    }
    db.prepare(`INSERT INTO prompt_fts(prompt_fts) VALUES ('rebuild')`).run();
    // Words whose document frequency is nearest each band's target (anchors: rare, mid, 96%).
    const nearest = (target: number): number => {
      let best = 0;
      for (let k = 0; k < df.length; k++)
        if (Math.abs((df[k] as number) - target) < Math.abs((df[best] as number) - target)) best = k;
      return best;
    };
    const setting = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
    for (const [band, target] of [
      ['rare', 20],
      ['mid', 3000],
      ['common', 0.96 * PROMPTS],
    ] as const) {
      const k = nearest(target);
      setting.run(`bench.${band}`, words[k] as string);
      setting.run(`bench.${band}.df`, String(df[k]));
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  renameSync(partial, file);
}
