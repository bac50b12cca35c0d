import { z } from 'zod';
import semver from 'semver';
import { Id, Name, nameProblem } from './names';
import { Prompt } from './prompt';

/** `@project/set`: the key of a dependency. */
export const SetRef = z.string().superRefine((value, ctx) => {
  const m = /^@([^/]+)\/([^/@]+)$/.exec(value);
  const problem = !m
    ? `"${value}" is not of the form @project/set`
    : (nameProblem(m[1] ?? '') ?? nameProblem(m[2] ?? ''));
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const SemverRange = z.string().superRefine((value, ctx) => {
  if (semver.validRange(value) === null)
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a valid semver range` });
});

/** Dependencies on other sets, as npm writes them: `{ "@acme/common": "^1.0.0" }`. */
export const Dependencies = z.record(SetRef, SemverRange);
export type Dependencies = z.infer<typeof Dependencies>;

/**
 * The whole editable content of a prompt set: what a version freezes, what the comparison and the semver
 * rules read, and what the Yjs draft document projects to.
 */
export const PromptSetContent = z
  .object({
    id: Id,
    projectId: Id,
    name: Name,
    description: z.string().max(4000).default(''),
    dependencies: Dependencies.default({}),
    prompts: z.array(Prompt).max(1000),
  })
  .strict()
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    set.prompts.forEach((p, i) => {
      if (seen.has(p.name))
        ctx.addIssue({ code: 'custom', message: `two prompts are named "${p.name}"`, path: ['prompts', i, 'name'] });
      seen.add(p.name);
    });
  });
export type PromptSetContent = z.infer<typeof PromptSetContent>;
