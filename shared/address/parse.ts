import { nameProblem } from '../domain/names';
import { AnvilError, type AnvilErrorInfo, type Result } from '../domain/result';
import { readSelector } from './selector';
import type { Address } from './types';

const FORM = '@project/set[@version|@range|@tag]/prompt';

function problem(input: string, column: number, message: string): AnvilErrorInfo {
  return {
    code: 'invalid_address',
    message: `invalid address "${input}": ${message} (column ${column}; an address reads ${FORM})`,
    line: 1,
    column,
    details: { input },
  };
}

/** Like `parseAddress`, as a value: for forms and command lines that show the error instead of throwing. */
export function tryParseAddress(input: string): Result<Address> {
  const fail = (column: number, message: string): Result<Address> => ({
    ok: false,
    error: problem(input, column, message),
  });

  if (input.length === 0) return fail(1, 'an address cannot be empty');
  const space = /\s/.exec(input);
  if (space) return fail(space.index + 1, 'addresses contain no whitespace (write ranges without spaces, e.g. ^1.2)');
  if (input[0] !== '@') return fail(1, `an address starts with "@" (did you mean "@${input}"?)`);

  // Segments by "/", each with its 1-based starting column, so every message can point at the right place.
  const segments: { text: string; column: number }[] = [];
  let start = 1;
  for (let i = 1; i <= input.length; i++) {
    if (i === input.length || input[i] === '/') {
      segments.push({ text: input.slice(start, i), column: start + 1 });
      start = i + 1;
    }
  }
  if (segments.length > 3) {
    const third = segments[3] as { column: number };
    return fail(third.column - 1, 'too many "/"; a prompt name has no "/" in it');
  }

  const [projectSeg, setSeg, promptSeg] = segments as [
    { text: string; column: number },
    ...{ text: string; column: number }[],
  ];
  if (projectSeg.text.length === 0) return fail(2, 'the project name after "@" is empty');
  const projectProblem = nameProblem(projectSeg.text);
  if (projectProblem) return fail(projectSeg.column, `bad project name: ${projectProblem}`);
  if (setSeg === undefined) return fail(input.length + 1, `"/" and a set name are missing after "@${projectSeg.text}"`);

  const at = setSeg.text.indexOf('@');
  const setName = at < 0 ? setSeg.text : setSeg.text.slice(0, at);
  if (setName.length === 0) return fail(setSeg.column, 'the set name is empty');
  const setProblem = nameProblem(setName);
  if (setProblem) return fail(setSeg.column, `bad set name: ${setProblem}`);

  let selector: Address['selector'] = { kind: 'none' };
  if (at >= 0) {
    const selectorColumn = setSeg.column + at + 1;
    const read = readSelector(setSeg.text.slice(at + 1));
    if (!read.ok) return fail(selectorColumn + read.offset, read.problem);
    selector = read.selector;
  }

  const address: Address = { project: projectSeg.text, set: setName, selector };
  if (promptSeg !== undefined) {
    if (promptSeg.text.length === 0)
      return fail(promptSeg.column, 'the prompt name after "/" is empty (drop the trailing "/" to refer to the set)');
    const promptProblem = nameProblem(promptSeg.text);
    if (promptProblem) return fail(promptSeg.column, `bad prompt name: ${promptProblem}`);
    address.prompt = promptSeg.text;
  }
  return { ok: true, value: address };
}

/**
 * Parses `@project/set[@version|@range|@tag][/prompt]`. Throws an `AnvilError` (`invalid_address`) whose
 * message names the problem and the column where it starts.
 */
export function parseAddress(input: string): Address {
  const result = tryParseAddress(input);
  if (!result.ok) throw new AnvilError(result.error);
  return result.value;
}
