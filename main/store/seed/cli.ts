import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AnvilError } from '../../../shared/domain';
import { openWorkspace, workspaceFile } from '../workspace';
import { seedDemo } from './seed';

/** `npm run seed -- --data DIR`: write the demo workspace into DIR/workspace.db (only if it has no projects). */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { data: { type: 'string' }, actor: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || !values.data) {
    console.log(
      'usage: npm run seed -- --data DIR [--actor NAME]\nWrites a demo workspace to DIR/workspace.db unless it already has projects.',
    );
    return values.help ? 0 : 2;
  }
  const dir = resolve(values.data);
  mkdirSync(dir, { recursive: true });
  const ws = await openWorkspace({ file: workspaceFile(dir), actor: values.actor ?? safeUser() });
  try {
    const r = await seedDemo(ws);
    console.log(
      r.seeded
        ? `Seeded ${workspaceFile(dir)}: ${r.projects} projects, ${r.sets} sets, ${r.versions} versions.`
        : `${workspaceFile(dir)} already has projects; left unchanged.`,
    );
    return 0;
  } finally {
    await ws.close();
  }
}

function safeUser(): string {
  try {
    return userInfo().username || 'demo';
  } catch {
    return 'demo';
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof AnvilError ? `${err.code}: ${err.message}` : err);
    process.exit(1);
  },
);
