import type { Parameter, ParamType } from '../../../shared/domain';

/**
 * Sample values for the live preview, generated from a parameter's type when the author has not given one:
 * an enum's first value, a string naming the parameter, 1, true, one-item arrays, objects with every property.
 * Deterministic, so the preview does not change between keystrokes.
 */
export function sampleValue(type: ParamType, name: string, depth = 0): unknown {
  switch (type.type) {
    case 'string':
      return type.enum?.[0] ?? `example ${name.replace(/[_-]+/g, ' ')}`;
    case 'number':
    case 'integer':
      return type.enum?.[0] ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return depth > 4 ? [] : [sampleValue(type.items, singular(name), depth + 1)];
    case 'object': {
      const out: Record<string, unknown> = {};
      if (depth > 4) return out;
      for (const [key, sub] of Object.entries(type.properties)) out[key] = sampleValue(sub, key, depth + 1);
      return out;
    }
  }
}

const singular = (name: string): string => (name.length > 3 && name.endsWith('s') ? name.slice(0, -1) : name);

/**
 * The values the preview renders with: the stored sample of each parameter when there is one, else its default,
 * else a generated value. Stored values of parameters that no longer exist are left out (they would be
 * "not a parameter of this prompt"), but stay stored in case the parameter comes back.
 */
export function previewValues(
  parameters: readonly Parameter[],
  stored: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of parameters) {
    if (Object.prototype.hasOwnProperty.call(stored, p.name)) out[p.name] = stored[p.name];
    else if (p.default !== undefined) out[p.name] = p.default;
    else out[p.name] = sampleValue(p.type, p.name);
  }
  return out;
}

/** The settings key under which a prompt's sample values are remembered. */
export const samplesKey = (promptId: string): string => `samples.${promptId}`;

/** A stored setting as a samples object (anything else, e.g. a damaged value, counts as none). */
export function asSamples(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * Parses what the author typed for a sample: JSON when it parses (numbers, arrays, objects, quoted strings,
 * true/false), else the text itself as a string, so typing `Ada` needs no quotes.
 */
export function parseSampleInput(text: string, type: ParamType): unknown {
  if (type.type === 'string' && !/^\s*"/.test(text)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** How a sample value is shown in its input: strings as they are, everything else as JSON. */
export function formatSampleInput(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
