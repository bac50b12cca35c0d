import { InvalidArgumentError } from 'commander';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * When a token given `--expires` ends, in ms since epoch: a duration from now (`90m`, `12h`, `30d`, `2w`) or a
 * date (`2027-01-31`, or a full ISO time). Anything else is refused with the forms it accepts.
 */
export function parseExpiry(text: string, now: number = Date.now()): number {
  const m = /^(\d{1,6})([mhdw])$/.exec(text.trim());
  if (m) {
    const n = Number(m[1]);
    if (n === 0) throw new InvalidArgumentError('A token must live a while: use at least 1m.');
    return now + n * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  }
  if (/^\d{4}-\d{2}-\d{2}(T.*)?$/.test(text.trim())) {
    const at = Date.parse(text.trim());
    // Date.parse takes 2026-02-31 for March 3rd: a date must read back as itself.
    const readsBack = !Number.isNaN(at) && new Date(at).toISOString().startsWith(text.trim().slice(0, 10));
    if (!readsBack) throw new InvalidArgumentError(`"${text}" is not a real date.`);
    if (at <= now) throw new InvalidArgumentError(`${text} is in the past.`);
    return at;
  }
  throw new InvalidArgumentError(`"${text}" is not a duration (90m, 12h, 30d, 2w) or a date (2027-01-31).`);
}

/** A moment for `--since`/`--until`: a duration ago (`2h`, `7d`) or a date; ms since epoch. */
export function parseMoment(text: string, now: number = Date.now()): number {
  const m = /^(\d{1,6})([mhdw])$/.exec(text.trim());
  if (m) return now - Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  const at = /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(text.trim()) ? Date.parse(text.trim()) : Number.NaN;
  if (Number.isNaN(at))
    throw new InvalidArgumentError(`"${text}" is not a duration ago (90m, 12h, 30d, 2w) or a date (2027-01-31).`);
  return at;
}
