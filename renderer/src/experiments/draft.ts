import type { ExperimentIssue, Experiment, MetricKind, VariantTarget } from '../../../shared/experiments';
import { checkExperiment } from '../../../shared/experiments';
import type { Interval, VariantResult } from '../../../shared/experiments';
import type { ExperimentDefinition } from '../../../shared/registry/api';
import { formatPercent } from '../usage/format';

/**
 * The experiment form's state and how it becomes a definition (`shared/experiments` rules): kept as strings while
 * typed, so a half-written weight is the user's to finish, and checked with the very validation the server and
 * the SDK run, so every problem shows beside its field before anything is sent.
 */
export interface VariantDraft {
  key: string;
  weight: string;
  kind: 'prompt' | 'version';
  /** The prompt's name or the version number, by `kind`. */
  target: string;
}

export interface ExperimentDraft {
  /** Empty for a new experiment: the id is made from the name when published. */
  id: string;
  name: string;
  /** The prompt's name within the set (`greeting`). */
  prompt: string;
  unit: string;
  metricName: string;
  metricKind: MetricKind;
  variants: VariantDraft[];
  /** The definition's revision the form was opened on (null: a new experiment). */
  baseVersion: number | null;
}

/** Unit keys applications usually pass (the field takes any identifier). */
export const UNIT_SUGGESTIONS = ['userId', 'sessionId', 'accountId', 'conversationId'];

/**
 * A new experiment on `prompt`: the control renders what the application renders today (the prompt itself), the
 * alternative another prompt of the set if there is one, else the newest published version other than the
 * latest; even weights; `userId` and a `resolved` rate, the common case.
 */
export function newDraft(
  prompt: string,
  prompts: readonly string[],
  versions: readonly string[],
  latest: string | null,
): ExperimentDraft {
  const otherPrompt = prompts.find((p) => p !== prompt);
  const otherVersion = versions.find((v) => v !== latest);
  const second: VariantDraft = otherPrompt
    ? { key: 'b', weight: '1', kind: 'prompt', target: otherPrompt }
    : { key: 'b', weight: '1', kind: 'version', target: otherVersion ?? versions[0] ?? '' };
  return {
    id: '',
    name: '',
    prompt,
    unit: 'userId',
    metricName: 'resolved',
    metricKind: 'rate',
    variants: [{ key: 'control', weight: '1', kind: 'prompt', target: prompt }, second],
    baseVersion: null,
  };
}

/** The form for the next revision of a published experiment. */
export function draftOf(e: Experiment, packageName: string): ExperimentDraft {
  return {
    id: e.id,
    name: e.name,
    prompt: e.prompt.slice(packageName.length + 1),
    unit: e.unit,
    metricName: e.metric.name,
    metricKind: e.metric.kind,
    variants: e.variants.map((v) => ({
      key: v.key,
      weight: String(v.weight),
      kind: 'version' in v.target ? 'version' : 'prompt',
      target: 'version' in v.target ? v.target.version : v.target.prompt,
    })),
    baseVersion: e.version,
  };
}

/** The next unused variant key: b, c, d… */
export function nextVariantKey(variants: readonly VariantDraft[]): string {
  const used = new Set(variants.map((v) => v.key));
  for (const c of 'bcdefghijklmnopqrstuvwxyz') if (!used.has(c)) return c;
  let i = 2;
  while (used.has(`variant-${i}`)) i++;
  return `variant-${i}`;
}

/** An id from a name: "Greeting tone (Dec)" → "greeting-tone-dec"; never empty, at most 48 characters. */
export function idFromName(name: string, taken: ReadonlySet<string> = new Set()): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48)
      .replace(/-+$/, '') || 'experiment';
  if (!taken.has(base)) return base;
  let i = 2;
  while (taken.has(`${base}-${i}`)) i++;
  return `${base}-${i}`;
}

const weightOf = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

function targetOf(v: VariantDraft): VariantTarget {
  return v.kind === 'version' ? { version: v.target } : { prompt: v.target };
}

/** What the server is sent: the definition without its revision number (the server numbers it). */
export function definitionOf(draft: ExperimentDraft, packageName: string, id: string): ExperimentDefinition {
  const definition: ExperimentDefinition = {
    id,
    name: draft.name.trim(),
    prompt: `${packageName}/${draft.prompt}`,
    status: 'running',
    variants: draft.variants.map((v) => ({ key: v.key.trim(), weight: weightOf(v.weight), target: targetOf(v) })),
    unit: draft.unit.trim(),
    metric: { name: draft.metricName.trim(), kind: draft.metricKind },
  };
  if (draft.baseVersion !== null) definition.version = draft.baseVersion + 1;
  return definition;
}

