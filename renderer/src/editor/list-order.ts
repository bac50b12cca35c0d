/** The ids with `id` moved by `delta` places (clamped); the same array when it cannot move. */
export function moveItem(ids: readonly string[], id: string, delta: number): string[] {
  const from = ids.indexOf(id);
  if (from === -1) return [...ids];
  const to = Math.min(ids.length - 1, Math.max(0, from + delta));
  if (to === from) return [...ids];
  const out = [...ids];
  out.splice(from, 1);
  out.splice(to, 0, id);
  return out;
}

/** The ids with `id` moved to where `target` is (drag and drop). */
export function moveTo(ids: readonly string[], id: string, target: string): string[] {
  const from = ids.indexOf(id);
  const to = ids.indexOf(target);
  if (from === -1 || to === -1 || from === to) return [...ids];
  return moveItem(ids, id, to - from);
}

/** A free name for a new prompt: `untitled`, `untitled-2`, … */
export function untitledName(taken: ReadonlySet<string>, base = 'untitled'): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
