import { z } from 'zod';

/**
 * Parameter types are a JSON Schema subset: enough to validate inputs and to generate forms and SDK types,
 * small enough that every consumer (studio, SDK, registry) interprets it the same way.
 */
export type ParamType =
  | { type: 'string'; enum?: string[] }
  | { type: 'number'; enum?: number[] }
  | { type: 'integer'; enum?: number[] }
  | { type: 'boolean' }
  | { type: 'array'; items: ParamType }
  | { type: 'object'; properties: Record<string, ParamType>; required?: string[] };

export const ParamType: z.ZodType<ParamType> = z.lazy(() =>
  z.union([
    z.object({ type: z.literal('string'), enum: z.array(z.string()).min(1).optional() }).strict(),
    z.object({ type: z.literal('number'), enum: z.array(z.number()).min(1).optional() }).strict(),
    z.object({ type: z.literal('integer'), enum: z.array(z.number().int()).min(1).optional() }).strict(),
    z.object({ type: z.literal('boolean') }).strict(),
    z.object({ type: z.literal('array'), items: ParamType }).strict(),
    z
      .object({
        type: z.literal('object'),
        properties: z.record(z.string(), ParamType),
        required: z.array(z.string()).optional(),
      })
      .strict(),
  ]),
);

/** Parameter names are template identifiers: what `{{ name }}` can read. */
export const ParamName = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[A-Za-z_][A-Za-z0-9_-]*$/,
    'a parameter name starts with a letter or "_" and uses letters, digits, "_", "-"',
  );

export const Parameter = z
  .object({
    name: ParamName,
    type: ParamType,
    required: z.boolean(),
    default: z.unknown().optional(),
    description: z.string().max(2000).default(''),
  })
  .strict();
export type Parameter = z.infer<typeof Parameter>;

/** A short human form of a type, for messages and tables: `array<string>`, `"a" | "b"`. */
export function describeType(t: ParamType): string {
  switch (t.type) {
    case 'array':
      return `array<${describeType(t.items)}>`;
    case 'object':
      return `object{${Object.keys(t.properties).join(', ')}}`;
    case 'string':
    case 'number':
    case 'integer':
      return t.enum ? t.enum.map((v) => JSON.stringify(v)).join(' | ') : t.type;
    default:
      return t.type;
  }
}
