import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PromptSetContent } from '../../../shared/domain';
import type { Workspace } from '../workspace';
import { openWorkspace } from '../workspace';
import { DEMO } from './demo';
import { seedDemo } from './seed';

let dir: string;
let ws: Workspace;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'anvil-seed-'));
  ws = await openWorkspace({ file: join(dir, 'workspace.db'), actor: 'seed', maxDelayMs: 1 });
});
afterAll(async () => {
  await ws.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('seedDemo', () => {
  it('writes the demo projects, sets and versions once, and leaves a seeded workspace alone', async () => {
    const first = await seedDemo(ws);
    const expectedVersions = DEMO.flatMap((p) => p.sets.flatMap((s) => s.stages.filter((st) => st.version))).length;
    expect(first).toEqual({ seeded: true, projects: 2, sets: 6, versions: expectedVersions });
    expect(await seedDemo(ws)).toMatchObject({ seeded: false });

    const projects = await ws.projects.list();
    expect(projects.map((p) => p.name)).toEqual(['acme', 'labs']);
    const acme = projects.find((p) => p.name === 'acme');
    const sets = await ws.sets.list({ projectId: acme?.id ?? '' });
    expect(sets.map((s) => s.name)).toEqual(['common', 'rag', 'summarise', 'support', 'triage']);
    const rag = sets.find((s) => s.name === 'rag');
    expect(rag?.dependencies).toEqual({ '@acme/common': '^1.0.0' });
    for (const s of sets) {
      expect(PromptSetContent.safeParse(await ws.getSetContent(s.id)).success).toBe(true);
      expect((await ws.versions.list({ setId: s.id })).length).toBeGreaterThanOrEqual(3);
    }
    const summarise = sets.find((s) => s.name === 'summarise');
    expect((await ws.versions.list({ setId: summarise?.id ?? '' })).map((v) => [v.version, v.changeClass])).toEqual([
      ['2.0.0', 'major'],
      ['1.1.0', 'minor'],
      ['1.0.0', 'minor'],
    ]);
    // The support draft has unsaved work beyond its last version.
    const support = sets.find((s) => s.name === 'support');
    const last = await ws.versions.get({ setId: support?.id ?? '', version: '1.2.0' });
    expect(last.content).not.toEqual(await ws.getSetContent(support?.id ?? ''));

    expect((await ws.search.query({ query: 'escalation' })).map((h) => h.promptName)).toContain('escalation');
    const audit = await ws.audit.list({ limit: 1000 });
    expect(audit.filter((e) => e.action === 'version.save')).toHaveLength(expectedVersions);
    expect(audit.every((e) => e.actor === 'seed')).toBe(true);
  });
});
