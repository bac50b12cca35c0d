import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { ORIGIN, createSetDoc, templateText, upsertPrompt } from '../../../shared/doc';
import { openDatabase } from '../db';
import { DocStore } from '../docs/doc-store';
import { hashOf } from '../hash';
import { createAuditRecorder } from './recorder';
import { listAudit } from './log';

let db: Database | undefined;
let docs: DocStore | undefined;
afterEach(async () => {
  await docs?.close().catch(() => undefined);
  db?.close();
});

describe('audit recorder and a commit that rolls back', () => {
  it('hands the entries and edits of a failed commit to the retry', async () => {
    db = openDatabase(':memory:');
    const audit = createAuditRecorder({ actor: 'ada', now: () => 120_000 });
    let failNext = false;
    const failing = (): void => {
      if (failNext) {
        failNext = false;
        throw new Error('disk full (simulated)');
      }
    };
    docs = new DocStore(db, { projectors: [audit.projector, failing], maxDelayMs: 1 });
    audit.watch(docs);
    const doc = createSetDoc({
      id: 's1',
      projectId: 'p1',
      name: 'support',
      description: '',
      dependencies: {},
      prompts: [],
    });
    upsertPrompt(doc, {
      id: 'g',
      name: 'greeting',
      description: '',
      kind: 'text',
      template: 'Hi',
      parameters: [],
      model: null,
      metadata: {},
    });
    await docs.create('s1', 'set', doc);
    const before = hashOf({
      id: 'g',
      name: 'greeting',
      description: '',
      parameters: [],
      model: null,
      metadata: {},
      kind: 'text',
      template: 'Hi',
    });

    failNext = true;
    audit.enqueue('s1', { action: 'set.update', entityKind: 'set', entityId: 's1', beforeHash: null, afterHash: null });
    await expect(docs.transact('s1', (d) => templateText(d, 'g').insert(2, '!'), ORIGIN.local)).rejects.toMatchObject({
      code: expect.any(String),
    });
    expect(listAudit(db)).toEqual([]);

    await docs.flush();
    const rows = listAudit(db);
    expect(rows.map((r) => r.action).sort()).toEqual(['edit', 'set.update']);
    expect(rows.find((r) => r.action === 'edit')).toMatchObject({ entityId: 'g', beforeHash: before });
  });
});
