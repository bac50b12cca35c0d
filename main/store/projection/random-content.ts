import type { ChatItem, Parameter, Prompt } from '../../../shared/domain';

/** Random prompt content for property tests, deterministic per seed. Not used by production code. */
export type Rng = () => number;

/** mulberry32: tiny, fast, good enough to drive tests; same sequence for the same seed everywhere. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (r: Rng, n: number): number => Math.floor(r() * n);
export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)] as T;

/** Few names so they clash (names are not keys); words chosen to be searchable. */
export const NAMES = ['greeting', 'summary', 'classify', 'answer', 'greeting-v2', 'qa', 'rewrite', 'tone'];
const PIECES = [
  'hello ',
  '{{ name }}',
  ' world',
  '\n',
  '"',
  '*',
  'NEAR(',
  'é',
  '😀',
  '{% if x %}y{% endif %}',
  'user_name ',
  ' AND ',
  'ticket',
  ')',
];

export function randomText(r: Rng, max = 6): string {
  let s = '';
  for (let i = int(r, max); i >= 0; i--) s += pick(r, PIECES);
  return s;
}

export function randomParams(r: Rng): Parameter[] {
  const names = ['name', 'ticket', 'tone', 'items', 'user_name'];
  const out: Parameter[] = [];
  for (const name of names) {
    if (r() < 0.5) continue;
    const p: Parameter = {
      name,
      type: pick(r, [{ type: 'string' }, { type: 'integer' }, { type: 'array', items: { type: 'string' } }] as const),
      required: r() < 0.5,
      description: randomText(r, 2),
    };
    if (r() < 0.3) p.default = pick(r, ['x', 3, null, ['a']]);
    out.push(p);
  }
  return r() < 0.5 ? out.reverse() : out;
}

export function randomMessages(r: Rng): ChatItem[] {
  const items: ChatItem[] = [];
  for (let i = int(r, 4); i >= 0; i--)
    items.push({ type: 'message', role: pick(r, ['system', 'user', 'assistant'] as const), content: randomText(r) });
  if (r() < 0.4) items.splice(int(r, items.length + 1), 0, { type: 'history', name: 'history' });
  return items;
}

export function randomPrompt(r: Rng, id: string): Prompt {
  const base = {
    id,
    name: pick(r, NAMES),
    description: randomText(r, 2),
    parameters: randomParams(r),
    model: null,
    metadata: {},
  };
  return r() < 0.6
    ? { ...base, kind: 'text', template: randomText(r) }
    : { ...base, kind: 'chat', messages: randomMessages(r) };
}
