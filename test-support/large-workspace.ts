// A workspace of 10,000 prompts for the studio benchmarks and end-to-end tests (10 sets of 1,000 in one
// project, beside the demo), built through the store's own operations so the documents, projection and search
// index are what a real studio would have. Cached in the OS temp dir under a version key (about 5 s to build).
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS } from '../main/store/migrations';
import { seedDemo } from '../main/store/seed';
import { openWorkspace, workspaceFile } from '../main/store/workspace';
import { SEEDED_KEY } from '../main/studio/host';

const VERSION = `v1-m${MIGRATIONS.length}`;

export interface Target {
  setId: string;
  promptId: string;
}

/** A template of `lines` lines using loops, conditions, filters and nested parameters, like a long system prompt. */
export function longTemplate(lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    switch (i % 10) {
      case 0:
        out.push(`## Section ${i / 10 + 1} for {{ customer.name | capitalize }}`);
        break;
      case 3:
        out.push(`{% if customer.tier == "gold" %}Offer the gold desk (line ${i}).{% endif %}`);
        break;
      case 5:
        out.push(`{% for item in items %}- {{ item | upcase }} ({{ forloop.index }}){% endfor %}`);
        break;
      case 7:
        out.push(`Answer in {{ language | default: "English" }} with at most {{ max_sentences }} sentences.`);
        break;
      default:
        out.push(`Line ${i}: be precise, cite the ticket {{ ticket.id }} and keep a friendly tone.`);
    }
  }
  return out.join('\n');
}

async function build(dataDir: string, prompts: number): Promise<void> {
  const ws = await openWorkspace({ file: workspaceFile(dataDir), actor: 'bench' });
  try {
    await seedDemo(ws);
    await ws.settings.set({ key: SEEDED_KEY, value: true });
    if (prompts > 0) {
      const project = await ws.projects.create({ name: 'large-workspace' });
      const perSet = 1000;
      for (let s = 0; s * perSet < prompts; s++) {
        const set = await ws.sets.create({ projectId: project.id, name: `set-${String(s).padStart(2, '0')}` });
        const count = Math.min(perSet, prompts - s * perSet);
        // Concurrent creates share group commits; one at a time would wait for a commit each.
        for (let start = 0; start < count; start += 200) {
          await Promise.all(
            Array.from({ length: Math.min(200, count - start) }, (_, k) => {
              const i = start + k;
              return ws.prompts.create({
                setId: set.id,
                name: `prompt-${String(i).padStart(4, '0')}`,
                kind: 'text',
                template: `Prompt ${i} of set ${s}: hello {{ customer.name }}{% if vip %}, our valued guest{% endif %}.`,
              });
            }),
          );
        }
      }
    }
  } finally {
    await ws.close();
  }
}

/**
 * A data folder holding the demo plus `prompts` generated prompts: a fresh copy of a cached build, so a bench
 * may write to it. Returns the folder; the caller removes it.
 */
export async function preparedDataDir(prompts: number): Promise<string> {
  const cache = join(tmpdir(), `anvil-bench-studio-${VERSION}-${prompts}`);
  if (!existsSync(workspaceFile(cache))) {
    const building = `${cache}.building-${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    process.stderr.write(`  building a workspace with ${prompts} extra prompts (cached in ${cache})…\n`);
    await build(building, prompts);
    rmSync(cache, { recursive: true, force: true });
    renameSync(building, cache);
  }
  const dir = join(tmpdir(), `anvil-bench-run-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(workspaceFile(cache), workspaceFile(dir));
  return dir;
}
