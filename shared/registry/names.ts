import { nameProblem } from '../domain/names';
import type { PublishProblem } from './types';

/**
 * Entry names key a bundle's templates. Nothing writes them to disk today, but an SDK or a `pull` may, and
 * archive formats have shipped path-traversal bugs every year: so a name is one plain ASCII word, checked when
 * a bundle is built and again whenever one is read.
 */
export const ENTRY_NAME_MAX = 128;

const ENTRY_CHARS = /^[A-Za-z0-9._-]+$/;

const isControl = (c: string): boolean => {
  const n = c.codePointAt(0) ?? 0;
  return n < 0x20 || (n >= 0x7f && n <= 0x9f);
};

const codePoint = (c: string): string => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `name` cannot name a bundle entry, or null when it can. */
export function entryNameProblem(name: string): string | null {
  const shown = JSON.stringify(name);
  if (name.length === 0) return 'an entry name cannot be empty';
  if (name.length > ENTRY_NAME_MAX)
    return `entry name ${JSON.stringify(name.slice(0, 20))}… is ${name.length} characters long; at most ${ENTRY_NAME_MAX} are allowed`;
  if (name.includes('\0')) return `entry name ${shown} contains a NUL character`;
  const control = [...name].find(isControl);
  if (control !== undefined) return `entry name ${shown} contains the control character ${codePoint(control)}`;
  const foreign = [...name].find((c) => c.charCodeAt(0) > 0x7e);
  if (foreign !== undefined) {
    const folded = foreign.normalize('NFKC');
    const standsFor = [...folded].every((c) => c.charCodeAt(0) <= 0x7e) ? ` (it reads as "${folded}")` : '';
    return `entry name ${shown} contains "${foreign}" (${codePoint(foreign)})${standsFor}, which is not ASCII: entry names are ASCII only, so no look-alike letter can pass for another`;
  }
  if (/^[/\\]/.test(name) || /^[A-Za-z]:/.test(name))
    return `entry name ${shown} is an absolute path; entry names are plain words`;
  if (name.split(/[/\\]/).some((part) => part === '..'))
    return `entry name ${shown} contains "..", which could reach outside the bundle`;
  if (/[/\\]/.test(name)) return `entry name ${shown} contains a path separator ("/" or "\\")`;
  if (name === '.') return 'an entry name cannot be "."';
  const bad = [...name].find((c) => !ENTRY_CHARS.test(c));
  if (bad !== undefined)
    return `entry name ${shown} contains ${JSON.stringify(bad)}; entry names use only letters, digits, ".", "_" and "-"`;
  return null;
}

/**
 * Every problem with a list of entry names: each name on its own, then any two that are the same name once case
 * is folded or Unicode is normalised (NFKC), since a case-insensitive file system or a careless reader would
 * take one for the other.
 */
export function entryNamesProblems(names: readonly string[]): PublishProblem[] {
  const problems: PublishProblem[] = [];
  for (const name of names) {
    const message = entryNameProblem(name);
    if (message) problems.push({ code: 'invalid_entry_name', message, prompt: name, details: { entry: name } });
  }
  const seen = new Map<string, string>();
  for (const name of names) {
    const key = name.normalize('NFKC').toLowerCase();
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, name);
      continue;
    }
    const how =
      first === name
        ? 'is used twice'
        : first.toLowerCase() === name.toLowerCase()
          ? `and ${JSON.stringify(first)} differ only by case`
          : `and ${JSON.stringify(first)} are the same name once normalised (NFKC)`;
    problems.push({
      code: 'invalid_entry_name',
      message: `entry name ${JSON.stringify(name)} ${how}; entry names must stay distinct on every file system`,
      prompt: name,
      details: { entry: name, collidesWith: first },
    });
  }
  return problems;
}

/** `@project/set` → its two names, or null when it is not a valid package name. */
export function parsePackageName(name: string): { project: string; set: string } | null {
  const m = /^@([^/]+)\/([^/]+)$/.exec(name);
  if (!m) return null;
  const [, project = '', set = ''] = m;
  if (nameProblem(project) !== null || nameProblem(set) !== null) return null;
  return { project, set };
}

/** `@project/set/prompt` (a prompt of another set, as `render` names it) → package and prompt, or null. */
export function parsePromptRef(ref: string): { name: string; prompt: string } | null {
  const m = /^(@[^/]+\/[^/]+)\/([^/]+)$/.exec(ref);
  if (!m) return null;
  const [, name = '', prompt = ''] = m;
  return { name, prompt };
}
