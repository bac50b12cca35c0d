import type { Parameter } from '../domain';
import { typeText } from './parameters';
import type {
  DiffHunk,
  MessageComparison,
  MetadataChange,
  ParameterChange,
  PromptComparison,
  SetComparison,
  TextComparison,
  TextStats,
} from './types';

/** A value on one line: strings quoted, absent values as `(none)`. */
function show(value: unknown): string {
  return value === null || value === undefined ? '(none)' : JSON.stringify(value);
}

const change = (label: string, c: MetadataChange): string => `${label}${c.field}: ${show(c.before)} → ${show(c.after)}`;

/** `@@ -a,b +c,d @@` with unified diff's quirk: an empty range names the line before it (as diff's formatPatch). */
function hunkHeader(h: DiffHunk, note = ''): string {
  const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
  const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart;
  return `@@ -${oldStart},${h.oldLines} +${newStart},${h.newLines} @@${note}`;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

/** The hunks of a text; a replaced text is printed whole, every line removed then every line added. */
function textLines(t: TextComparison): string[] {
  if (t.mode === 'equal') return [];
  if (t.mode === 'replaced') {
    const removed = splitLines(t.before);
    const added = splitLines(t.after);
    const whole: DiffHunk = {
      oldStart: 1,
      oldLines: removed.length,
      newStart: 1,
      newLines: added.length,
      lines: [...removed.map((l) => `-${l}`), ...added.map((l) => `+${l}`)],
    };
    return [hunkHeader(whole, ' replaced whole (too different to diff line by line)'), ...whole.lines];
  }
  return t.hunks.flatMap((h) => [hunkHeader(h), ...h.lines]);
}

function messageLabel(m: MessageComparison): string {
  const at = (i: number | null): string => (i === null ? '-' : `#${i + 1}`);
  const role =
    m.beforeRole !== null && m.afterRole !== null && m.beforeRole !== m.afterRole
      ? `${m.beforeRole} → ${m.afterRole}`
      : (m.afterRole ?? m.beforeRole ?? '');
  return `message ${at(m.beforeIndex)} → ${at(m.afterIndex)} ${role} (${m.status})`;
}

function paramText(p: Parameter): string {
  const parts = [typeText(p.type), p.required ? 'required' : 'optional'];
  if (p.default !== undefined) parts.push(`default ${show(p.default)}`);
  if (p.description) parts.push(show(p.description));
  return parts.join(', ');
}

function parameterLine(p: ParameterChange): string {
  if (p.status === 'added' && p.after) return `parameter + ${p.name}: ${paramText(p.after)}`;
  if (p.status === 'removed' && p.before) return `parameter - ${p.name}: ${paramText(p.before)}`;
  const fields = p.fields.map((f) => `${f.field} ${show(f.before)} → ${show(f.after)}`);
  return `parameter ~ ${p.name}: ${fields.join('; ')}`;
}

const statsText = (s: TextStats): string =>
  `+${s.linesAdded} -${s.linesRemoved} lines, +${s.wordsAdded} -${s.wordsRemoved} words`;

function promptSection(p: PromptComparison, labels: { before: string; after: string }): string[] {
  const oldName = p.previousName ?? p.name;
  const out = [`diff --anvil a/${labels.before}/${oldName} b/${labels.after}/${p.name}`];
  if (p.status === 'added') out.push(`new ${p.kind} prompt`);
  if (p.status === 'removed') out.push(`deleted ${p.kind} prompt`);
  if (p.previousName !== null) out.push(`renamed from ${p.previousName} to ${p.name}`);
  out.push(...p.metadata.map((m) => change('', m)));
  out.push(...p.parameters.map(parameterLine));
  for (const r of p.reasons) out.push(`reason (${r.class}): ${r.message}`);
  const body: string[] = [];
  if (p.template) body.push(...textLines(p.template));
  for (const m of p.messages ?? [])
    if (m.status !== 'unchanged') body.push(`@@ ${messageLabel(m)} @@`, ...textLines(m.text));
  if (body.length > 0) {
    out.push(`--- ${p.status === 'added' ? '/dev/null' : `a/${labels.before}/${oldName}`}`);
    out.push(`+++ ${p.status === 'removed' ? '/dev/null' : `b/${labels.after}/${p.name}`}`);
    out.push(...body);
  }
  return out;
}

/**
 * The comparison as text: a header with the class, the set's own changes and the summary, then one
 * `diff --anvil a/<before>/<prompt> b/<after>/<prompt>` section per changed prompt (settings, parameters and
 * reasons first, then `---`/`+++` and the hunks; chat messages each under an `@@ message … @@` line).
 * Unchanged prompts are left out. Meant for people and for copying into a review, not for `patch`.
 */
export function unifiedDiff(c: SetComparison, labels: { before: string; after: string }): string {
  const s = c.summary;
  const out = [
    `anvil diff a/${labels.before} b/${labels.after}`,
    `change: ${c.classification.changeClass}`,
    `prompts: ${s.added} added, ${s.removed} removed, ${s.renamed} renamed, ${s.changed} changed, ${s.unchanged} unchanged; ${statsText(s.stats)}`,
    ...c.set.map((m) => change('set ', m)),
    // Reasons that name no prompt (set renamed, dependencies, order) belong to the set.
    ...c.classification.reasons.filter((r) => r.prompt === undefined).map((r) => `reason (${r.class}): ${r.message}`),
  ];
  for (const p of c.prompts) if (p.status !== 'unchanged') out.push('', ...promptSection(p, labels));
  return out.join('\n') + '\n';
}
