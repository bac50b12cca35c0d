import type { TextStats } from '../../../shared/compare';

/** A value from a comparison (a default, a description, model settings) as one short line of text. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'string') return value === '' ? '(empty)' : value;
  if (Array.isArray(value))
    return value.map((v) => (typeof v === 'string' ? JSON.stringify(v) : formatValue(v))).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "+12 −4 lines, +40 −10 words" */
export function formatStats(s: TextStats): string {
  return `+${s.linesAdded} −${s.linesRemoved} ${s.linesAdded + s.linesRemoved === 1 ? 'line' : 'lines'}, +${s.wordsAdded} −${s.wordsRemoved} ${s.wordsAdded + s.wordsRemoved === 1 ? 'word' : 'words'}`;
}

export { plural };

/** An ISO date as the user's locale writes date and time. */
export function absoluteTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}
