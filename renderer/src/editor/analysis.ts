import type { Parameter, Prompt } from '../../../shared/domain';
import { AnvilError } from '../../../shared/domain';
import type { Extraction } from '../../../shared/params';
import { extractPromptVariables, proposeParameters, reconcileParameters } from '../../../shared/params';
import type { PartialResolver, TemplateEngine } from '../../../shared/template';
import { toAnvilError } from '../../../shared/template';
import type { Problem } from './problems';
import { errorProblem, issueProblem, sortProblems } from './problems';

export interface Analysis {
  /** Parse errors, reconciliation and partial problems, in reading order. */
  problems: Problem[];
  /** What the template reads; null while a template does not parse. */
  extraction: Extraction | null;
  /** Proposed declarations for what is used but undeclared (the one-click fix, and the preview's types). */
  proposed: Parameter[];
}

/** The templates of a prompt by message index (`undefined` = the text prompt's template). */
export function sourceOf(prompt: Prompt, index: number | undefined): string | undefined {
  if (prompt.kind === 'text') return index === undefined ? prompt.template : undefined;
  if (index === undefined) return undefined;
  const item = prompt.messages[index];
  return item?.type === 'message' ? item.content : undefined;
}

/**
 * Everything the editor marks while typing, from the engine itself (never a second parser): each template is
 * parsed on its own so every chat message shows its own parse error; when all parse, the variables are
 * extracted and reconciled with the declared parameters (and `render` tags checked when a resolver is given).
 */
export function analyzePrompt(
  engine: TemplateEngine,
  prompt: Prompt,
  opts: { resolve?: PartialResolver; name?: string } = {},
): Analysis {
  const problems: Problem[] = [];
  const indices: (number | undefined)[] =
    prompt.kind === 'text' ? [undefined] : prompt.messages.flatMap((m, i) => (m.type === 'message' ? [i] : []));
  for (const i of indices) {
    const text = sourceOf(prompt, i) ?? '';
    try {
      engine.parse(text);
    } catch (e) {
      problems.push(errorProblem(toAnvilError(e).toJSON(), text, i));
    }
  }
  if (problems.length > 0) return { problems: sortProblems(problems), extraction: null, proposed: [] };
  let extraction: Extraction;
  try {
    extraction = extractPromptVariables(engine, prompt, {
      ...(opts.resolve ? { resolve: opts.resolve } : {}),
      ...(opts.name ? { name: opts.name } : {}),
    });
  } catch (e) {
    const err = e instanceof AnvilError ? e : toAnvilError(e);
    const m = /^messages\[(\d+)\]/.exec(err.path ?? '');
    const i = m ? Number(m[1]) : undefined;
    return { problems: [errorProblem(err.toJSON(), sourceOf(prompt, i), i)], extraction: null, proposed: [] };
  }
  for (const issue of reconcileParameters(prompt.parameters, extraction))
    problems.push(issueProblem(issue, (i) => sourceOf(prompt, i)));
  return {
    problems: sortProblems(problems),
    extraction,
    proposed: proposeParameters(prompt.parameters, extraction),
  };
}
