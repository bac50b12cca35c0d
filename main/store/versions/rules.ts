/**
 * The semver rules versions are saved under. TEMPORARY: engineer B's `shared/semver` has not landed yet;
 * this minimal stand-in has the same names and shapes. When it lands, this file becomes
 * `export { classifyChange, checkProposedVersion } from '../../../shared/semver';`.
 */
import semver from 'semver';
import type { AnvilErrorInfo, ChangeClass, PromptSetContent } from '../../../shared/domain';
import { canonicalJson } from '../../../shared/domain';

export interface ChangeReason {
  class: ChangeClass;
  code: string;
  prompt?: string;
  parameter?: string;
  message: string;
}

const ORDER: ChangeClass[] = ['none', 'patch', 'minor', 'major'];

export function classifyChange(
  prev: PromptSetContent,
  next: PromptSetContent,
): { changeClass: ChangeClass; reasons: ChangeReason[] } {
  const reasons: ChangeReason[] = [];
  const before = new Map(prev.prompts.map((p) => [p.name, p]));
  for (const p of prev.prompts)
    if (!next.prompts.some((n) => n.name === p.name))
      reasons.push({ class: 'major', code: 'prompt_removed', prompt: p.name, message: `prompt ${p.name} removed` });
  for (const n of next.prompts) {
    const p = before.get(n.name);
    if (!p) {
      reasons.push({ class: 'minor', code: 'prompt_added', prompt: n.name, message: `prompt ${n.name} added` });
      continue;
    }
    for (const q of p.parameters) {
      const m = n.parameters.find((x) => x.name === q.name);
      if (!m)
        reasons.push({
          class: 'major',
          code: 'parameter_removed',
          prompt: n.name,
          parameter: q.name,
          message: `parameter ${q.name} removed`,
        });
      else if (canonicalJson(m.type) !== canonicalJson(q.type) || (m.required && !q.required))
        reasons.push({
          class: 'major',
          code: 'parameter_changed',
          prompt: n.name,
          parameter: q.name,
          message: `parameter ${q.name} changed`,
        });
    }
    for (const m of n.parameters)
      if (!p.parameters.some((x) => x.name === m.name))
        reasons.push({
          class: m.required ? 'major' : 'minor',
          code: 'parameter_added',
          prompt: n.name,
          parameter: m.name,
          message: `parameter ${m.name} added`,
        });
    if (canonicalJson(p) !== canonicalJson(n) && !reasons.some((r) => r.prompt === n.name))
      reasons.push({ class: 'patch', code: 'prompt_changed', prompt: n.name, message: `prompt ${n.name} changed` });
  }
  const meta = (c: PromptSetContent): string => canonicalJson([c.description, c.dependencies]);
  if (meta(prev) !== meta(next)) reasons.push({ class: 'patch', code: 'set_changed', message: 'set metadata changed' });
  const changeClass = reasons.reduce<ChangeClass>(
    (acc, r) => (ORDER.indexOf(r.class) > ORDER.indexOf(acc) ? r.class : acc),
    'none',
  );
  return { changeClass, reasons };
}

export function checkProposedVersion(args: {
  proposed: string;
  existing: readonly string[];
  changeClass: ChangeClass;
  override?: string;
}): { ok: true } | { ok: false; error: AnvilErrorInfo } {
  const { proposed, existing, changeClass } = args;
  if (existing.includes(proposed))
    return { ok: false, error: { code: 'version_exists', message: `Version ${proposed} already exists.` } };
  const latest = semver.rsort([...existing])[0];
  if (latest && changeClass === 'major' && semver.major(proposed) <= semver.major(latest) && !args.override)
    return {
      ok: false,
      error: {
        code: 'breaking_change_needs_major',
        message: `This is a breaking change; ${proposed} is not a major version. Give a reason to override.`,
      },
    };
  return { ok: true };
}
