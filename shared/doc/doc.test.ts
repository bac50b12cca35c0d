import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { PromptSetContent } from '../domain';
import { PromptSetContent as ContentSchema } from '../domain';
import {
  createSetDoc,
  DOC_SCHEMA_VERSION,
  DocTooNewError,
  meta,
  migrateDoc,
  readSetContent,
  templateText,
  writeSetContent,
} from './index';

const content: PromptSetContent = {
  id: 'set-1',
  projectId: 'proj-1',
  name: 'support',
  description: 'Support assistant',
  dependencies: { '@acme/common': '^1.0.0' },
  prompts: [
    {
      id: 'p-chat',
      name: 'classify',
      description: '',
      kind: 'chat',
      parameters: [],
      model: { provider: 'openai', model: 'gpt-4o', temperature: 0 },
      metadata: {},
      messages: [
        { type: 'message', role: 'system', content: 'You classify.' },
        { type: 'history', name: 'history' },
        { type: 'message', role: 'user', content: '{{ ticket }}' },
      ],
    },
    {
      id: 'p-text',
      name: 'greeting',
      description: 'Greets',
      kind: 'text',
      template: 'Hello {{ name }}',
      parameters: [
        { name: 'name', type: { type: 'string' }, required: true, description: 'who' },
        { name: 'age', type: { type: 'integer' }, required: false, default: 3, description: '' },
      ],
      model: null,
      metadata: { owner: 'ana' },
    },
  ],
};

describe('set document', () => {
  it('round-trips content through Yjs and through an encoded update', () => {
    const doc = createSetDoc(content);
    expect(readSetContent(doc)).toEqual(content);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    expect(readSetContent(copy)).toEqual(content);
    expect(ContentSchema.parse(readSetContent(copy))).toEqual(content);
  });

  it('merges concurrent edits of one template from two replicas', () => {
    const a = createSetDoc(content);
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    templateText(a, 'p-text').insert(0, 'A: ');
    templateText(b, 'p-text').insert(16, '!');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(templateText(a, 'p-text').toString()).toBe('A: Hello {{ name }}!');
    expect(readSetContent(b)).toEqual(readSetContent(a));
  });

  it('rewrites only the differing span when content is replaced', () => {
    const doc = createSetDoc(content);
    const before = Y.encodeStateVector(doc);
    const next = structuredClone(content);
    (next.prompts[1] as { template: string }).template = 'Hello there {{ name }}';
    writeSetContent(doc, next);
    expect(readSetContent(doc)).toEqual(next);
    expect(Y.encodeStateAsUpdate(doc, before).byteLength).toBeLessThan(80);
  });

  it('migrates an unversioned document and refuses one from the future', () => {
    const old = new Y.Doc();
    meta(old).set('kind', 'set');
    expect(migrateDoc(old)).toEqual([1]);
    expect(meta(old).get('schemaVersion')).toBe(DOC_SCHEMA_VERSION);
    expect(meta(old).get('deletedAt')).toBeNull();
    expect(migrateDoc(old)).toEqual([]);
    const future = new Y.Doc();
    meta(future).set('schemaVersion', DOC_SCHEMA_VERSION + 1);
    expect(() => migrateDoc(future)).toThrow(DocTooNewError);
  });

  it('reads a damaged parameter map by skipping entries that are not parameters', () => {
    const doc = createSetDoc(content);
    const params = (doc.getMap('prompts').get('p-text') as Y.Map<unknown>).get('parameters') as Y.Map<unknown>;
    params.set('broken', null);
    params.set('number', 7);
    params.set('nameless', { type: { type: 'string' } });
    const read = readSetContent(doc).prompts.find((p) => p.id === 'p-text');
    expect(read?.parameters.map((p) => p.name)).toEqual(['name', 'age']);
  });
});
