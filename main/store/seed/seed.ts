import type { Prompt } from '../../../shared/domain';
import { canonicalJson } from '../../../shared/domain';
import type { Workspace } from '../workspace';
import { DEMO } from './demo';
import type { ProjectSpec, PromptSpec, StageSpec } from './spec';

export interface SeedResult {
  seeded: boolean;
  projects: number;
  sets: number;
  versions: number;
}

/**
 * Fill an empty workspace with the demo projects, through the workspace API only (so the demo is audited,
 * projected and searchable like anything a person makes). A workspace that has any project, even in the
 * trash, is left alone: seeding twice changes nothing.
 */
export async function seedDemo(ws: Workspace, specs: readonly ProjectSpec[] = DEMO): Promise<SeedResult> {
  const result: SeedResult = { seeded: false, projects: 0, sets: 0, versions: 0 };
  if ((await ws.projects.list({ includeTrashed: true })).length > 0) return result;
  result.seeded = true;
  for (const p of specs) {
    const project = await ws.projects.create({ name: p.name, description: p.description, editMode: p.editMode });
    result.projects++;
    for (const s of p.sets) {
      const set = await ws.sets.create({ projectId: project.id, name: s.name });
      result.sets++;
      for (const stage of s.stages) {
        await applyStage(ws, set.id, stage);
        if (stage.version === undefined) continue;
        await ws.versions.save({
          setId: set.id,
          version: stage.version,
          changelog: stage.changelog ?? '',
          override: stage.override ?? null,
        });
        result.versions++;
      }
    }
  }
  return result;
}

/** Bring the set's draft to the stage's content with the same operations an author would use. */
async function applyStage(ws: Workspace, setId: string, stage: StageSpec): Promise<void> {
  const content = await ws.getSetContent(setId);
  const deps = stage.dependencies ?? {};
  const description = stage.description ?? content.description;
  if (description !== content.description || canonicalJson(deps) !== canonicalJson(content.dependencies))
    await ws.sets.update({ setId, description, dependencies: deps });
  const wanted = new Set(stage.prompts.map((p) => p.name));
  for (const p of content.prompts) if (!wanted.has(p.name)) await ws.prompts.delete({ setId, promptId: p.id });
  for (const spec of stage.prompts) {
    const existing = content.prompts.find((p) => p.name === spec.name);
    if (existing) await updatePrompt(ws, setId, existing, spec);
    else
      await ws.prompts.create({
        setId,
        name: spec.name,
        kind: spec.kind,
        description: spec.description,
        parameters: spec.parameters,
        model: spec.model ?? null,
        ...(spec.kind === 'text' ? { template: spec.template } : { messages: spec.messages }),
      });
  }
}

async function updatePrompt(ws: Workspace, setId: string, p: Prompt, spec: PromptSpec): Promise<void> {
  const ref = { setId, promptId: p.id };
  if (p.description !== spec.description) await ws.prompts.setDescription({ ...ref, description: spec.description });
  if (canonicalJson(p.parameters) !== canonicalJson(spec.parameters))
    await ws.prompts.setParameters({ ...ref, parameters: spec.parameters });
  if (canonicalJson(p.model) !== canonicalJson(spec.model ?? null))
    await ws.prompts.setModel({ ...ref, model: spec.model ?? null });
  if (p.kind === 'text' && spec.kind === 'text') {
    if (p.template !== spec.template) await ws.prompts.setTemplate({ ...ref, text: spec.template });
    return;
  }
  if (p.kind !== 'chat' || spec.kind !== 'chat')
    throw new Error(`seed: ${spec.name} changes kind, which the demo never does`);
  const sameShape =
    p.messages.length === spec.messages.length && p.messages.every((m, i) => m.type === spec.messages[i]?.type);
  if (!sameShape) throw new Error(`seed: ${spec.name} changes the shape of its messages, which the demo never does`);
  for (const [i, m] of spec.messages.entries()) {
    const old = p.messages[i];
    if (m.type !== 'message' || old?.type !== 'message') continue;
    if (old.role !== m.role) await ws.prompts.setMessageRole({ ...ref, index: i, role: m.role });
    if (old.content !== m.content) await ws.prompts.setTemplate({ ...ref, message: i, text: m.content });
  }
}
