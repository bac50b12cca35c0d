import semver from 'semver';
import type { Prompt } from '../domain/prompt';
import type { PromptSetContent } from '../domain/prompt-set';
import { AnvilError } from '../domain/result';
import type { ChangeClass } from '../domain/version';
import { classifyChange } from '../semver/classify';
import type { ChangeReason } from '../semver/reasons';
import { suggestNextVersion, whyInvalid } from '../semver/versions';
import { createEngine } from '../template/engine';
import type { TemplateEngine } from '../template/engine';
import { renderReferences } from '../template/link';
import { entryNamesProblems, parsePackageName, parsePromptRef } from './names';
import { BUNDLE_LIMITS } from './types';
import type { PublishProblem } from './types';

export interface PublishCheckInput {
  /** `@p/s` */
  name: string;
  version: string;
  content: PromptSetContent;
  override: string | null;
  /** Published versions of this package with their content (only those the check needs may be loaded lazily). */
  published: readonly { version: string; content: () => PromptSetContent }[];
  /** Published versions of another package, or null when the registry has no such package. */
  registryVersions: (name: string) => readonly string[] | null;
  /** Prompt names of one published version of another package (to check a render's target exists). */
  promptsOf?: (name: string, version: string) => readonly string[] | null;
}

export interface PublishCheck {
  /** Every problem found, in a stable order; empty = may publish. */
  problems: PublishProblem[];
  /** The previous version on its line (see `previousOnLine`), null for a first publish. */
  base: string | null;
  /** Recomputed against `base` ('minor' for a first publish). */
  changeClass: ChangeClass;
  /** classifyChange's reasons. */
  reasons: ChangeReason[];
  /** A wrong bump excused by the override. */
  overridden: boolean;
  /** Whether publishing moves `latest`, given the current one. */
  latest: (currentLatest: string | null) => boolean;
}

const isStrict = (v: string): boolean => semver.valid(v) === v;
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * The version a new one is measured from: the highest published non-prerelease version below it, as
 * `checkProposedVersion` measures a step. A backport 1.2.5 published after 2.0.0 is measured from 1.2.4, and a
 * 2.0.0-rc.1 from the last 1.x release, not from 2.0.0-rc.0.
 */
export function previousOnLine(versions: readonly string[], version: string): string | null {
  if (!isStrict(version)) return null;
  const below = versions.filter((v) => isStrict(v) && semver.prerelease(v) === null && semver.lt(v, version));
  return below.length > 0 ? (semver.rsort(below)[0] ?? null) : null;
}

/** `latest` moves to a release (never a prerelease) above the current `latest`; a lower one is a backport. */
export function movesLatest(currentLatest: string | null, version: string): boolean {
  if (!isStrict(version) || semver.prerelease(version) !== null) return false;
  return currentLatest === null || !isStrict(currentLatest) || semver.gt(version, currentLatest);
}

type Step = 'major' | 'minor' | 'patch';

function stepOf(base: string, version: string): Step {
  if (semver.major(version) !== semver.major(base)) return 'major';
  if (semver.minor(version) !== semver.minor(base)) return 'minor';
  return 'patch';
}

/**
 * Does the step from `base` to `version` carry a change of class `cls`? In 0.x, as npm's caret reads it, the
 * minor number is the breaking one and the patch number takes minor and patch changes.
 */
export function bumpFits(cls: ChangeClass, base: string, version: string): boolean {
  const step = stepOf(base, version);
  const zero = semver.major(base) === 0;
  if (cls === 'major') return step === 'major' || (zero && step === 'minor');
  if (cls === 'minor') return zero || step !== 'patch';
  return true;
}

let engine: TemplateEngine | undefined;
// One engine for every check: its parse cache makes re-checking the same templates (a review approved) cheap.
const parser = (): TemplateEngine => (engine ??= createEngine());

interface Source {
  source: string;
  /** ", message 2" for a chat message; empty for a text template. */
  where: string;
  message?: number;
}

function sourcesOf(p: Prompt): Source[] {
  if (p.kind === 'text') return [{ source: p.template, where: '' }];
  return p.messages.flatMap((m, i) =>
    m.type === 'message' ? [{ source: m.content, where: `, message ${i + 1}`, message: i + 1 }] : [],
  );
}

/** `prompt "greet", message 2, line 3, column 7` */
function place(prompt: string, where: string, line?: number, column?: number): string {
  const at = line !== undefined ? `, line ${line}${column !== undefined ? `, column ${column}` : ''}` : '';
  return `prompt "${prompt}"${where}${at}`;
}

