import { z } from 'zod';

/** A JSON Schema object as written by the author (tools' arguments, response formats); validated as JSON only. */
const JsonSchemaObject = z.record(z.string(), z.unknown());

export const ToolDefinition = z
  .object({
    name: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/, 'tool names use letters, digits, "_" and "-"'),
    description: z.string().max(4000).default(''),
    parameters: JsonSchemaObject.default({ type: 'object', properties: {} }),
  })
  .strict();
export type ToolDefinition = z.infer<typeof ToolDefinition>;

/** Model settings are versioned and shipped with the prompt, so a version pins behaviour, not just text. */
export const ModelSettings = z
  .object({
    provider: z.string().min(1).max(64),
    model: z.string().min(1).max(128),
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().positive().optional(),
    topP: z.number().min(0).max(1).optional(),
    stop: z.array(z.string()).max(16).optional(),
    tools: z.array(ToolDefinition).optional(),
    responseSchema: JsonSchemaObject.optional(),
  })
  .strict();
export type ModelSettings = z.infer<typeof ModelSettings>;
