import semver from 'semver';
import { tagProblem } from '../domain/names';
import type { Selector } from './types';

/** Either the selector, or why the text is none of a version, a range or a tag (with an offset into it). */
export type SelectorResult = { ok: true; selector: Selector } | { ok: false; problem: string; offset: number };

// Text a person meant as a version or a range: an operator first, or digits followed by "." or nothing
// (`01.0.0`, `1.2.3.4`, `v2`). Such text must never fall through to being read as a tag.
const LOOKS_NUMERIC = /^(?:[\^~<>=*]|[vV]?\d+(?:\.|$))/;

/**
 * Reads the text after `@` in an address, in the order npm reads it: an exact version when
 * `semver.valid(x) === x`, else a range when `semver.validRange(x)` accepts it (so `1.2`, `^1.2`, `1.x`, `1`, `x`
 * and `*` are ranges), else a tag. Version-looking text that is neither (`01.0.0`) is refused, not taken as a tag.
 */
export function readSelector(text: string): SelectorResult {
  if (text.length === 0) return { ok: false, problem: 'the version selector after "@" is empty', offset: 0 };
  const plus = text.indexOf('+');
  if (plus >= 0)
    return {
      ok: false,
      problem: `"${text}" has build metadata ("+…"); build metadata is not part of a version's identity, leave it out`,
      offset: plus,
    };
  if (semver.valid(text) === text) return { ok: true, selector: { kind: 'exact', version: text } };
  if (semver.validRange(text) !== null) return { ok: true, selector: { kind: 'range', range: text } };
  if (LOOKS_NUMERIC.test(text)) {
    const zero = /(?:^|[^0-9A-Za-z])(0\d)/.exec(text);
    if (zero) {
      const offset = zero.index + zero[0].length - 2;
      return {
        ok: false,
        problem: `"${text}" has a number with a leading zero; versions are written like 1.0.0`,
        offset,
      };
    }
    return {
      ok: false,
      problem: `"${text}" is not a valid version (major.minor.patch, e.g. 2.1.0) or range (e.g. ^1.2)`,
      offset: 0,
    };
  }
  const problem = tagProblem(text);
  if (problem) return { ok: false, problem: `bad tag: ${problem}`, offset: 0 };
  return { ok: true, selector: { kind: 'tag', tag: text } };
}

/** The text a selector is written as after `@` (empty for `none`). */
export function selectorText(selector: Selector): string {
  switch (selector.kind) {
    case 'none':
      return '';
    case 'exact':
      return selector.version;
    case 'range':
      return selector.range;
    case 'tag':
      return selector.tag;
  }
}
