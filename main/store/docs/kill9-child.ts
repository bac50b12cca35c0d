// Child process of kill9.test.ts, run with tsx and killed with SIGKILL at a random moment.
//   edits <file> <docId>: append "<n>," to the draft's template as fast as the group commit allows, and
//     print n on stdout only once its commit is acknowledged.
//   migrate <file> <rows>: open the database with one more, slow, migration step.
import { setImmediate as turn } from 'node:timers/promises';
import { MIGRATIONS } from '../migrations';
import { DocStore } from './doc-store';
import { draftText, openDocsDb, slowMigration } from './testing';

const [mode, file, arg] = process.argv.slice(2);
if (!file || !arg) throw new Error('usage: kill9-child edits <file> <docId> | migrate <file> <rows>');

if (mode === 'migrate') {
  openDocsDb(file, [...MIGRATIONS, slowMigration(MIGRATIONS.length + 1, Number(arg))]).close();
  process.stdout.write('done\n');
} else {
  const store = new DocStore(openDocsDb(file));
  const doc = store.get(arg);
  if (!doc) throw new Error(`no document ${arg}`);
  const text = draftText(doc);
  let n = 0;
  let group: Promise<void> | undefined;
  let numbers: number[] = [];
  for (;;) {
    // Bursts of edits, one Yjs transaction each, with a turn of the event loop between them so timers fire.
    for (let k = 0; k < 20; k++) {
      const i = ++n;
      const ack = store.transact(arg, () => text.insert(text.length, `${i},`));
      if (ack !== group) {
        // Edits of one group share its promise: report them together, after it resolved.
        group = ack;
        const acked = (numbers = []);
        ack
          .then(() => process.stdout.write(acked.join('\n') + '\n'))
          .catch((err: unknown) => {
            process.stderr.write(`commit failed: ${String(err)}\n`);
            process.exit(2);
          });
      }
      numbers.push(i);
    }
    await turn();
  }
}