/** Every problem of the draft by field path (`variants[1].weight`), as the server would name them; none: []. */
export function draftIssues(
  draft: ExperimentDraft,
  packageName: string,
  context: { versions: readonly { version: string; prompts: readonly string[] }[]; prompts: readonly string[] },
): ExperimentIssue[] {
  const id = draft.id || idFromName(draft.name);
  const checked = checkExperiment({ ...definitionOf(draft, packageName, id), version: (draft.baseVersion ?? 0) + 1 });
  const issues: ExperimentIssue[] = checked.ok
    ? []
    : ((checked.error.details as { issues: ExperimentIssue[] }).issues ?? []);
  // The schema's cross-field rules run only once every field parses; the form shows them from the start.
  const firstOf = new Map<string, number>();
  draft.variants.forEach((v, i) => {
    const first = firstOf.get(v.key.trim());
    if (first === undefined) firstOf.set(v.key.trim(), i);
    else
      issues.push({
        path: `variants[${i}].key`,
        message: `"${v.key}" is already the key of variants[${first}]; keys are unique`,
      });
  });
  // What the registry checks against the package, told here too so the form never sends a doomed definition.
  if (draft.prompt && !context.prompts.includes(draft.prompt))
    issues.push({ path: 'prompt', message: `the latest published version has no prompt "${draft.prompt}"` });
  draft.variants.forEach((v, i) => {
    if (v.kind === 'prompt' && v.target && !context.prompts.includes(v.target))
      issues.push({
        path: `variants[${i}].target.prompt`,
        message: `the latest published version has no prompt "${v.target}"`,
      });
    if (v.kind === 'version' && v.target) {
      const version = context.versions.find((x) => x.version === v.target);
      if (!version) issues.push({ path: `variants[${i}].target.version`, message: `${v.target} is not published` });
      else if (draft.prompt && !version.prompts.includes(draft.prompt))
        issues.push({
          path: `variants[${i}].target.version`,
          message: `version ${v.target} has no prompt "${draft.prompt}"`,
        });
    }
  });
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\n${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The issues of one field and the fields under it (`variants[1]` takes `variants[1].weight` too). */
export function issuesAt(issues: readonly ExperimentIssue[], path: string): string[] {
  return issues.filter((i) => i.path === path || i.path.startsWith(`${path}.`)).map((i) => i.message);
}

/** Shares of the weights typed so far, as percentages ("50%"), "—" where a weight is not a positive number. */
export function shares(variants: readonly VariantDraft[]): string[] {
  const weights = variants.map((v) => weightOf(v.weight));
  const valid = weights.every((w) => Number.isFinite(w) && w > 0);
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (valid && total > 0 ? formatPercent(w / total) : '—'));
}

/** "control: prompt greeting", "v2: version 2.0.0" */
export function targetLabel(target: VariantTarget): string {
  return 'version' in target ? `version ${target.version}` : `prompt ${target.prompt}`;
}

// ── results ──────────────────────────────────────────────────────────────────────────────────────────────────

const signed = (text: string, v: number) => (v > 0 ? `+${text}` : text);

function number(v: number): string {
  const abs = Math.abs(v);
  const digits = abs === 0 ? 0 : abs < 1 ? 3 : abs < 100 ? 2 : 1;
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(v);
}

/** A rate as "12.3% (10.4%–14.5%)", a mean as "0.82 (0.79–0.85)"; "no data yet" without an estimate. */
export function formatEstimate(kind: MetricKind, i: Interval | null): string {
  if (!i) return 'no data yet';
  return kind === 'rate'
    ? `${percent(i.value)} (${percent(i.low)} to ${percent(i.high)})`
    : `${number(i.value)} (${number(i.low)} to ${number(i.high)})`;
}

/** A difference from the control: "+5.0 points (+2.1 to +7.9)" for rates, "+0.12 (−0.01 to +0.25)" for means. */
export function formatDifference(kind: MetricKind, i: Interval | null): string {
  if (!i) return '—';
  if (kind === 'rate') {
    const pts = (v: number) => signed((v * 100).toFixed(1), Number((v * 100).toFixed(1)));
    return `${pts(i.value)} points (${pts(i.low)} to ${pts(i.high)})`;
  }
  return `${signed(number(i.value), i.value)} (${signed(number(i.low), i.low)} to ${signed(number(i.high), i.high)})`;
}

/** A rate with one decimal: 12.3%. */
function percent(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

/** What a variant's comparison says, in words a reader cannot misread. */
export function verdict(r: VariantResult, kind: MetricKind): string {
  if (r.control) return 'control';
  if (!r.difference) return 'not enough data';
  if (!r.significant) return 'no clear difference yet';
  const better = r.difference.low > 0;
  return kind === 'rate'
    ? `${better ? 'higher' : 'lower'} than the control`
    : `${better ? 'higher' : 'lower'} mean than the control`;
}
