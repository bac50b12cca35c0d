import { AnvilError, nameProblem } from '../../../shared/domain';

/** Errors of workspace operations: a stable `code` for programs, a sentence for people. */
export function notFound(
  kind: 'project' | 'set' | 'prompt' | 'version' | 'snapshot' | 'message',
  id: string,
): AnvilError {
  return new AnvilError({
    code: `${kind}_not_found`,
    message: `There is no ${kind} ${JSON.stringify(id)} in this workspace.`,
    path: id,
  });
}

export function checkName(kind: 'project' | 'set' | 'prompt', name: string): void {
  const problem = nameProblem(name);
  if (problem) throw new AnvilError({ code: 'invalid_name', message: `Invalid ${kind} name: ${problem}.`, path: name });
}

export function nameTaken(kind: 'project' | 'set' | 'prompt', name: string, where: string): AnvilError {
  return new AnvilError({
    code: 'name_taken',
    message: `A ${kind} named "${name}" already exists ${where}.`,
    path: name,
  });
}

export function invalidArgument(message: string, details?: unknown): AnvilError {
  return new AnvilError({ code: 'invalid_argument', message, details });
}

export function trashed(kind: 'project' | 'set', name: string): AnvilError {
  return new AnvilError({
    code: 'in_trash',
    message: `The ${kind} "${name}" is in the trash; restore it first.`,
    path: name,
  });
}
