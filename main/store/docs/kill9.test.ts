import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Y from 'yjs';
import { MIGRATIONS } from '../migrations';
import { DocStore } from './doc-store';
import { SOAK, draftDoc, draftText, openDocsDb, slowMigration, tempDbFile } from './testing';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'kill9-child.ts');
const ROUNDS = SOAK ? 100 : 5;
const MIGRATION_ROUNDS = SOAK ? 20 : 1;
const BIG_ROWS = 1_500_000;

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

interface Run {
  lines: string[];
  stderr: string;
  killed: boolean;
  killedAfterMs: number;
}

/** Run the child; once a line matching `trigger` is printed, SIGKILL it after a random delay in [min, max]. */
function runAndKill(args: string[], trigger: RegExp, min: number, max: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let out = '';
    let stderr = '';
    let armed = false;
    const killedAfterMs = min + Math.random() * (max - min);
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (!armed && trigger.test(out)) {
        armed = true;
        setTimeout(() => proc.kill('SIGKILL'), killedAfterMs);
      }
    });
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    proc.on('error', reject);
    proc.on('close', (_code, signal) => {
      // Only complete lines count: a number is acknowledged once its newline is out.
      const lines = out.split('\n').slice(0, -1);
      resolve({ lines, stderr, killed: signal === 'SIGKILL', killedAfterMs });
    });
  });
}

describe('kill -9', () => {
  it(
    `keeps every acknowledged edit, ${ROUNDS} rounds of a child killed at a random moment`,
    { timeout: ROUNDS * 10_000 },
    async () => {
      const summary: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const file = tempDbFile();
        const setup = openDocsDb(file);
        const seeder = new DocStore(setup);
        await seeder.create('s1', 'set', draftDoc(''));
        await seeder.close();
        setup.close();

        const run = await runAndKill(['edits', file, 's1'], /\n/, 50, 800);
        const context = `round ${round}, killed ${run.killedAfterMs.toFixed(0)} ms after the first ack; stderr: ${run.stderr}`;
        expect(run.killed, context).toBe(true);
        const acked = run.lines.map(Number);
        expect(acked.length, context).toBeGreaterThan(0);

        const db = openDocsDb(file);
        expect(db.pragma('integrity_check', { simple: true }), context).toBe('ok');
        const text = draftText(new DocStore(db).get('s1') as Y.Doc).toString();
        db.close();
        // Appends in order, committed in order: what survived is exactly 1..k, and k covers every ack.
        const kept = text === '' ? [] : text.slice(0, -1).split(',').map(Number);
        expect(kept, context).toEqual(kept.map((_, i) => i + 1));
        expect(kept.length, context).toBeGreaterThanOrEqual(Math.max(...acked));
        summary.push(`${acked.length}/${kept.length}`);
      }
      console.log(`kill -9, acknowledged/kept edits per round: ${summary.join(' ')}`);
    },
  );

  it(
    'during a migration: the old schema intact, and the next start migrates',
    { timeout: 60_000 * MIGRATION_ROUNDS },
    async () => {
      for (let round = 0; round < MIGRATION_ROUNDS; round++) {
        const file = tempDbFile();
        const setup = openDocsDb(file);
        const seeder = new DocStore(setup);
        await seeder.create('s1', 'set', draftDoc('survives the crash'));
        await seeder.close();
        setup.close();

        const run = await runAndKill(['migrate', file, String(BIG_ROWS)], /migrating\n/, 20, 300);
        const context = `round ${round}, killed ${run.killedAfterMs.toFixed(0)} ms into the step; stderr: ${run.stderr}`;
        expect(run.lines, context).toEqual(['migrating']); // killed before the step finished

        const old = openDocsDb(file); // the current migrations: nothing to do
        expect(old.pragma('integrity_check', { simple: true }), context).toBe('ok');
        expect(old.pragma('user_version', { simple: true }), context).toBe(MIGRATIONS.length);
        expect(old.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'big'").pluck().get(), context).toBe(0);
        expect(draftText(new DocStore(old).get('s1') as Y.Doc).toString()).toBe('survives the crash');
        old.close();

        const next = openDocsDb(file, [...MIGRATIONS, slowMigration(MIGRATIONS.length + 1, BIG_ROWS)]);
        expect(next.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 1);
        expect(next.prepare('SELECT count(*) FROM big').pluck().get()).toBe(BIG_ROWS);
        expect(draftText(new DocStore(next).get('s1') as Y.Doc).toString()).toBe('survives the crash');
        next.close();
      }
    },
  );
});