interface Render {
  prompt: string;
  ref: string;
  dependency: string;
  target: string;
  line: number;
  column: number;
  where: string;
}

function templateProblems(content: PromptSetContent, problems: PublishProblem[]): Render[] {
  const renders: Render[] = [];
  const textPrompts = new Set(content.prompts.filter((p) => p.kind === 'text').map((p) => p.name));
  for (const p of content.prompts) {
    for (const s of sourcesOf(p)) {
      let refs;
      try {
        refs = renderReferences(parser().parse(s.source));
      } catch (e) {
        const err = e instanceof AnvilError ? e : new AnvilError({ code: 'parse_error', message: String(e) });
        problems.push({
          code: 'template_error',
          message: `${place(p.name, s.where, err.line, err.column)}: ${err.message}`,
          prompt: p.name,
          ...(err.line !== undefined ? { line: err.line } : {}),
          ...(err.column !== undefined ? { column: err.column } : {}),
          details: { code: err.code, ...(s.message !== undefined ? { message: s.message } : {}) },
        });
        continue;
      }
      for (const r of refs) {
        const at = { prompt: p.name, line: r.line, column: r.column };
        const tag = `{% render '${r.ref}' %}`;
        const qualified = parsePromptRef(r.ref);
        if (!qualified) {
          // A prompt of this set: it must be here, and a text prompt, or every consumer's render fails.
          if (!textPrompts.has(r.ref))
            problems.push({
              code: 'template_error',
              message: `${place(p.name, s.where, r.line, r.column)}: ${tag}: the set has no text prompt "${r.ref}"`,
              ...at,
              details: { code: 'partial_not_found', ref: r.ref },
            });
          continue;
        }
        if (!hasOwn(content.dependencies, qualified.name)) {
          problems.push({
            code: 'undeclared_dependency',
            message: `${place(p.name, s.where, r.line, r.column)}: ${tag} uses ${qualified.name}, which is not a declared dependency; add it to the set's dependencies with a version range`,
            ...at,
            details: { ref: r.ref, dependency: qualified.name },
          });
          continue;
        }
        renders.push({ ...at, ref: r.ref, dependency: qualified.name, target: qualified.prompt, where: s.where });
      }
    }
  }
  return renders;
}

function listVersions(versions: readonly string[]): string {
  if (versions.length === 0) return 'none is published';
  const sorted = semver.rsort(versions.filter(isStrict));
  const shown = sorted.slice(0, 12).join(', ');
  return `published: ${shown}${sorted.length > 12 ? ` and ${sorted.length - 12} older` : ''}`;
}

/** Checks the declared dependencies against the registry; returns the version each range resolves to. */
function dependencyProblems(
  input: PublishCheckInput,
  problems: PublishProblem[],
): Map<string, { version: string; range: string }> {
  const resolved = new Map<string, { version: string; range: string }>();
  for (const dependency of Object.keys(input.content.dependencies).sort()) {
    const range = input.content.dependencies[dependency] as string;
    const details = { dependency, range };
    if (parsePackageName(dependency) === null) {
      problems.push({
        code: 'missing_dependency',
        message: `dependency "${dependency}" is not a package name of the form @project/set`,
        details,
      });
      continue;
    }
    if (semver.validRange(range) === null) {
      problems.push({
        code: 'unsatisfiable_dependency',
        message: `dependency ${dependency}: "${range}" is not a valid semver range`,
        details,
      });
      continue;
    }
    const versions = input.registryVersions(dependency);
    if (versions === null) {
      problems.push({
        code: 'missing_dependency',
        message: `dependency ${dependency} is not in the registry; publish it first, or remove it from the dependencies`,
        details,
      });
      continue;
    }
    // node-semver's own resolution, prereleases and all, so the registry agrees with every npm-style client.
    const version = semver.maxSatisfying([...versions], range);
    if (version === null) {
      problems.push({
        code: 'unsatisfiable_dependency',
        message: `dependency ${dependency}@${range}: no published version satisfies ${range} (${listVersions(versions)})`,
        details: { ...details, versions: [...versions] },
      });
      continue;
    }
    resolved.set(dependency, { version, range });
  }
  return resolved;
}

function reasonsText(reasons: ChangeReason[], cls: ChangeClass): string {
  const forcing = reasons.filter((r) => r.class === cls);
  const shown = forcing.slice(0, 5).map((r) => r.message);
  if (forcing.length > 5) shown.push(`and ${forcing.length - 5} more`);
  return shown.join('; ');
}

