/**
 * One side of a comparison, as the compare screen's address names it: `draft` or a version number
 * (`/sets/:setId/compare?from=1.0.0&to=draft`).
 */
export type Side = { kind: 'draft' } | { kind: 'version'; version: string };

export const DRAFT = 'draft';

export function parseSide(value: string | null | undefined): Side | null {
  if (!value) return null;
  if (value === DRAFT) return { kind: 'draft' };
  return { kind: 'version', version: value };
}

export function sideKey(side: Side): string {
  return side.kind === 'draft' ? DRAFT : side.version;
}

export function sideLabel(side: Side): string {
  return side.kind === 'draft' ? 'Draft' : side.version;
}

/** The compare screen's address for two sides (and optionally a prompt to scroll to). */
export function compareHref(setId: string, from: string, to: string, promptId?: string): string {
  const q = new URLSearchParams({ from, to });
  if (promptId) q.set('prompt', promptId);
  return `/sets/${setId}/compare?${q.toString()}`;
}

export function historyHref(setId: string): string {
  return `/sets/${setId}/history`;
}
