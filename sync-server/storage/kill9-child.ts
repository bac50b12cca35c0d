// Child process of sqlite.test.ts, run with tsx and killed with SIGKILL at a random moment:
//   <dataDir> <docName>: append "<n>," to the document's Y.Text "t" one update at a time, printing n on stdout
//   only once its append returned (the store's acknowledgement).
import * as Y from 'yjs';
import { openSqliteStorage } from './sqlite';

const [dataDir, name] = process.argv.slice(2);
if (!dataDir || !name) throw new Error('usage: kill9-child <dataDir> <docName>');

const storage = openSqliteStorage(dataDir, { compactEvery: 50 });
const doc = new Y.Doc();
const text = doc.getText('t');
let pending: Uint8Array | undefined;
doc.on('update', (update: Uint8Array) => (pending = update));
for (let n = 1; ; n++) {
  text.insert(text.length, `${n},`);
  if (pending) await storage.append(name, pending);
  process.stdout.write(`${n}\n`);
}