function wrongBump(
  input: PublishCheckInput,
  base: string,
  changeClass: ChangeClass,
  reasons: ChangeReason[],
): PublishProblem {
  const { version } = input;
  const step = stepOf(base, version);
  const zero = semver.major(base) === 0;
  const taken = new Set(input.published.map((p) => p.version));
  const next = suggestNextVersion(base, changeClass);
  const suggested = next !== null && !taken.has(next) ? next : null;
  const needs =
    changeClass === 'major'
      ? zero
        ? 'a breaking change in 0.x needs a new minor (or major) version'
        : 'a breaking change needs a new major version'
      : 'a minor change needs at least a new minor version';
  return {
    code: 'wrong_bump',
    message:
      `${version} is a ${step} step from ${base}, but the change is ${changeClass} (${reasonsText(reasons, changeClass)}): ` +
      `${needs}${suggested ? ` (${suggested})` : ''}, or the version must carry an override reason`,
    details: { base, version, step, changeClass, suggested, reasons },
  };
}

/**
 * Everything the registry checks before a version is published, all problems at once: strict semver, never
 * published before, the bump fits the change recomputed against the previous version on its line (unless an
 * override reason excuses it), entry names and limits, every template parses under the allow-list, every
 * `render` of another set names a declared dependency, every dependency resolves in the registry.
 */
export function checkPublish(input: PublishCheckInput): PublishCheck {
  const { version, content } = input;
  const problems: PublishProblem[] = [];
  const valid = isStrict(version);
  if (!valid) problems.push({ code: 'invalid_version', message: whyInvalid(version), details: { version } });
  else if (input.published.some((p) => p.version === version || (isStrict(p.version) && semver.eq(p.version, version))))
    problems.push({
      code: 'version_exists',
      message: `${input.name}@${version} is already published; a published version never changes, not even when deprecated: publish a new version number`,
      details: { version },
    });

  const base = previousOnLine(
    input.published.map((p) => p.version),
    version,
  );
  let changeClass: ChangeClass = 'minor';
  let reasons: ChangeReason[] = [];
  let overridden = false;
  const baseEntry = base === null ? undefined : input.published.find((p) => p.version === base);
  if (base !== null && baseEntry) {
    ({ changeClass, reasons } = classifyChange(baseEntry.content(), content));
    if (!bumpFits(changeClass, base, version)) {
      if (input.override != null && input.override.trim().length > 0) overridden = true;
      else problems.push(wrongBump(input, base, changeClass, reasons));
    }
  }

  if (content.prompts.length > BUNDLE_LIMITS.maxPrompts)
    problems.push({
      code: 'too_large',
      message: `the set has ${content.prompts.length} prompts; a bundle holds at most ${BUNDLE_LIMITS.maxPrompts}`,
      details: { limit: 'maxPrompts', max: BUNDLE_LIMITS.maxPrompts, actual: content.prompts.length },
    });
  const depCount = Object.keys(content.dependencies).length;
  if (depCount > BUNDLE_LIMITS.maxDependencies)
    problems.push({
      code: 'too_large',
      message: `the set has ${depCount} dependencies; a bundle declares at most ${BUNDLE_LIMITS.maxDependencies}`,
      details: { limit: 'maxDependencies', max: BUNDLE_LIMITS.maxDependencies, actual: depCount },
    });
  problems.push(...entryNamesProblems(content.prompts.map((p) => p.name)));

  const renders = templateProblems(content, problems);
  const resolved = dependencyProblems(input, problems);
  if (input.promptsOf) {
    for (const r of renders) {
      const dep = resolved.get(r.dependency);
      if (!dep) continue;
      const prompts = input.promptsOf(r.dependency, dep.version);
      if (prompts === null || prompts.includes(r.target)) continue;
      problems.push({
        code: 'missing_dependency',
        message: `${place(r.prompt, r.where, r.line, r.column)}: {% render '${r.ref}' %}: ${r.dependency}@${dep.version} (the highest version matching ${dep.range}) has no prompt "${r.target}"`,
        prompt: r.prompt,
        line: r.line,
        column: r.column,
        details: { ref: r.ref, dependency: r.dependency, version: dep.version, range: dep.range },
      });
    }
  }

  return { problems, base, changeClass, reasons, overridden, latest: (current) => movesLatest(current, version) };
}
